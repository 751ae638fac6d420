"""The partnerships API: thin over services and selectors. 404 for what the user may not see,
403 for what they may see but not do (the services decide).

Every record has a version: its ETag comes with the answer of a GET, a POST and a PATCH, and a PATCH
or DELETE that sends it back as If-Match is refused with 412 if the record changed since. One module
per subdomain (the partnership with its members and lifecycle, the objectives, the collaboration log),
mounted on one router."""

from ninja import Router

from accord.partnerships.api import log, objectives, partnership

router = Router(tags=["partnerships"])
router.add_router("", partnership.router)
router.add_router("", objectives.router)
router.add_router("", log.router)
