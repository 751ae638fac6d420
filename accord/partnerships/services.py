"""Writes to partnerships. Every function is keyword-only, atomic and validates before it saves.

Who may call what is decided by ``querysets.partnership_may`` (see its module docstring); the
services check it again, so the API, the CLI and tasks cannot bypass it.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accord.accounts.access import Action, may, roles_by_organisation
from accord.accounts.choices import STAFF_ROLES
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.partnerships.choices import (
    ALLOWED_TRANSITIONS,
    REASON_REQUIRED,
    ActionItemStatus,
    ActualSource,
    MemberRole,
    PartnershipStatus,
)
from accord.partnerships.models import (
    ActionItem,
    Decision,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Meeting,
    Objective,
    Partnership,
    PartnershipMember,
    PartnershipTransition,
)
from accord.partnerships.querysets import PartnershipAction, partnership_may
from accord.partnerships.selectors import overdue_action_items

CHANGE_REFUSED = "Only admins and coordinators of the coordinating organisation can change this partnership."
CONTRIBUTE_REFUSED = (
    "Only admins and coordinators of the member organisations can add to this partnership's record."
)
ENTRY_REFUSED = (
    "Only whoever recorded this entry, or the coordinating organisation's admins and coordinators, "
    "can change it."
)


# --- shared checks -------------------------------------------------------------------------------


def _require(actor, action: PartnershipAction, partnership: Partnership) -> None:
    if not partnership_may(actor, action, partnership):
        raise PermissionDenied(CHANGE_REFUSED if action == PartnershipAction.CHANGE else CONTRIBUTE_REFUSED)


def _require_entry_editor(actor, partnership: Partnership, recorded_by_id: int | None) -> None:
    """Log entries and figures belong to whoever recorded them, and to the partnership's owners."""
    if partnership_may(actor, PartnershipAction.CHANGE, partnership):
        return
    if recorded_by_id == actor.pk and partnership_may(actor, PartnershipAction.CONTRIBUTE, partnership):
        return
    raise PermissionDenied(ENTRY_REFUSED)


def _refuse_if_closed(partnership: Partnership) -> None:
    if partnership.status == PartnershipStatus.CLOSED:
        raise Conflict("This partnership is closed; its record and members can no longer be changed.")


def _assign(instance, data: dict[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data:
            value = data[field]
            setattr(instance, field, value.strip() if isinstance(value, str) else value)


def _number(field: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: f"'{value}' is not a number."}) from None
    if not number.is_finite():
        raise ValidationFailed({field: f"'{value}' is not a number."})
    return number


def _member_organisation_ids(partnership: Partnership) -> set[int]:
    return {member.organisation_id for member in partnership.members.all()}


def _check_person(partnership: Partnership, user, field: str) -> None:
    """Owners and attendees must work (in a staff role) at a member organisation."""
    roles = roles_by_organisation(user)
    if not any(roles.get(org_id) in STAFF_ROLES for org_id in _member_organisation_ids(partnership)):
        raise ValidationFailed({field: f"{user} does not work at any of this partnership's organisations."})


def _check_contacts(contacts: Sequence, member_ids: set[int]) -> None:
    for contact in contacts:
        if contact.organisation_id not in member_ids:
            raise ValidationFailed(
                {
                    "responsible_contacts": f"{contact} works at {contact.organisation}, "
                    "which is not a member of this partnership."
                }
            )


def _year_range(partnership: Partnership) -> tuple[int | None, int | None]:
    return (
        partnership.start_date.year if partnership.start_date else None,
        partnership.end_date.year if partnership.end_date else None,
    )


def _check_year_in_dates(partnership: Partnership, year: int) -> None:
    first, last = _year_range(partnership)
    if (first is not None and year < first) or (last is not None and year > last):
        span = f"{first or '…'}–{last or '…'}"
        raise ValidationFailed({"year": f"{year} is outside the partnership's dates ({span})."})


def _check_dates(partnership: Partnership) -> None:
    start, end = partnership.start_date, partnership.end_date
    if start and end and end < start:
        raise ValidationFailed({"end_date": "The end date cannot be before the start date."})


# --- partnerships and members --------------------------------------------------------------------

PARTNERSHIP_FIELDS = ("title", "model", "description", "start_date", "end_date")


def _check_members(members: Sequence[tuple[Any, str]]) -> Any:
    """Refuse a member list that is not a partnership; return the coordinating organisation."""
    seen: set[int] = set()
    for organisation, role in members:
        if role not in MemberRole.values:
            raise ValidationFailed(
                {"members": f"'{role}' is not a member role; choose one of: {', '.join(MemberRole.values)}."}
            )
        if organisation.pk in seen:
            raise ValidationFailed(
                {"members": f"{organisation} is listed twice: an organisation cannot partner with itself."}
            )
        seen.add(organisation.pk)
    if len(seen) < 2:
        raise ValidationFailed({"members": "A partnership needs at least two different organisations."})
    coordinators = [organisation for organisation, role in members if role == MemberRole.COORDINATOR]
    if len(coordinators) != 1:
        raise ValidationFailed(
            {"members": f"A partnership needs exactly one coordinator; {len(coordinators)} were given."}
        )
    return coordinators[0]


@transaction.atomic
def partnership_create(
    *,
    actor,
    members: Sequence[tuple[Any, str]],
    responsible_contacts: Sequence = (),
    **data: Any,
) -> Partnership:
    """Set up a partnership with its members (``(organisation, role)`` pairs) in status exploring.

    The coordinating organisation's admins and coordinators (or platform staff) set it up, since
    that organisation will own the record.
    """
    members = list(members)
    coordinator = _check_members(members)
    if not may(actor, Action.MANAGE, coordinator.pk):
        raise PermissionDenied(
            f"Only admins and coordinators of {coordinator} can set up a partnership it coordinates."
        )
    contacts = list(responsible_contacts)
    _check_contacts(contacts, {organisation.pk for organisation, _role in members})
    partnership = Partnership(created_by=actor)
    _assign(partnership, data, PARTNERSHIP_FIELDS)
    _check_dates(partnership)
    clean_or_fail(partnership)
    partnership.save()
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, organisation=organisation, role=role)
        for organisation, role in members
    )
    partnership.responsible_contacts.set(contacts)
    PartnershipTransition.objects.create(
        partnership=partnership, from_status="", to_status=partnership.status, actor=actor
    )
    return partnership


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _check_target_years(partnership: Partnership) -> None:
    first, last = _year_range(partnership)
    years = set(
        IndicatorTarget.objects.filter(indicator__objective__partnership=partnership).values_list(
            "year", flat=True
        )
    )
    if first is not None and (before := sorted(y for y in years if y < first)):
        raise ValidationFailed({"start_date": f"Targets exist for {before[0]}, before the new start date."})
    if last is not None and (after := sorted(y for y in years if y > last)):
        raise ValidationFailed({"end_date": f"Targets exist for {after[-1]}, after the new end date."})


@transaction.atomic
def partnership_update(*, actor, partnership: Partnership, **data: Any) -> Partnership:
    locked = _lock(partnership)
    _require(actor, PartnershipAction.CHANGE, locked)
    _refuse_if_closed(locked)
    _assign(locked, data, PARTNERSHIP_FIELDS)
    _check_dates(locked)
    if "start_date" in data or "end_date" in data:
        _check_target_years(locked)
    if "responsible_contacts" in data:
        contacts = list(data["responsible_contacts"])
        _check_contacts(contacts, _member_organisation_ids(locked))
    clean_or_fail(locked)
    locked.save()
    if "responsible_contacts" in data:
        locked.responsible_contacts.set(contacts)
    return locked


@transaction.atomic
def partnership_member_add(
    *, actor, partnership: Partnership, organisation, role: str = MemberRole.PARTNER
) -> PartnershipMember:
    locked = _lock(partnership)
    _require(actor, PartnershipAction.CHANGE, locked)
    _refuse_if_closed(locked)
    if role == MemberRole.COORDINATOR:
        raise ValidationFailed(
            {"role": "A partnership has one coordinator; hand coordination over by changing a member's role."}
        )
    if organisation.pk in _member_organisation_ids(locked):
        raise ValidationFailed({"organisation": f"{organisation} is already a member of this partnership."})
    member = PartnershipMember(partnership=locked, organisation=organisation, role=role)
    clean_or_fail(member)
    member.save()
    return member


@transaction.atomic
def partnership_member_update(*, actor, member: PartnershipMember, role: str) -> PartnershipMember:
    """Change a member's role. Making a member the coordinator hands coordination (and with it the
    ownership of the record) over: the previous coordinator becomes a partner."""
    locked = _lock(member.partnership)
    _require(actor, PartnershipAction.CHANGE, locked)
    _refuse_if_closed(locked)
    if role not in MemberRole.values:
        raise ValidationFailed({"role": f"'{role}' is not a member role."})
    if member.role == MemberRole.COORDINATOR and role != MemberRole.COORDINATOR:
        raise ValidationFailed(
            {"role": f"{member.organisation} coordinates this partnership; make another member coordinator."}
        )
    if role == MemberRole.COORDINATOR and member.role != MemberRole.COORDINATOR:
        # The previous coordinator steps down first: the database allows only one at a time.
        locked.members.filter(role=MemberRole.COORDINATOR).update(role=MemberRole.PARTNER)
    member.role = role
    clean_or_fail(member)
    member.save()
    return member


@transaction.atomic
def partnership_member_remove(*, actor, member: PartnershipMember) -> None:
    """Remove a member; its people stop being the partnership's responsible contacts."""
    locked = _lock(member.partnership)
    _require(actor, PartnershipAction.CHANGE, locked)
    _refuse_if_closed(locked)
    if member.role == MemberRole.COORDINATOR:
        raise ValidationFailed({"member": "The coordinator cannot be removed; hand coordination over first."})
    if locked.members.count() <= 2:
        raise ValidationFailed(
            {"member": f"A partnership needs at least two organisations; {member.organisation} is needed."}
        )
    locked.responsible_contacts.remove(
        *locked.responsible_contacts.filter(organisation_id=member.organisation_id)
    )
    member.delete()


@transaction.atomic
def partnership_transition(
    *, actor, partnership: Partnership, to_status: str, reason: str = ""
) -> PartnershipTransition:
    """Move the partnership to ``to_status`` if the lifecycle allows it, and record the step.

    The row is locked so that two people moving the same partnership at once cannot both succeed
    from the same starting status.
    """
    locked = _lock(partnership)
    _require(actor, PartnershipAction.CHANGE, locked)
    if to_status not in PartnershipStatus.values:
        statuses = ", ".join(PartnershipStatus.values)
        raise ValidationFailed({"to_status": f"'{to_status}' is not a status; the statuses are {statuses}."})
    allowed = ALLOWED_TRANSITIONS[locked.status]
    if to_status not in allowed:
        raise Conflict(
            f"A partnership that is {locked.status} cannot move to {to_status}; "
            f"allowed next statuses: {', '.join(allowed) or 'none (it is final)'}.",
            field="to_status",
        )
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationFailed({"reason": f"Give a reason for moving the partnership to {to_status}."})
    transition = PartnershipTransition.objects.create(
        partnership=locked, from_status=locked.status, to_status=to_status, actor=actor, reason=reason
    )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    return transition


# --- objectives, indicators, targets and actuals -------------------------------------------------

OBJECTIVE_FIELDS = ("title", "description", "owner", "order")


def _save_objective(objective: Objective, data: dict[str, Any]) -> Objective:
    if data.get("owner") is not None:
        _check_person(objective.partnership, data["owner"], "owner")
    _assign(objective, data, OBJECTIVE_FIELDS)
    clean_or_fail(objective)
    objective.save()
    return objective


@transaction.atomic
def objective_create(*, actor, partnership: Partnership, **data: Any) -> Objective:
    _require(actor, PartnershipAction.CHANGE, partnership)
    if data.get("order") is None:
        last = partnership.objectives.order_by("-order").values_list("order", flat=True).first()
        data["order"] = 0 if last is None else last + 1
    return _save_objective(Objective(partnership=partnership), data)


@transaction.atomic
def objective_update(*, actor, objective: Objective, **data: Any) -> Objective:
    _require(actor, PartnershipAction.CHANGE, objective.partnership)
    return _save_objective(objective, data)


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    _require(actor, PartnershipAction.CHANGE, objective.partnership)
    objective.delete()


INDICATOR_FIELDS = ("name", "unit", "direction", "baseline_value", "baseline_year")


def _save_indicator(indicator: Indicator, data: dict[str, Any]) -> Indicator:
    if "baseline_value" in data:
        data = {**data, "baseline_value": _number("baseline_value", data["baseline_value"])}
    _assign(indicator, data, INDICATOR_FIELDS)
    clean_or_fail(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_create(*, actor, objective: Objective, **data: Any) -> Indicator:
    _require(actor, PartnershipAction.CHANGE, objective.partnership)
    return _save_indicator(Indicator(objective=objective), data)


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **data: Any) -> Indicator:
    _require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    return _save_indicator(indicator, data)


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    _require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    indicator.delete()


def _check_year_free(model, indicator: Indicator, year: int, exclude_pk: int | None, what: str) -> None:
    taken = model.objects.filter(indicator=indicator, year=year).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationFailed({"year": f"'{indicator.name}' already has {what} for {year}; edit that one."})


def _save_target(target: IndicatorTarget, data: dict[str, Any]) -> IndicatorTarget:
    if "target_value" in data:
        target.target_value = _number("target_value", data["target_value"])
    if "year" in data:
        target.year = data["year"]
    if target.target_value is None:
        raise ValidationFailed({"target_value": "A target needs a value."})
    # Uniqueness per indicator and year is checked below, with a message that names the year.
    clean_or_fail(target, exclude=["indicator"])
    _check_year_in_dates(target.indicator.objective.partnership, target.year)
    _check_year_free(IndicatorTarget, target.indicator, target.year, target.pk, "a target")
    target.save()
    return target


@transaction.atomic
def indicator_target_create(*, actor, indicator: Indicator, year: int, target_value: Any) -> IndicatorTarget:
    _require(actor, PartnershipAction.CHANGE, indicator.objective.partnership)
    return _save_target(IndicatorTarget(indicator=indicator), {"year": year, "target_value": target_value})


@transaction.atomic
def indicator_target_update(*, actor, target: IndicatorTarget, **data: Any) -> IndicatorTarget:
    _require(actor, PartnershipAction.CHANGE, target.indicator.objective.partnership)
    return _save_target(target, data)


@transaction.atomic
def indicator_target_delete(*, actor, target: IndicatorTarget) -> None:
    _require(actor, PartnershipAction.CHANGE, target.indicator.objective.partnership)
    target.delete()


def _save_actual(actual: IndicatorActual, data: dict[str, Any]) -> IndicatorActual:
    if "value" in data:
        actual.value = _number("value", data["value"])
    _assign(actual, data, ("year", "note", "source"))
    if actual.value is None:
        raise ValidationFailed({"value": "A measured figure needs a value."})
    # As for targets, the year's uniqueness is checked below with a message that names it.
    clean_or_fail(actual, exclude=["indicator"])
    if actual.year > timezone.localdate().year:
        raise ValidationFailed({"year": f"{actual.year} has not begun; figures are recorded as they happen."})
    _check_year_in_dates(actual.indicator.objective.partnership, actual.year)
    _check_year_free(IndicatorActual, actual.indicator, actual.year, actual.pk, "a figure")
    actual.save()
    return actual


@transaction.atomic
def indicator_actual_record(
    *,
    actor,
    indicator: Indicator,
    year: int,
    value: Any,
    note: str = "",
    source: str = ActualSource.MANUAL,
) -> IndicatorActual:
    """Record the figure an indicator reached in a year; any member's admins and coordinators may."""
    _require(actor, PartnershipAction.CONTRIBUTE, indicator.objective.partnership)
    actual = IndicatorActual(indicator=indicator, recorded_by=actor, recorded_at=timezone.now())
    return _save_actual(actual, {"year": year, "value": value, "note": note, "source": source})


@transaction.atomic
def indicator_actual_update(*, actor, actual: IndicatorActual, **data: Any) -> IndicatorActual:
    _require_entry_editor(actor, actual.indicator.objective.partnership, actual.recorded_by_id)
    return _save_actual(actual, data)


@transaction.atomic
def indicator_actual_delete(*, actor, actual: IndicatorActual) -> None:
    _require_entry_editor(actor, actual.indicator.objective.partnership, actual.recorded_by_id)
    actual.delete()


# --- the collaboration log -----------------------------------------------------------------------

MEETING_FIELDS = ("date", "mode", "title", "location", "external_attendees", "minutes")


def _save_meeting(meeting: Meeting, data: dict[str, Any]) -> Meeting:
    attendees = list(data.get("attendees") or ())
    for person in attendees:
        _check_person(meeting.partnership, person, "attendees")
    _assign(meeting, data, MEETING_FIELDS)
    clean_or_fail(meeting)
    meeting.save()
    if "attendees" in data:
        meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_create(*, actor, partnership: Partnership, **data: Any) -> Meeting:
    _require(actor, PartnershipAction.CONTRIBUTE, partnership)
    return _save_meeting(Meeting(partnership=partnership, recorded_by=actor), data)


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **data: Any) -> Meeting:
    _require_entry_editor(actor, meeting.partnership, meeting.recorded_by_id)
    return _save_meeting(meeting, data)


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Delete a meeting; decisions and action items taken there stay, without their meeting."""
    _require_entry_editor(actor, meeting.partnership, meeting.recorded_by_id)
    meeting.delete()


def _check_meeting(partnership: Partnership, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationFailed({"meeting": "That meeting belongs to another partnership."})


def _save_decision(decision: Decision, data: dict[str, Any]) -> Decision:
    if "meeting" in data:
        _check_meeting(decision.partnership, data["meeting"])
    _assign(decision, data, ("text", "decided_on", "meeting"))
    if decision.decided_on is None:
        decision.decided_on = decision.meeting.date if decision.meeting else timezone.localdate()
    clean_or_fail(decision)
    decision.save()
    return decision


@transaction.atomic
def decision_create(*, actor, partnership: Partnership, **data: Any) -> Decision:
    """Record a decision; without a date it was taken on the meeting's day, or else today."""
    _require(actor, PartnershipAction.CONTRIBUTE, partnership)
    return _save_decision(Decision(partnership=partnership, recorded_by=actor), data)


@transaction.atomic
def decision_update(*, actor, decision: Decision, **data: Any) -> Decision:
    _require_entry_editor(actor, decision.partnership, decision.recorded_by_id)
    return _save_decision(decision, data)


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
    _require_entry_editor(actor, decision.partnership, decision.recorded_by_id)
    decision.delete()


ACTION_ITEM_FIELDS = ("title", "owner", "due_date", "meeting")


def _save_action_item(item: ActionItem, data: dict[str, Any]) -> ActionItem:
    if data.get("owner") is not None:
        _check_person(item.partnership, data["owner"], "owner")
    if "meeting" in data:
        _check_meeting(item.partnership, data["meeting"])
    _assign(item, data, ACTION_ITEM_FIELDS)
    if "status" in data and data["status"] != item.status:
        item.status = data["status"]
        item.completed_at = timezone.now() if item.status == ActionItemStatus.DONE else None
    clean_or_fail(item)
    item.save()
    return item


@transaction.atomic
def action_item_create(*, actor, partnership: Partnership, **data: Any) -> ActionItem:
    _require(actor, PartnershipAction.CONTRIBUTE, partnership)
    if data.get("owner") is None:
        raise ValidationFailed({"owner": "An action item needs an owner."})
    return _save_action_item(ActionItem(partnership=partnership, recorded_by=actor), data)


@transaction.atomic
def action_item_update(*, actor, item: ActionItem, **data: Any) -> ActionItem:
    """Edit an action item. Its owner may also mark it done, cancelled or open again."""
    owner_changes_status = (
        item.owner_id == actor.pk
        and set(data) <= {"status"}
        and partnership_may(actor, PartnershipAction.VIEW, item.partnership)
    )
    if not owner_changes_status:
        _require_entry_editor(actor, item.partnership, item.recorded_by_id)
    if "owner" in data and data["owner"] is None:
        raise ValidationFailed({"owner": "An action item needs an owner."})
    return _save_action_item(item, data)


@transaction.atomic
def action_item_delete(*, actor, item: ActionItem) -> None:
    _require_entry_editor(actor, item.partnership, item.recorded_by_id)
    item.delete()


def _reminder_text(items: Sequence[ActionItem], today: date) -> tuple[str, str]:
    count = len(items)
    subject = f"Accord: {count} overdue action item{'s' if count != 1 else ''}"
    lines = []
    for item in items:
        assert item.due_date is not None, "overdue items have a due date"
        days = (today - item.due_date).days
        lines.append(
            f"- {item.title} ({item.partnership.title}), due {item.due_date:%Y-%m-%d}, "
            f"{days} day{'s' if days != 1 else ''} overdue"
        )
    body = (
        "These action items you own are past their due date:\n\n"
        + "\n".join(lines)
        + ("\n\nMark them done or cancelled, or agree a new date with your partners.\n")
    )
    return subject, body


def action_item_reminders_send(*, today: date) -> int:
    """E-mail each owner of overdue open items one message listing them; return how many were sent.

    Each owner is handled in a transaction of their own that locks their items and stamps
    ``last_reminded_on``, so a second run on the same day (or a task delivered twice) sends nothing,
    and a failing mail server leaves that owner's items to be reminded on the next run.
    """
    pending = overdue_action_items(today=today).exclude(last_reminded_on=today)
    owner_ids = sorted(set(pending.values_list("owner_id", flat=True)))
    sent = 0
    for owner_id in owner_ids:
        with transaction.atomic():
            items = list(
                pending.filter(owner_id=owner_id)
                .select_for_update(of=("self",))
                .select_related("partnership", "owner")
            )
            owner = items[0].owner if items else None
            if owner is None or not owner.email:
                continue
            subject, body = _reminder_text(items, today)
            send_mail(subject, body, None, [owner.email])
            ActionItem.objects.filter(pk__in=[item.pk for item in items]).update(last_reminded_on=today)
            sent += 1
    return sent
