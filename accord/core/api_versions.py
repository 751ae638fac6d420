"""Versions over HTTP, as RFC 9110 says: an ``ETag`` on every single-object read and write, and
``If-Match`` honoured by ``PATCH``, ``PUT`` and ``DELETE`` (412 Precondition Failed when stale).

An endpoint declares ``if_match: IfMatch = None`` and ``response: HttpResponse``, passes
``expected_version(if_match, record)`` to the service, and calls ``set_etag(response, record)`` on
what it returns; ``openapi_extra=WRITE_DOC`` (or ``READ_DOC``) documents the headers. A write without
``If-Match`` still works: the services write only the fields that were sent.

Lists are cacheable: a list endpoint decorated with :func:`conditional_list` (above ``@paginate``, with
``openapi_extra=LIST_DOC``) answers with an ``ETag`` of what this user sees on that page, and ``304 Not
Modified`` to an ``If-None-Match`` that still holds (:func:`answer_conditionally`, which the API calls on
every response it creates).
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from ninja import Header

from accord.core.concurrency import VersionedModel, etag, version_from_if_match

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description=(
            "The ETag of the record as you read it. A write based on an older version is refused with "
            "412 and the values saved since; without it, only the fields you send are written."
        ),
    ),
]

_ETAG = {
    "ETag": {
        "description": "The record's version; send it back as If-Match to write safely.",
        "schema": {"type": "string"},
    }
}
READ_DOC: dict[str, Any] = {"responses": {"200": {"headers": _ETAG}}}
WRITE_DOC: dict[str, Any] = {
    "responses": {
        "200": {"headers": _ETAG},
        "412": {
            "description": (
                "Precondition Failed: the record changed since the ETag you sent. The body names who "
                "changed it, when, and the values saved meanwhile (`current`); nothing was written."
            )
        },
    }
}


LIST_DOC: dict[str, Any] = {
    "parameters": [
        {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": (
                "The ETag of this page as you last read it: 304 Not Modified, without a body, while "
                "nothing you see on it has changed."
            ),
        }
    ],
    "responses": {
        "200": {
            "headers": {
                "ETag": {
                    "description": "This page as you see it; send it as If-None-Match to read it again.",
                    "schema": {"type": "string"},
                }
            }
        },
        "304": {"description": "Not Modified: the page you hold (If-None-Match) is still what you see."},
    },
}

_CONDITIONAL_LIST = "_accord_conditional_list"


def conditional_list(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a list endpoint whose answers carry an ETag and honour ``If-None-Match``."""

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        setattr(request, _CONDITIONAL_LIST, True)
        return view(request, *args, **kwargs)

    return marked


def list_etag(request: HttpRequest, content: bytes) -> str:
    """The entity tag of a list page: a digest of exactly what was sent (so it changes with anything the
    user sees in it, the names of related records included) and of whom it was sent to, so that two
    people who see different rows, or the same rows with different rights, never share one."""
    user = getattr(request, "user", None)
    scope = f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"
    digest = hashlib.sha256(f"{scope}\n{request.get_full_path()}\n".encode() + content).hexdigest()
    return f'W/"list-{digest[:40]}"'


def answer_conditionally(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``response`` with its list ETag, or 304 Not Modified when ``If-None-Match`` names it; responses
    of other endpoints, and answers other than 200, pass unchanged."""
    if not getattr(request, _CONDITIONAL_LIST, False) or response.status_code != 200:
        return response
    response["ETag"] = list_etag(request, response.content)
    # Private: the page depends on who asks; no-cache: a client revalidates before each reuse.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Authorization", "X-API-Key", "Cookie"))
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def expected_version(if_match: str | None, record: VersionedModel) -> int | None:
    return version_from_if_match(if_match, record)


def set_etag(response: HttpResponse, record: VersionedModel) -> None:
    response["ETag"] = etag(record)
