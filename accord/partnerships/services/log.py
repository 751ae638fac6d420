"""The collaboration log: meetings, decisions, action items and their reminders."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accord.core.errors import ValidationFailed
from accord.core.validation import clean_or_fail
from accord.partnerships.choices import ActionItemStatus
from accord.partnerships.models import ActionItem, Decision, Meeting, Partnership
from accord.partnerships.querysets import PartnershipAction, partnership_may
from accord.partnerships.selectors import overdue_action_items
from accord.partnerships.services._common import assign, check_person, require, require_entry_editor

MEETING_FIELDS = ("date", "mode", "title", "location", "external_attendees", "minutes")


def _save_meeting(meeting: Meeting, data: dict[str, Any]) -> Meeting:
    attendees = list(data.get("attendees") or ())
    for person in attendees:
        check_person(meeting.partnership, person, "attendees")
    assign(meeting, data, MEETING_FIELDS)
    clean_or_fail(meeting)
    meeting.save()
    if "attendees" in data:
        meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_create(*, actor, partnership: Partnership, **data: Any) -> Meeting:
    require(actor, PartnershipAction.CONTRIBUTE, partnership)
    return _save_meeting(Meeting(partnership=partnership, recorded_by=actor), data)


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **data: Any) -> Meeting:
    require_entry_editor(actor, meeting.partnership, meeting.recorded_by_id)
    return _save_meeting(meeting, data)


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Delete a meeting; decisions and action items taken there stay, without their meeting."""
    require_entry_editor(actor, meeting.partnership, meeting.recorded_by_id)
    meeting.delete()


def _check_meeting(partnership: Partnership, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationFailed({"meeting": "That meeting belongs to another partnership."})


def _save_decision(decision: Decision, data: dict[str, Any]) -> Decision:
    if "meeting" in data:
        _check_meeting(decision.partnership, data["meeting"])
    assign(decision, data, ("text", "decided_on", "meeting"))
    if decision.decided_on is None:
        decision.decided_on = decision.meeting.date if decision.meeting else timezone.localdate()
    clean_or_fail(decision)
    decision.save()
    return decision


@transaction.atomic
def decision_create(*, actor, partnership: Partnership, **data: Any) -> Decision:
    """Record a decision; without a date it was taken on the meeting's day, or else today."""
    require(actor, PartnershipAction.CONTRIBUTE, partnership)
    return _save_decision(Decision(partnership=partnership, recorded_by=actor), data)


@transaction.atomic
def decision_update(*, actor, decision: Decision, **data: Any) -> Decision:
    require_entry_editor(actor, decision.partnership, decision.recorded_by_id)
    return _save_decision(decision, data)


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
    require_entry_editor(actor, decision.partnership, decision.recorded_by_id)
    decision.delete()


ACTION_ITEM_FIELDS = ("title", "owner", "due_date", "meeting")


def _save_action_item(item: ActionItem, data: dict[str, Any]) -> ActionItem:
    if data.get("owner") is not None:
        check_person(item.partnership, data["owner"], "owner")
    if "meeting" in data:
        _check_meeting(item.partnership, data["meeting"])
    assign(item, data, ACTION_ITEM_FIELDS)
    if "status" in data and data["status"] != item.status:
        item.status = data["status"]
        item.completed_at = timezone.now() if item.status == ActionItemStatus.DONE else None
    clean_or_fail(item)
    item.save()
    return item


@transaction.atomic
def action_item_create(*, actor, partnership: Partnership, **data: Any) -> ActionItem:
    require(actor, PartnershipAction.CONTRIBUTE, partnership)
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
        require_entry_editor(actor, item.partnership, item.recorded_by_id)
    if "owner" in data and data["owner"] is None:
        raise ValidationFailed({"owner": "An action item needs an owner."})
    return _save_action_item(item, data)


@transaction.atomic
def action_item_delete(*, actor, item: ActionItem) -> None:
    require_entry_editor(actor, item.partnership, item.recorded_by_id)
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
