"""What the mobility pages share: finding the mobility for the user, and showing a service's refusal on the
form or as a message."""

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.mobilities import selectors
from accord.mobilities.querysets import MobilityAction


def user_by_name(text: str):
    found = get_user_model().objects.filter(Q(username=text.strip()) | Q(email__iexact=text.strip())).first()
    if found is None:
        raise errors.ValidationFailed({"participant": _("No user with this username or e-mail.")})
    return found


def _show(form, error: errors.DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: under the field it names, else above the form with the
    field named in words."""
    if isinstance(error, errors.ValidationFailed):
        for key, messages_ in error.errors.items():
            field = (aliases or {}).get(key, key)
            for message in messages_:
                form.add_error(
                    field if field in form.fields else None,
                    f"{errors.field_words(key)}: {message}" if field not in form.fields else message,
                )
    else:
        form.add_error(None, error.message)


class ShownOnRows(errors.DomainError):
    """A refusal the view already put on the rows of its formset: nothing is left to show."""

    code = "validation_failed"
    http_status = 422


def on_rows(formset, refusal: errors.ValidationFailed, rows: dict, prefix: str) -> errors.DomainError:
    """Put each error keyed ``<prefix>[i].field`` on the field of the row that showed item ``i``
    (``rows`` maps ``i`` to the row's position) and return what remains to show above the form."""
    rest: dict[str, list[str]] = {}
    pattern = re.compile(rf"{re.escape(prefix)}\[(\d+)\]\.(\w+)")
    for key, messages_ in refusal.errors.items():
        match = pattern.fullmatch(key)
        row = formset[rows[int(match.group(1))]] if match and int(match.group(1)) in rows else None
        if row is not None and match.group(2) in row.fields:
            for message in messages_:
                row.add_error(match.group(2), message)
        else:
            rest[key] = messages_
    return errors.ValidationFailed(rest) if rest else ShownOnRows(refusal.message)


def attempt(request: HttpRequest, form, action: Callable, success: str, aliases=None) -> bool:
    """Run ``action`` and say it worked, or put its refusal on ``form``."""
    try:
        action()
    except (errors.NotFound, errors.PermissionDenied, StaleVersion):
        # A stale version is for the view to show as a conflict, with both sets of values.
        raise
    except ShownOnRows:
        return False
    except errors.DomainError as error:
        _show(form, error, aliases)
        return False
    messages.success(request, success)
    return True


def mobility_for(request, pk, action=MobilityAction.VIEW):
    return selectors.get_mobility_for_user(user=request.user, pk=pk, action=action)


def back(pk: int, page: str = "mobilities:detail"):
    return redirect(page, pk=pk)


def _flash(request, error: errors.DomainError) -> None:
    if isinstance(error, errors.ValidationFailed):
        for key, messages_ in error.errors.items():
            for message in messages_:
                messages.error(request, f"{errors.field_words(key)}: {message}")
    else:
        messages.error(request, error.message)


def act_and_return(
    request: HttpRequest,
    pk: int,
    form,
    action: Callable[[dict], object],
    done: str,
    *,
    page: str = "mobilities:detail",
):
    """The small forms of a mobility's page (``page``: the student or the staff one): run ``action``
    on the form's data, say how it went, and go back to the page, where the outcome shows as a message."""
    if not form.is_valid():
        for field, field_errors in form.errors.items():
            for message in field_errors:
                messages.error(
                    request, f"{form.fields[field].label}: {message}" if field in form.fields else message
                )
        return back(pk, page)
    try:
        action(form.cleaned_data)
    except (errors.NotFound, errors.PermissionDenied):
        raise
    except errors.DomainError as error:
        # Refusals, including the sending node's answer for a copy, show on the page.
        _flash(request, error)
    else:
        messages.success(request, done)
    return back(pk, page)
