"""Database refusals that mean "someone else wrote at the same moment", told apart from real faults.

A unique constraint that a concurrent write won, a lock that could not be had in time, a deadlock or a
serialisation failure are conflicts a person resolves by reloading: the API answers 409 and the pages
show a sentence (``ContentionMiddleware``), never a server error. Anything else stays an error.
"""

from collections.abc import Callable

from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# PostgreSQL: unique_violation, lock_not_available, deadlock_detected, serialization_failure.
_UNIQUE_VIOLATION = "23505"
_CONTENTION_STATES = {"55P03", "40P01", "40001"}


def is_contention(error: BaseException) -> bool:
    """A duplicate that a concurrent insert won, or a lock, deadlock or serialisation refusal. Other
    integrity errors (a missing reference, a violated check) are faults: services validate first."""
    state = getattr(error.__cause__, "sqlstate", None)
    if isinstance(error, IntegrityError):
        return state == _UNIQUE_VIOLATION or str(error).startswith("UNIQUE constraint failed")
    if isinstance(error, OperationalError):
        return state in _CONTENTION_STATES or "database is locked" in str(error)
    return False


def contention_message() -> str:
    return _(
        "Someone saved a change to the same data at the same moment, so yours was not saved. "
        "Reload the page to see what is there now, then try again."
    )


class ContentionMiddleware:
    """Pages: a contended write is answered 409 with the sentence above, nothing saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not is_contention(exception):
            return None
        body = render_to_string("409.html", {"message": contention_message()}, request=request)
        return HttpResponse(body, status=409)
