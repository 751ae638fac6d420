"""The collaboration log (meetings, decisions, action items) and the overdue reminders."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accord.core.errors import PermissionDenied, ValidationFailed
from accord.partnerships import selectors, services, tasks
from accord.partnerships.choices import ActionItemStatus, MeetingMode, PartnershipStatus
from accord.partnerships.models import ActionItem
from accord.testing.factories import make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def test_a_partner_logs_a_meeting_with_attendees_and_guests(personas, partnership):
    meeting = services.meeting_create(
        actor=personas.partner,
        partnership=partnership,
        date=dt.date(2026, 2, 3),
        mode=MeetingMode.ON_SITE,
        title="Kick-off",
        location="Madrid",
        attendees=[personas.partner, personas.teacher],
        external_attendees="Dr. Rivera (ministry)",
        minutes="We agreed on a joint summer school.",
    )
    assert set(meeting.attendees.all()) == {personas.partner, personas.teacher}
    assert meeting.recorded_by == personas.partner


def test_attendees_work_at_member_organisations(personas, partnership):
    with pytest.raises(ValidationFailed) as exc_info:
        services.meeting_create(
            actor=personas.coordinator,
            partnership=partnership,
            date=dt.date(2026, 2, 3),
            title="Kick-off",
            attendees=[personas.outsider],
        )
    assert exc_info.value.errors == {
        "attendees": ["outsider does not work at any of this partnership's organisations."]
    }


@pytest.mark.parametrize("persona", ["teacher", "viewer", "student", "outsider"])
def test_only_member_managers_contribute(personas, partnership, persona):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=personas.by_name(persona), partnership=partnership, date=TODAY, title="Unasked"
        )


def test_a_decision_defaults_to_its_meetings_day_and_stays_in_its_partnership(personas, partnership):
    meeting = services.meeting_create(
        actor=personas.coordinator, partnership=partnership, date=dt.date(2026, 2, 3), title="Kick-off"
    )
    decision = services.decision_create(
        actor=personas.partner, partnership=partnership, text="Hold a summer school.", meeting=meeting
    )
    assert decision.decided_on == dt.date(2026, 2, 3)
    other = make_partnership(personas.home, personas.outsider_org)
    with pytest.raises(ValidationFailed) as exc_info:
        services.decision_create(actor=personas.admin, partnership=other, text="Borrowed", meeting=meeting)
    assert exc_info.value.errors == {"meeting": ["That meeting belongs to another partnership."]}


def test_log_entries_are_edited_by_their_author_or_the_coordinating_managers(personas, partnership):
    meeting = services.meeting_create(
        actor=personas.partner, partnership=partnership, date=TODAY, title="Sync"
    )
    services.meeting_update(actor=personas.partner, meeting=meeting, minutes="Partner's notes")
    services.meeting_update(actor=personas.coordinator, meeting=meeting, title="Monthly sync")
    ours = services.meeting_create(
        actor=personas.coordinator, partnership=partnership, date=TODAY, title="Ours"
    )
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=personas.partner, meeting=ours, title="Edited by a partner")
    with pytest.raises(PermissionDenied):
        services.meeting_delete(actor=personas.partner, meeting=ours)


def test_action_items_have_an_owner_and_track_completion(personas, partnership):
    with pytest.raises(ValidationFailed) as exc_info:
        services.action_item_create(actor=personas.coordinator, partnership=partnership, title="Draft MoU")
    assert exc_info.value.field == "owner"
    item = services.action_item_create(
        actor=personas.coordinator,
        partnership=partnership,
        title="Draft MoU",
        owner=personas.teacher,
        due_date=dt.date(2026, 4, 1),
    )
    # The owner (a teacher, who may not contribute otherwise) may change the status of their item...
    done = services.action_item_update(actor=personas.teacher, item=item, status=ActionItemStatus.DONE)
    assert done.completed_at is not None
    reopened = services.action_item_update(actor=personas.teacher, item=item, status=ActionItemStatus.OPEN)
    assert reopened.completed_at is None
    # ...but nothing else about it.
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=personas.teacher, item=item, due_date=dt.date(2027, 1, 1))


def test_an_action_item_owner_must_work_at_a_member(personas, partnership):
    with pytest.raises(ValidationFailed):
        services.action_item_create(
            actor=personas.coordinator, partnership=partnership, title="X", owner=personas.outsider
        )


# --- overdue items and reminders -----------------------------------------------------------------


def _item(partnership, owner, title, due, status=ActionItemStatus.OPEN):
    return ActionItem.objects.create(
        partnership=partnership, owner=owner, title=title, due_date=due, status=status
    )


@pytest.fixture
def overdue(personas, partnership):
    """Two overdue items for the teacher, one for the partner, and items that must not be reminded."""
    closed = make_partnership(personas.home, personas.partner_org, status=PartnershipStatus.CLOSED)
    return {
        "teacher_1": _item(partnership, personas.teacher, "Send course catalogue", dt.date(2026, 3, 1)),
        "teacher_2": _item(partnership, personas.teacher, "Book rooms", dt.date(2026, 3, 9)),
        "partner": _item(partnership, personas.partner, "Nominate students", dt.date(2026, 2, 1)),
        "due_today": _item(partnership, personas.teacher, "Due today", TODAY),
        "future": _item(partnership, personas.partner, "Later", dt.date(2026, 5, 1)),
        "done": _item(partnership, personas.teacher, "Done", dt.date(2026, 1, 1), ActionItemStatus.DONE),
        "cancelled": _item(
            partnership, personas.teacher, "Dropped", dt.date(2026, 1, 1), ActionItemStatus.CANCELLED
        ),
        "closed": _item(closed, personas.teacher, "Of a closed partnership", dt.date(2026, 1, 1)),
    }


def test_overdue_means_open_past_due_and_in_a_living_partnership(overdue):
    titles = [item.title for item in selectors.overdue_action_items(today=TODAY)]
    assert titles == ["Nominate students", "Send course catalogue", "Book rooms"]


def test_overdue_for_a_user_is_scoped_to_what_they_may_see(personas, overdue):
    outsider_partnership = make_partnership(personas.outsider_org, make_organisation())
    _item(outsider_partnership, personas.outsider, "Elsewhere", dt.date(2026, 1, 1))
    assert [i.title for i in selectors.overdue_action_items(today=TODAY, user=personas.outsider)] == [
        "Elsewhere"
    ]
    assert "Elsewhere" not in [
        i.title for i in selectors.overdue_action_items(today=TODAY, user=personas.viewer)
    ]
    assert list(selectors.overdue_action_items(today=TODAY, user=personas.student)) == []


def test_reminders_are_one_email_per_owner_listing_their_items(overdue, mailoutbox):
    assert services.action_item_reminders_send(today=TODAY) == 2
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"teacher@example.org", "partner@example.org"}
    teacher_mail = by_recipient["teacher@example.org"]
    assert teacher_mail.subject == "Accord: 2 overdue action items"
    assert (
        "Send course catalogue (Vistula–Iberia Exchange), due 2026-03-01, 9 days overdue" in teacher_mail.body
    )
    assert "Book rooms" in teacher_mail.body
    for absent in ("Due today", "Done", "Dropped", "Of a closed partnership", "Nominate students"):
        assert absent not in teacher_mail.body
    assert by_recipient["partner@example.org"].subject == "Accord: 1 overdue action item"


def test_reminders_go_out_once_a_day(overdue, mailoutbox):
    services.action_item_reminders_send(today=TODAY)
    assert services.action_item_reminders_send(today=TODAY) == 0
    assert len(mailoutbox) == 2
    overdue["teacher_1"].refresh_from_db()
    assert overdue["teacher_1"].last_reminded_on == TODAY
    assert services.action_item_reminders_send(today=TODAY + dt.timedelta(days=1)) == 2
    assert len(mailoutbox) == 4


def test_an_item_added_later_the_same_day_is_still_reminded(personas, partnership, overdue, mailoutbox):
    services.action_item_reminders_send(today=TODAY)
    _item(partnership, personas.viewer, "Late addition", dt.date(2026, 3, 2))
    assert services.action_item_reminders_send(today=TODAY) == 1
    assert mailoutbox[-1].to == ["viewer@example.org"]


def test_the_command_and_the_task_send_the_same_reminders(overdue, mailoutbox):
    out = StringIO()
    call_command("send_action_item_reminders", "--today", "2026-03-10", stdout=out)
    assert out.getvalue().strip() == "Sent 2 reminder e-mails."
    assert tasks.send_action_item_reminders.delay("2026-03-10").get() == 0
    assert tasks.send_action_item_reminders.delay("2026-03-11").get() == 2
    assert len(mailoutbox) == 4


def test_owners_without_an_address_are_skipped(personas, partnership, mailoutbox):
    silent = make_user(organisation=personas.home, role="coordinator")
    type(silent).objects.filter(pk=silent.pk).update(email="")
    _item(partnership, silent, "Quiet", dt.date(2026, 3, 1))
    assert services.action_item_reminders_send(today=TODAY) == 0
    assert mailoutbox == []
