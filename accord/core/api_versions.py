"""Versions over HTTP, as RFC 9110 says: an ``ETag`` on every single-object read and write, and
``If-Match`` honoured by ``PATCH``, ``PUT`` and ``DELETE`` (412 Precondition Failed when stale).

An endpoint declares ``if_match: IfMatch = None`` and ``response: HttpResponse``, passes
``expected_version(if_match, record)`` to the service, and calls ``set_etag(response, record)`` on
what it returns; ``openapi_extra=WRITE_DOC`` (or ``READ_DOC``) documents the headers. A write without
``If-Match`` still works: the services write only the fields that were sent.
"""

from typing import Annotated, Any

from django.http import HttpResponse
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


def expected_version(if_match: str | None, record: VersionedModel) -> int | None:
    return version_from_if_match(if_match, record)


def set_etag(response: HttpResponse, record: VersionedModel) -> None:
    response["ETag"] = etag(record)
