"""The sections of a partnership's page and the one flow that every small form follows.

The detail page is made of four sections (lifecycle, members, objectives, collaboration log). Each
has a context builder here and a fragment template ``partnerships/_<section>.html``, so that after
a change htmx swaps just that section; without JavaScript the same forms are pages of their own that
post and redirect back to the section.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import service_accepts, show_conflict
from accord.core.http import domain_errors_as_http, is_htmx, small_form_response
from accord.partnerships import selectors, services
from accord.partnerships.choices import ActionItemStatus, MemberRole, PartnershipStatus
from accord.partnerships.forms import TransitionForm
from accord.partnerships.models import Partnership
from accord.partnerships.querysets import PartnershipAction
from accord.partnerships.wording import progress_text

SECTIONS = ("lifecycle", "members", "objectives", "log")


def partnership_for(request: HttpRequest, pk: int, action: str = PartnershipAction.VIEW) -> Partnership:
    return selectors.get_partnership_for_user(user=request.user, pk=pk, action=action)


def permissions(request: HttpRequest, partnership: Partnership) -> dict[str, bool]:
    """What the page offers: ``contribute`` and ``change`` as the selectors say, and ``edit`` for the
    partnership's own fields and members, which a closed partnership no longer allows."""
    can = selectors.partnership_permissions(user=request.user, partnership=partnership)
    return {**can, "edit": can["change"] and partnership.status != PartnershipStatus.CLOSED}


def may_edit_entry(request: HttpRequest, can: dict[str, bool], entry) -> bool:
    """Log entries and figures: the partnership's owners, or a contributor who recorded them."""
    return can["change"] or (can["contribute"] and entry.recorded_by_id == request.user.pk)


def refusal(exc: errors.DomainError) -> str:
    """A refusal as one sentence for a message, without the field names of a ValidationFailed."""
    if isinstance(exc, errors.ValidationFailed):
        return " ".join(message for messages in exc.errors.values() for message in messages)
    return exc.message


def form_refusal(form, otherwise: str) -> str:
    """Why a one-field form of a section (a member's role, an item's status) was refused: the form's
    own sentence (its version went missing), else ``otherwise`` (the choice was not in the list)."""
    return " ".join(form.non_field_errors()) or otherwise


def require_entry_editor(request: HttpRequest, partnership: Partnership, entry) -> None:
    """Refuse an entry's forms up front with the rule the service applies on saving."""
    if not may_edit_entry(request, permissions(request, partnership), entry):
        raise errors.PermissionDenied(services.ENTRY_REFUSED)


def lifecycle_context(
    request: HttpRequest, partnership: Partnership, *, failed: TransitionForm | None = None
) -> dict:
    """A form per allowed next status; ``failed``, a refused one, is shown again with its errors."""

    def form_for(status: str) -> TransitionForm:
        if failed is not None and failed["to_status"].value() == status:
            return failed
        return TransitionForm(to_status=status)

    return {
        "transitions": [
            (status, PartnershipStatus(status).label, form_for(status))
            for status in selectors.allowed_next_statuses(partnership=partnership)
        ],
        # The target status is a hidden field, so its errors are shown with the form's own.
        "transition_errors": [*failed.non_field_errors(), *failed.errors.get("to_status", [])]
        if failed
        else [],
        "history": list(selectors.transition_history(partnership=partnership)),
    }


def members_context(request: HttpRequest, partnership: Partnership) -> dict:
    return {
        "members": list(partnership.members.all()),
        "contacts": list(partnership.responsible_contacts.all()),
        "member_roles": MemberRole.choices,
    }


def _progress(indicator, target, actual, fraction: float | None) -> dict | None:
    if fraction is None or target is None or actual is None:
        return None
    percent = round(fraction * 100)
    text = progress_text(
        direction=indicator.direction,
        unit=indicator.unit,
        baseline=indicator.baseline_value,
        target=target.target_value,
        actual=actual.value,
        percent=percent,
    )
    return {"percent": percent, "bar": min(max(percent, 0), 100), "text": text}


def objectives_context(request: HttpRequest, partnership: Partnership) -> dict:
    """Objectives, each indicator with one row per year that has a target or a figure.

    The rows hold the target and figure objects (the page edits them) and the progress as computed by
    ``selectors.objective_progress``, so that the page and the API never disagree about it.
    """
    can = permissions(request, partnership)
    progress = {
        row["indicator_id"]: {year["year"]: year["progress"] for year in row["years"]}
        for row in selectors.objective_progress(partnership=partnership)
    }
    objectives = []
    for objective in selectors.objectives_with_indicators(partnership=partnership):
        indicators = []
        for indicator in objective.indicators.all():
            targets = {target.year: target for target in indicator.targets.all()}
            actuals = {actual.year: actual for actual in indicator.actuals.all()}
            years = [
                {
                    "year": year,
                    "target": targets.get(year),
                    "actual": actuals.get(year),
                    "actual_editable": year in actuals and may_edit_entry(request, can, actuals[year]),
                    "progress": _progress(
                        indicator,
                        targets.get(year),
                        actuals.get(year),
                        progress.get(indicator.pk, {}).get(year),
                    ),
                }
                for year in sorted(targets.keys() | actuals.keys())
            ]
            indicators.append({"indicator": indicator, "years": years})
        objectives.append({"objective": objective, "indicators": indicators})
    return {"objectives": objectives}


def log_context(request: HttpRequest, partnership: Partnership) -> dict:
    can = permissions(request, partnership)
    today = timezone.localdate()

    def rows(entries) -> list[dict]:
        return [{"entry": entry, "editable": may_edit_entry(request, can, entry)} for entry in entries]

    items = rows(selectors.action_items(partnership=partnership).select_related("meeting", "recorded_by"))
    for row in items:
        item = row["entry"]
        row["overdue"] = item.status == ActionItemStatus.OPEN and item.due_date and item.due_date < today
        # The owner may move their own item on without any other right (see services.action_item_update).
        row["own"] = item.owner_id == request.user.pk
    return {
        "meetings": rows(selectors.meetings(partnership=partnership).select_related("recorded_by")),
        "decisions": rows(
            selectors.decisions(partnership=partnership).select_related("meeting", "recorded_by")
        ),
        "action_items": items,
        "item_statuses": ActionItemStatus.choices,
    }


BUILDERS: dict[str, Callable[..., dict]] = {
    "lifecycle": lifecycle_context,
    "members": members_context,
    "objectives": objectives_context,
    "log": log_context,
}


def section_context(request: HttpRequest, partnership: Partnership, section: str, **extra) -> dict:
    return {
        "partnership": partnership,
        "can": permissions(request, partnership),
        **BUILDERS[section](request, partnership),
        **extra,
    }


def section_done(
    request: HttpRequest, partnership: Partnership, section: str, message: str, *, error: bool = False
) -> HttpResponse:
    """After a change, or a refusal that concerns no form field: the refreshed section for htmx,
    else back to the page at that section with the message."""
    if is_htmx(request):
        # Read again: the change may have added members, contacts or entries the object does not hold.
        partnership = partnership_for(request, partnership.pk)
        outcome = {"error": message} if error else {"status": message}
        return render(
            request,
            f"partnerships/_{section}.html",
            section_context(request, partnership, section, **outcome),
        )
    (messages.error if error else messages.success)(request, message)
    return redirect(reverse("partnerships:detail", args=[partnership.pk]) + f"#{section}")


def form_page(
    request: HttpRequest, partnership: Partnership, *, section: str, slot: str, **context
) -> HttpResponse:
    """A small form: as a fragment in its slot of the section (htmx) or as a page of its own."""
    context = {
        "partnership": partnership,
        "section": section,
        "slot": slot,
        "section_url": reverse(f"partnerships:{section}", args=[partnership.pk]),
        "back_url": reverse("partnerships:detail", args=[partnership.pk]) + f"#{section}",
        **context,
    }
    return small_form_response(request, context, slot=slot, page="partnerships/small_form.html")


def save_form(
    request: HttpRequest,
    partnership: Partnership,
    form,
    save: Callable[[dict], object],
    *,
    section: str,
    slot: str,
    title: str,
    action: str,
    done: str,
) -> HttpResponse:
    """The one flow of every small form: validate, call the service, and on a refusal show why; an
    edit of a record that changed since the form was opened shows both versions to choose from."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if service_accepts(form, lambda: save(form.cleaned_data)):
                return section_done(request, partnership, section, done)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return form_page(
        request,
        partnership,
        section=section,
        slot=slot,
        form=form,
        title=title,
        action=action,
        conflict=conflict,
    )


def confirm_delete(
    request: HttpRequest,
    partnership: Partnership,
    delete: Callable[[int], None],
    *,
    entry,
    section: str,
    title: str,
    done: str,
) -> HttpResponse:
    """POST deletes (htmx asks for confirmation in the browser first); GET asks on a page of its own.

    The link or page sends the version of ``entry`` it showed, and ``delete`` takes it as the expected
    version: a record changed since is not deleted, and the section shows it again as it is now, with
    who changed it, so that deleting it is a second, informed click."""
    if request.method == "POST":
        version = request.POST.get("version", "")
        if not version.isdigit():
            return section_done(request, partnership, section, str(VERSION_MISSING), error=True)
        try:
            delete(int(version))
        except (errors.ValidationFailed, errors.Conflict) as exc:
            return section_done(request, partnership, section, refusal(exc), error=True)
        return section_done(request, partnership, section, done)
    return render(
        request,
        "partnerships/confirm_delete.html",
        {"partnership": partnership, "section": section, "title": title, "entry": entry},
    )


VERSION_MISSING = gettext_lazy(
    "This page no longer says which version it was opened at, so nothing was deleted. "
    "Reload it and delete again."
)


@login_required
@require_GET
@domain_errors_as_http
def section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """A section on its own, for htmx (a form's Cancel); without htmx, the page at that section."""
    partnership = partnership_for(request, pk)
    if not is_htmx(request):
        return redirect(reverse("partnerships:detail", args=[pk]) + f"#{section}")
    return render(request, f"partnerships/_{section}.html", section_context(request, partnership, section))
