"""Every write of the exchanges domain: keyword-only, atomic, checking access and validating first.

Split by subdomain: calls and their places, applications and reviews, allocation runs and
nominations. Callers import from here.
"""

from accord.exchanges.services.applications import (
    NOT_THERE,
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    applications_bulk,
    document_remove,
    document_upload,
    review_save,
)
from accord.exchanges.services.calls import (
    call_close,
    call_create,
    call_open,
    call_update,
    place_create,
    place_delete,
    place_update,
    places_generate,
)
from accord.exchanges.services.nominations import (
    nomination_accept,
    nomination_follow_mobility,
    nomination_reject,
)
from accord.exchanges.services.runs import (
    allocation_run,
    assignment_override,
    next_student_offer,
    reallocation_run,
    run_publish,
)

__all__ = [
    "NOT_THERE",
    "allocation_run",
    "application_create",
    "application_submit",
    "application_update",
    "application_withdraw",
    "applications_bulk",
    "assignment_override",
    "call_close",
    "call_create",
    "call_open",
    "call_update",
    "document_remove",
    "document_upload",
    "next_student_offer",
    "nomination_accept",
    "nomination_follow_mobility",
    "nomination_reject",
    "place_create",
    "place_delete",
    "place_update",
    "places_generate",
    "reallocation_run",
    "review_save",
    "run_publish",
]
