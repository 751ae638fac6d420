"""Statuses follow the real dates: arrivals and departures are confirmed once they happened, the
mobility is ongoing from the arrival and completed once the departure day is over, on the edit or
by the daily job; what is planned is changed with its version."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from accord.core import events as core_events
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import subscribe
from accord.mobilities import events, services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility, MobilityTransition
from accord.mobilities.services.schedule import mobilities_advance
from accord.mobilities.tasks import mobility_daily

pytestmark = pytest.mark.django_db


def on(time_machine, day: date) -> None:
    time_machine.move_to(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC))


@pytest.fixture
def status_changes(monkeypatch):
    """The MobilityStatusChanged events published, as (from, to) pairs, heard for this test only."""
    heard: list[tuple[str, str]] = []
    registered = core_events._handlers.get(events.MobilityStatusChanged, [])
    monkeypatch.setitem(core_events._handlers, events.MobilityStatusChanged, list(registered))
    subscribe(events.MobilityStatusChanged, lambda event: heard.append((event.from_status, event.to_status)))
    return heard


def status(mobility) -> str:
    return Mobility.objects.get(pk=mobility.pk).status


def record(personas, mobility, start, end=None):
    return services.mobility_record_dates(
        actor=personas.partner, mobility=mobility, actual_start=start, actual_end=end
    )


def test_the_reported_future_dates_are_refused_on_their_fields(personas, mobility, approved, time_machine):
    on(time_machine, date(2026, 12, 7))
    with pytest.raises(ValidationFailed) as caught:
        record(personas, mobility, date(2027, 9, 15), date(2028, 2, 10))
    assert set(caught.value.errors) == {"actual_start", "actual_end"}
    assert "once it has happened" in caught.value.errors["actual_start"][0]
    assert status(mobility) == MobilityStatus.LA_APPROVED
    assert Mobility.objects.get(pk=mobility.pk).actual_start is None


def test_a_departure_still_to_come_is_refused_but_the_arrival_alone_is_kept(
    personas, mobility, approved, time_machine
):
    on(time_machine, date(2026, 10, 1))
    with pytest.raises(ValidationFailed) as caught:
        record(personas, mobility, date(2026, 9, 3), date(2027, 1, 31))
    assert list(caught.value.errors) == ["actual_end"]
    record(personas, mobility, date(2026, 9, 3))
    assert status(mobility) == MobilityStatus.ONGOING


def test_an_arrival_today_makes_the_mobility_ongoing_at_once(
    personas, mobility, approved, time_machine, status_changes
):
    on(time_machine, date(2026, 9, 3))
    record(personas, mobility, date(2026, 9, 3))
    assert status(mobility) == MobilityStatus.ONGOING
    assert status_changes == [(MobilityStatus.LA_APPROVED, MobilityStatus.ONGOING)]
    transition = MobilityTransition.objects.filter(mobility=mobility).order_by("pk").last()
    assert (transition.actor, transition.reason) == (
        personas.partner,
        "The participant arrived on 2026-09-03.",
    )


def test_a_departure_confirmed_on_its_day_completes_the_mobility_the_next_day(
    personas, mobility, approved, time_machine, status_changes
):
    on(time_machine, date(2026, 9, 3))
    record(personas, mobility, date(2026, 9, 3))
    on(time_machine, date(2027, 1, 31))
    record(personas, mobility, date(2026, 9, 3), date(2027, 1, 31))
    assert status(mobility) == MobilityStatus.ONGOING
    assert mobilities_advance(today=date(2027, 1, 31)) == 0

    on(time_machine, date(2027, 2, 1))
    assert mobilities_advance(today=date(2027, 2, 1)) == 1
    assert status(mobility) == MobilityStatus.COMPLETED
    assert mobilities_advance(today=date(2027, 2, 1)) == 0
    assert status_changes == [
        (MobilityStatus.LA_APPROVED, MobilityStatus.ONGOING),
        (MobilityStatus.ONGOING, MobilityStatus.COMPLETED),
    ]
    completed = MobilityTransition.objects.filter(mobility=mobility).order_by("pk").last()
    assert (completed.actor, completed.reason) == (None, "The participant left on 2027-01-31.")


def test_a_departure_already_over_completes_the_mobility_on_the_edit(
    personas, mobility, approved, time_machine
):
    on(time_machine, date(2027, 2, 14))
    record(personas, mobility, date(2026, 9, 3), date(2027, 1, 31))
    assert status(mobility) == MobilityStatus.COMPLETED
    assert [t.to_status for t in MobilityTransition.objects.filter(mobility=mobility).order_by("pk")][
        -2:
    ] == [
        MobilityStatus.ONGOING,
        MobilityStatus.COMPLETED,
    ]


def test_the_job_moves_dates_recorded_ahead_of_time_when_they_come(
    personas, mobility, approved, time_machine
):
    # Dates written before future days were refused: the job moves the mobility only when they come.
    Mobility.objects.filter(pk=mobility.pk).update(
        actual_start=date(2027, 9, 15), actual_end=date(2028, 2, 10)
    )
    assert mobilities_advance(today=date(2027, 9, 14)) == 0
    assert status(mobility) == MobilityStatus.LA_APPROVED
    assert mobilities_advance(today=date(2027, 9, 15)) == 1
    assert status(mobility) == MobilityStatus.ONGOING
    assert mobilities_advance(today=date(2028, 2, 10)) == 0
    assert mobilities_advance(today=date(2028, 2, 11)) == 1
    assert status(mobility) == MobilityStatus.COMPLETED


def test_the_job_moves_a_stay_entirely_past_in_one_run_and_leaves_others_alone(
    personas, agreement, mobility, approved, time_machine, status_changes
):
    Mobility.objects.filter(pk=mobility.pk).update(
        actual_start=date(2026, 9, 3), actual_end=date(2027, 1, 31)
    )
    cancelled = Mobility.objects.create(
        **{
            field.name: getattr(mobility, field.name)
            for field in Mobility._meta.concrete_fields
            if field.name not in {"id", "status", "version"}
        }
        | {"source_id": None, "status": MobilityStatus.CANCELLED}
    )
    on(time_machine, date(2027, 3, 1))
    assert mobilities_advance(today=date(2027, 3, 1)) == 1
    assert status(mobility) == MobilityStatus.COMPLETED
    assert status(cancelled) == MobilityStatus.CANCELLED
    assert status_changes == [
        (MobilityStatus.LA_APPROVED, MobilityStatus.ONGOING),
        (MobilityStatus.ONGOING, MobilityStatus.COMPLETED),
    ]


def test_the_command_and_the_daily_task_advance_and_remind(personas, mobility, approved, capsys):
    Mobility.objects.filter(pk=mobility.pk).update(
        actual_start=date(2026, 9, 3), actual_end=date(2027, 1, 31)
    )
    call_command("mobility_advance", "--today", "2027-02-01")
    assert "1 mobilities moved on." in capsys.readouterr().out
    assert status(mobility) == MobilityStatus.COMPLETED
    call_command("mobility_advance", "--today", "2027-02-01")
    assert "0 mobilities moved on." in capsys.readouterr().out
    assert mobility_daily("2027-04-01") == {"advanced": 0, "reminded": 1}


def test_the_daily_job_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accord.mobilities.tasks.mobility_daily" in tasks


# --- changing the plan -----------------------------------------------------------------------------

PLAN = {
    "planned_start": date(2026, 9, 15),
    "planned_end": date(2027, 2, 15),
    "eqf_level": 7,
    "isced_code": "0612",
    "language": "es",
    "cefr_level": "b2",
}


def update(personas, mobility, **changes):
    values = {**PLAN, **changes}
    return services.mobility_update(actor=personas.coordinator, mobility=mobility, **values)


def test_the_sending_side_changes_the_plan_with_its_version(personas, mobility):
    before = mobility.version
    changed = update(personas, mobility, expected_version=before)
    assert set(changed) >= {"planned_start", "planned_end", "eqf_level", "isced_code"}
    saved = Mobility.objects.get(pk=mobility.pk)
    assert (saved.planned_start, saved.eqf_level, saved.cefr_level, saved.version) == (
        date(2026, 9, 15),
        7,
        "B2",
        before + 1,
    )
    assert saved.duration_days == 154
    assert update(personas, mobility) == []
    with pytest.raises(StaleVersion):
        update(personas, mobility, expected_version=before, eqf_level=6)
    assert Mobility.objects.get(pk=mobility.pk).eqf_level == 7


def test_the_plan_stays_within_the_agreement_and_its_fields_are_named(personas, mobility):
    with pytest.raises(ValidationFailed) as caught:
        update(personas, mobility, planned_end=date(2035, 10, 1))
    assert list(caught.value.errors) == ["planned_end"]
    with pytest.raises(ValidationFailed) as caught:
        update(personas, mobility, isced_code="0418", language="xx", cefr_level="C3", eqf_level=9)
    assert set(caught.value.errors) == {"isced_code", "language", "cefr_level", "eqf_level"}
    with pytest.raises(ValidationFailed) as caught:
        update(personas, mobility, planned_end=date(2026, 9, 1))
    assert list(caught.value.errors) == ["planned_end"]


def test_only_the_sending_side_changes_an_open_plan(personas, mobility):
    with pytest.raises(PermissionDenied):
        services.mobility_update(actor=personas.partner, mobility=mobility, **PLAN)
    Mobility.objects.filter(pk=mobility.pk).update(status=MobilityStatus.COMPLETED)
    with pytest.raises(Conflict):
        update(personas, mobility)


def test_the_api_patches_the_plan_with_if_match(client, personas, mobility):
    client.force_login(personas.coordinator)
    url = f"/api/v1/mobilities/{mobility.pk}"
    etag = client.get(url)["ETag"]
    saved = client.patch(url, {"eqf_level": 7}, content_type="application/json", headers={"If-Match": etag})
    assert saved.status_code == 200, saved.content
    assert (saved.json()["eqf_level"], saved.json()["isced_code"]) == (7, "0613")
    nulls = client.patch(url, {"isced_code": None, "planned_start": None}, content_type="application/json")
    assert (nulls.status_code, nulls.json()["isced_code"]) == (200, "0613")
    stale = client.patch(url, {"eqf_level": 5}, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["current"]["eqf_level"] == 7
    wrong = client.patch(
        url,
        {"planned_end": "2035-10-01"},
        content_type="application/json",
        headers={"If-Match": saved["ETag"]},
    )
    assert wrong.status_code == 422
    assert list(wrong.json()["errors"]) == ["planned_end"]


def test_the_plan_page_saves_and_shows_a_stale_version_as_a_conflict(
    client, personas, mobility, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    url = f"/mobilities/{mobility.pk}/edit/"
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    form = {**{k: str(v) for k, v in PLAN.items()}, "version": mobility.version}
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "eqf_level": "6"})
    assert stale.status_code == 200
    assert "since you opened it" in stale.content.decode()
    assert Mobility.objects.get(pk=mobility.pk).eqf_level == 7
    detail = client.get(f"/mobilities/{mobility.pk}/").content.decode()
    assert "Change the plan" in detail
