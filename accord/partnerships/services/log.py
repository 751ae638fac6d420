"""The collaboration log: meetings, decisions, action items and their reminders."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core.concurrency import require_version
from accord.core.errors import ValidationFailed
from accord.core.mail import language_of
from accord.core.validation import clean_or_fail
from accord.partnerships.choices import ActionItemStatus
from accord.partnerships.models import ActionItem, Decision, Meeting, Partnership
from accord.partnerships.querysets import PartnershipAction, partnership_may
from accord.partnerships.selectors import overdue_action_items
from accord.partnerships.services._common import (
    apply,
    assign,
    check_person,
    locked,
    mark_written,
    require,
    require_entry_editor,
    save_written,
    values,
)

MEETING_FIELDS = ("date", "mode", "title", "location", "external_attendees", "minutes")


def _attendees(meeting: Meeting, data: dict[str, Any]) -> list:
    attendees = list(data.get("attendees") or ())
    for person in attendees:
        check_person(meeting.partnership, person, "attendees")
    return attendees


@transaction.atomic
def meeting_create(*, actor, partnership: Partnership, **data: Any) -> Meeting:
    require(actor, PartnershipAction.CONTRIBUTE, partnership)
    meeting = Meeting(partnership=partnership, recorded_by=actor, updated_by=actor)
    attendees = _attendees(meeting, data)
    assign(meeting, data, MEETING_FIELDS)
    clean_or_fail(meeting)
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, expected_version: int | None = None, **data: Any) -> Meeting:
    meeting = locked(meeting)
    require_entry_editor(actor, meeting.partnership, meeting.recorded_by_id)
    fields = values(data, MEETING_FIELDS)
    require_version(meeting, expected_version, fields)
    attendees = _attendees(meeting, data)
    changed = apply(meeting, fields)
    clean_or_fail(meeting)
    save_written(meeting, changed, actor)
    if "attendees" in data and {p.pk for p in attendees} != set(
        meeting.attendees.values_list("pk", flat=True)
    ):
        meeting.attendees.set(attendees)
        if not changed:
            mark_written(meeting, actor)
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting, expected_version: int | None = None) -> None:
    """Delete a meeting; decisions and action items taken there stay, without their meeting."""
    meeting = locked(meeting)
    require_entry_editor(actor, meeting.partnership, meeting.recorded_by_id)
    require_version(meeting, expected_version)
    meeting.delete()


def _check_meeting(partnership: Partnership, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationFailed({"meeting": _("That meeting belongs to another partnership.")})


DECISION_FIELDS = ("text", "decided_on", "meeting")


def _decision_values(decision: Decision, data: dict[str, Any]) -> dict[str, Any]:
    """Without a date a decision was taken on the meeting's day, or else today."""
    data = values(data, DECISION_FIELDS)
    if "meeting" in data:
        _check_meeting(decision.partnership, data["meeting"])
    if "decided_on" in data or decision.pk is None:
        meeting = data.get("meeting", decision.meeting if decision.pk else None)
        if data.get("decided_on") is None:
            data["decided_on"] = meeting.date if meeting else timezone.localdate()
    return data


@transaction.atomic
def decision_create(*, actor, partnership: Partnership, **data: Any) -> Decision:
    """Record a decision; without a date it was taken on the meeting's day, or else today."""
    require(actor, PartnershipAction.CONTRIBUTE, partnership)
    decision = Decision(partnership=partnership, recorded_by=actor, updated_by=actor)
    assign(decision, _decision_values(decision, data), DECISION_FIELDS)
    clean_or_fail(decision)
    decision.save()
    return decision


@transaction.atomic
def decision_update(
    *, actor, decision: Decision, expected_version: int | None = None, **data: Any
) -> Decision:
    decision = locked(decision)
    require_entry_editor(actor, decision.partnership, decision.recorded_by_id)
    data = _decision_values(decision, data)
    require_version(decision, expected_version, data)
    changed = apply(decision, data)
    clean_or_fail(decision)
    save_written(decision, changed, actor)
    return decision


@transaction.atomic
def decision_delete(*, actor, decision: Decision, expected_version: int | None = None) -> None:
    decision = locked(decision)
    require_entry_editor(actor, decision.partnership, decision.recorded_by_id)
    require_version(decision, expected_version)
    decision.delete()


ACTION_ITEM_FIELDS = ("title", "owner", "due_date", "meeting")


def _action_item_values(item: ActionItem, data: dict[str, Any]) -> dict[str, Any]:
    """The fields to set; a change of status also sets or clears when the item was completed."""
    if data.get("owner") is not None:
        check_person(item.partnership, data["owner"], "owner")
    if "meeting" in data:
        _check_meeting(item.partnership, data["meeting"])
    fields = values(data, ACTION_ITEM_FIELDS)
    if "status" in data and data["status"] != item.status:
        fields["status"] = data["status"]
        fields["completed_at"] = timezone.now() if data["status"] == ActionItemStatus.DONE else None
    return fields


@transaction.atomic
def action_item_create(*, actor, partnership: Partnership, **data: Any) -> ActionItem:
    require(actor, PartnershipAction.CONTRIBUTE, partnership)
    if data.get("owner") is None:
        raise ValidationFailed({"owner": _("An action item needs an owner.")})
    item = ActionItem(partnership=partnership, recorded_by=actor, updated_by=actor)
    assign(item, _action_item_values(item, data), ACTION_ITEM_FIELDS)
    clean_or_fail(item)
    item.save()
    return item


@transaction.atomic
def action_item_update(
    *, actor, item: ActionItem, expected_version: int | None = None, **data: Any
) -> ActionItem:
    """Edit an action item. Its owner may also mark it done, cancelled or open again."""
    item = locked(item)
    owner_changes_status = (
        item.owner_id == actor.pk
        and set(data) <= {"status"}
        and partnership_may(actor, PartnershipAction.VIEW, item.partnership)
    )
    if not owner_changes_status:
        require_entry_editor(actor, item.partnership, item.recorded_by_id)
    if "owner" in data and data["owner"] is None:
        raise ValidationFailed({"owner": _("An action item needs an owner.")})
    require_version(item, expected_version, values(data, (*ACTION_ITEM_FIELDS, "status")))
    changed = apply(item, _action_item_values(item, data))
    clean_or_fail(item)
    save_written(item, changed, actor)
    return item


@transaction.atomic
def action_item_delete(*, actor, item: ActionItem, expected_version: int | None = None) -> None:
    item = locked(item)
    require_entry_editor(actor, item.partnership, item.recorded_by_id)
    require_version(item, expected_version)
    item.delete()


def _reminder_text(items: Sequence[ActionItem], today: date) -> tuple[str, str]:
    count = len(items)
    subject = "Accord: " + ngettext(
        "%(count)d overdue action item", "%(count)d overdue action items", count
    ) % {"count": count}
    lines = []
    for item in items:
        assert item.due_date is not None, "overdue items have a due date"
        days = (today - item.due_date).days
        lines.append(
            "- "
            + ngettext(
                "%(title)s (%(partnership)s), due %(due)s, %(days)d day overdue",
                "%(title)s (%(partnership)s), due %(due)s, %(days)d days overdue",
                days,
            )
            % {
                "title": item.title,
                "partnership": item.partnership.title,
                "due": f"{item.due_date:%Y-%m-%d}",
                "days": days,
            }
        )
    body = (
        _("These action items you own are past their due date:")
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Mark them done or cancelled, or agree a new date with your partners.")
        + "\n"
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
            # The items' rows alone are locked, then read again with what the e-mail needs: a lock
            # taken through a join re-checks only the locked rows when it has had to wait.
            mine = pending.filter(owner_id=owner_id)
            ids = list(
                ActionItem.objects.select_for_update()
                .filter(pk__in=mine.values("pk"))
                .values_list("pk", flat=True)
            )
            items = list(mine.filter(pk__in=ids).select_related("partnership", "owner"))
            owner = items[0].owner if items else None
            if owner is None or not owner.email:
                continue
            with translation.override(language_of(owner.email)):
                subject, body = _reminder_text(items, today)
            send_mail(subject, body, None, [owner.email])
            ActionItem.objects.filter(pk__in=[item.pk for item in items]).update(last_reminded_on=today)
            sent += 1
    return sent
