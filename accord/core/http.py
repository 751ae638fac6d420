"""What the views of every app's pages share: htmx fragments and domain errors as HTTP answers."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

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


def small_form_response(
    request: HttpRequest, context: dict[str, Any], *, slot: str, page: str
) -> HttpResponse:
    """A small form of a page's section (``includes/_small_form.html``): for htmx, a fragment in the
    section's ``#<slot>-form-slot``; otherwise the page ``page`` around it."""
    if not is_htmx(request):
        return render(request, page, context)
    first_field = next(iter(context["form"].fields.values()))
    first_field.widget.attrs["autofocus"] = True  # keyboard users land in the form swapped in
    response = render(request, "includes/_small_form.html", {**context, "inline": True})
    if request.method == "POST":  # refused: show the errors in the form, not in place of the section
        response["HX-Retarget"] = f"#{slot}-form-slot"
        response["HX-Reswap"] = "innerHTML"
    return response
