"""The exchanges' home-page panel: each count is exactly what the linked filtered list shows, and
nobody counts another institution's applications or nominations."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.core.dashboard import DashboardItem
from accord.exchanges import selectors, services
from accord.exchanges.dashboard import panel
from accord.exchanges.tests.conftest import application_fields
from accord.exchanges.tests.test_services import apply

pytestmark = pytest.mark.django_db


def _items(user) -> list[DashboardItem]:
    return panel(user, timezone.localdate())


def _counted(user, text: str) -> list[DashboardItem]:
    return [item for item in _items(user) if item.count is not None and text in item.label]


def test_applications_to_review_match_the_filtered_list(client, personas, call, places, students):
    first = apply(students[0], call, [places["Partner"]])
    second = apply(students[1], call, [places["Partner"]])
    services.application_create(
        actor=students[2], call=call, choices=[places["Partner"]], **application_fields()
    )
    services.review_save(actor=personas.teacher, application=first, score=4)

    for reviewer in (personas.coordinator, personas.teacher):
        (item,) = _counted(reviewer, "to review")
        assert item.count == 1
        assert item.label == f"1 application to review in {call.title}"
        client.force_login(reviewer)
        page = client.get(item.url).content.decode()
        shown = selectors.application_list(
            user=reviewer, call=call, filters={"status": "submitted", "reviewed": "no"}
        )[0]
        assert shown.count() == item.count
        assert f"/exchanges/applications/{second.pk}/" in page
        assert f"/exchanges/applications/{first.pk}/" not in page
    assert not _counted(personas.outsider, "to review")
    assert not _counted(personas.partner, "to review")
    assert not _counted(personas.student, "to review")


def _published(personas, call, places, students):
    for student in students[:2]:
        application = apply(student, call, [places["Partner"]])
        services.review_save(actor=personas.teacher, application=application, score=4)
    services.call_close(actor=personas.coordinator, call=call)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    services.run_publish(actor=personas.coordinator, run=run)


def test_nominations_to_decide_match_the_filtered_list(client, personas, call, places, students):
    _published(personas, call, places, students)
    (item,) = _counted(personas.partner, "nomination")
    assert item.label == "2 nominations to decide"
    client.force_login(personas.partner)
    page = client.get(item.url).content.decode()
    assert page.count('value="accept"') == 2

    nomination = selectors.nominations_to_decide(user=personas.partner).first()
    services.nomination_accept(actor=personas.partner, nomination=nomination)
    (item,) = _counted(personas.partner, "nomination")
    assert item.label == "1 nomination to decide"
    assert client.get(item.url).content.decode().count('value="accept"') == 1
    # The sending side sees the nominations but does not decide them; an outsider sees nothing.
    assert not _counted(personas.coordinator, "nomination")
    assert not _counted(personas.outsider, "nomination")


def test_a_student_sees_each_application_with_its_next_step(personas, call, places):
    draft = services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    (item,) = [item for item in _items(personas.student) if item.mine]
    assert item.label == f"Your application to {call.title}"
    assert item.detail.startswith("Submit your application before")
    assert item.deadline == call.closes_at.date()
    services.application_submit(actor=personas.student, application=draft)
    (item,) = [item for item in _items(personas.student) if item.mine]
    assert item.detail == "The results are published after the call closes; you are told by e-mail."
    assert item.url == f"/exchanges/applications/{draft.pk}/"
    assert not [item for item in _items(personas.outsider) if item.mine]


def test_a_draft_past_its_call_is_overdue(personas, call, places, time_machine):
    services.application_create(
        actor=personas.student, call=call, choices=[places["Partner"]], **application_fields()
    )
    time_machine.move_to(timezone.now() + dt.timedelta(days=11))
    (item,) = [item for item in _items(personas.student) if item.mine]
    assert item.overdue
