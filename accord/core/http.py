"""What the views of every app's pages share: htmx fragments and domain errors as HTTP answers."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest

from accord.core import errors

P = ParamSpec("P")
R = TypeVar("R")


def is_htmx(request: HttpRequest) -> bool:
    """A fragment request: made by htmx, and not a history restore (which needs the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def domain_errors_as_http(
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """NotFound (missing or invisible) becomes 404, PermissionDenied (visible, not allowed) 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(request, *args, **kwargs)
        except errors.NotFound as exc:
            raise Http404(exc.message) from exc
        except errors.PermissionDenied as exc:
            raise Forbidden(exc.message) from exc

    return wrapper
