"""Objectives with indicators, targets and figures, and the collaboration log, edited in place.

The coordinating organisation's admins and coordinators change objectives; any member's admins and
coordinators (here ``personas.partner``) record figures and write the log and may edit what they
recorded; the owner of an action item may move its status on.
"""

import datetime as dt

import pytest

from accord.partnerships import services
from accord.partnerships.models import (
    ActionItem,
    Decision,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Meeting,
    Objective,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dated(personas, partnership):
    services.partnership_update(
        actor=personas.coordinator,
        partnership=partnership,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    return partnership


@pytest.fixture
def indicator(personas, dated):
    objective = services.objective_create(actor=personas.coordinator, partnership=dated, title="Mobility")
    return services.indicator_create(
        actor=personas.coordinator,
        objective=objective,
        name="Outgoing students",
        unit="students",
        baseline_value=10,
    )


def _post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {}, **HTMX)


# ---------------------------------------------------------------------------------------------------
# Objectives, indicators, targets and figures


def test_coordinator_builds_objectives_indicators_and_targets_in_place(client, personas, dated):
    base = f"/partnerships/{dated.pk}"
    html = _post(
        client,
        personas.coordinator,
        f"{base}/objectives/new/",
        {"title": "Balanced mobility", "owner": personas.teacher.pk},
    ).content.decode()
    assert html.lstrip().startswith('<section id="objectives"') and "Objective added." in html
    objective = Objective.objects.get(title="Balanced mobility")
    assert objective.owner == personas.teacher

    html = _post(
        client,
        personas.coordinator,
        f"{base}/objectives/{objective.pk}/indicators/new/",
        {
            "name": "Incoming students",
            "unit": "students",
            "direction": "increase",
            "baseline_value": "4",
            "baseline_year": "2021",
        },
    ).content.decode()
    indicator = Indicator.objects.get(name="Incoming students")
    assert "Indicator added." in html and "4 students (2021)" in html

    _post(
        client,
        personas.coordinator,
        f"{base}/indicators/{indicator.pk}/targets/new/",
        {"year": "2023", "target_value": "12"},
    )
    html = _post(
        client,
        personas.partner,
        f"{base}/indicators/{indicator.pk}/actuals/new/",
        {"year": "2023", "value": "8", "note": "Spring and autumn"},
    ).content.decode()
    assert "Figure recorded." in html and "Spring and autumn" in html
    assert "4 of 8 students above the baseline, 50 % of the way to the target" in html
    assert IndicatorActual.objects.get().recorded_by == personas.partner


def test_a_target_outside_the_partnership_dates_is_refused_next_to_the_year(client, personas, indicator):
    response = _post(
        client,
        personas.coordinator,
        f"/partnerships/{indicator.objective.partnership_id}/indicators/{indicator.pk}/targets/new/",
        {"year": "2030", "target_value": "12"},
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#objective-{indicator.objective_id}-form-slot"
    assert "outside the partnership" in html.split('id="id_year"')[1]
    assert not IndicatorTarget.objects.exists()


def test_a_figure_for_a_year_that_has_one_is_refused(client, personas, indicator):
    services.indicator_actual_record(actor=personas.partner, indicator=indicator, year=2023, value=5)
    html = _post(
        client,
        personas.partner,
        f"/partnerships/{indicator.objective.partnership_id}/indicators/{indicator.pk}/actuals/new/",
        {"year": "2023", "value": "6"},
    ).content.decode()
    assert "already has a figure for 2023" in html
    assert IndicatorActual.objects.get().value == 5


def test_figures_belong_to_whoever_recorded_them(client, personas, indicator):
    pk = indicator.objective.partnership_id
    mine = services.indicator_actual_record(actor=personas.partner, indicator=indicator, year=2023, value=5)
    theirs = services.indicator_actual_record(
        actor=personas.coordinator, indicator=indicator, year=2024, value=6
    )
    client.force_login(personas.partner)
    assert client.get(f"/partnerships/{pk}/actuals/{mine.pk}/edit/", **HTMX).status_code == 200
    assert client.get(f"/partnerships/{pk}/actuals/{theirs.pk}/edit/", **HTMX).status_code == 403
    assert client.post(f"/partnerships/{pk}/actuals/{theirs.pk}/delete/", **HTMX).status_code == 403
    html = client.get(f"/partnerships/{pk}/").content.decode()
    assert f"/actuals/{mine.pk}/edit/" in html and f"/actuals/{theirs.pk}/edit/" not in html
    response = client.post(
        f"/partnerships/{pk}/actuals/{mine.pk}/edit/", {"year": "2023", "value": "7", "version": 1}, **HTMX
    )
    assert "Figure saved." in response.content.decode()
    mine.refresh_from_db()
    assert mine.value == 7 and IndicatorActual.objects.get(pk=theirs.pk).value == 6


@pytest.mark.parametrize(("persona", "status"), [("partner", 403), ("teacher", 403), ("outsider", 404)])
def test_only_the_coordinating_organisation_changes_objectives(client, personas, indicator, persona, status):
    pk = indicator.objective.partnership_id
    client.force_login(personas.by_name(persona))
    assert client.get(f"/partnerships/{pk}/objectives/new/").status_code == status
    assert (
        client.post(f"/partnerships/{pk}/objectives/{indicator.objective_id}/delete/").status_code == status
    )
    assert (
        client.post(
            f"/partnerships/{pk}/indicators/{indicator.pk}/edit/", {"name": "x", "unit": "y"}
        ).status_code
        == status
    )
    assert Indicator.objects.get().name == "Outgoing students"


def test_deleting_an_objective_asks_first_without_javascript(client, personas, indicator):
    pk = indicator.objective.partnership_id
    client.force_login(personas.coordinator)
    page = client.get(f"/partnerships/{pk}/objectives/{indicator.objective_id}/delete/").content.decode()
    assert "Delete the objective “Mobility” with its indicators and figures?" in page
    assert 'name="version" value="1"' in page
    response = client.post(f"/partnerships/{pk}/objectives/{indicator.objective_id}/delete/", {"version": 1})
    assert response.status_code == 302 and response["Location"].endswith("#objectives")
    assert not Objective.objects.exists() and not Indicator.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Meetings, decisions and action items


def test_partner_logs_a_meeting_a_decision_and_an_action_item(client, personas, partnership):
    base = f"/partnerships/{partnership.pk}"
    html = _post(
        client,
        personas.partner,
        f"{base}/meetings/new/",
        {
            "title": "Kick-off",
            "date": "2024-03-05",
            "mode": "on_site",
            "location": "Valencia",
            "attendees": [personas.partner.pk, personas.coordinator.pk],
            "external_attendees": "Dr. Guest\nMs. Visitor",
            "minutes": "We agreed on the calendar.",
        },
    ).content.decode()
    assert html.lstrip().startswith('<section id="log"') and "Meeting logged." in html
    meeting = Meeting.objects.get()
    assert meeting.recorded_by == personas.partner and set(meeting.attendees.all()) == {
        personas.partner,
        personas.coordinator,
    }
    assert "Kick-off" in html and "Dr. Guest" in html and "On site" in html

    html = _post(
        client,
        personas.partner,
        f"{base}/decisions/new/",
        {"text": "Exchange four students a year", "meeting": meeting.pk},
    ).content.decode()
    decision = Decision.objects.get()
    assert decision.decided_on == dt.date(2024, 3, 5)  # the meeting's day
    assert "Exchange four students a year" in html and "at “Kick-off”" in html

    html = _post(
        client,
        personas.partner,
        f"{base}/action-items/new/",
        {
            "title": "Send the course catalogue",
            "owner": personas.teacher.pk,
            "due_date": "2020-01-31",
            "meeting": meeting.pk,
        },
    ).content.decode()
    item = ActionItem.objects.get()
    assert item.owner == personas.teacher and item.status == "open"
    assert "<mark>Overdue</mark>" in html and 'class="overdue"' in html


def test_bad_log_input_is_explained_and_nothing_is_saved(client, personas, partnership):
    stranger_meeting = services.meeting_create(
        actor=personas.platform_admin,
        partnership=services.partnership_create(
            actor=personas.platform_admin,
            members=[(personas.outsider_org, "coordinator"), (personas.partner_org, "partner")],
            title="Elsewhere",
            model="other",
        ),
        date=dt.date(2024, 1, 1),
        title="Not ours",
    )
    base = f"/partnerships/{partnership.pk}"
    response = _post(
        client, personas.coordinator, f"{base}/meetings/new/", {"title": "", "date": "soon", "mode": "video"}
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#meetings-form-slot"
    assert "Enter a valid date" in html and "This field is required" in html
    response = _post(
        client,
        personas.coordinator,
        f"{base}/action-items/new/",
        {"title": "Do it", "owner": personas.outsider.pk, "meeting": stranger_meeting.pk},
    )
    html = response.content.decode()
    assert "Select a valid choice" in html.split('id="id_owner"')[1]
    assert "Select a valid choice" in html.split('id="id_meeting"')[1]
    assert not Meeting.objects.filter(partnership=partnership).exists() and not ActionItem.objects.exists()


def test_contributors_edit_their_own_entries_and_the_coordinator_any(client, personas, partnership):
    mine = services.meeting_create(
        actor=personas.partner, partnership=partnership, date=dt.date(2024, 1, 1), title="Mine"
    )
    theirs = services.meeting_create(
        actor=personas.coordinator, partnership=partnership, date=dt.date(2024, 1, 2), title="Theirs"
    )
    base = f"/partnerships/{partnership.pk}"
    client.force_login(personas.partner)
    html = client.get(f"{base}/").content.decode()
    assert f"/meetings/{mine.pk}/edit/" in html and f"/meetings/{theirs.pk}/edit/" not in html
    assert client.get(f"{base}/meetings/{theirs.pk}/edit/").status_code == 403
    assert client.post(f"{base}/meetings/{theirs.pk}/delete/", **HTMX).status_code == 403
    response = client.post(
        f"{base}/meetings/{mine.pk}/edit/",
        {"title": "Mine, renamed", "date": "2024-01-01", "mode": "phone", "version": mine.version},
        **HTMX,
    )
    assert "Meeting saved." in response.content.decode()
    client.force_login(personas.coordinator)
    deleted = client.post(f"{base}/meetings/{mine.pk}/delete/", {"version": 2}, **HTMX)
    assert "Meeting deleted." in deleted.content.decode()
    assert list(Meeting.objects.values_list("title", flat=True)) == ["Theirs"]


def test_the_owner_of_an_action_item_may_mark_it_done(client, personas, partnership):
    item = services.action_item_create(
        actor=personas.coordinator, partnership=partnership, title="Book rooms", owner=personas.teacher
    )
    url = f"/partnerships/{partnership.pk}/action-items/{item.pk}/status/"
    client.force_login(personas.teacher)
    page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert url in page and f"/action-items/{item.pk}/edit/" not in page
    assert client.get(f"/partnerships/{partnership.pk}/action-items/{item.pk}/edit/").status_code == 403
    html = client.post(url, {"status": "done", "version": 1}, **HTMX).content.decode()
    assert "Status changed." in html
    item.refresh_from_db()
    assert item.status == "done" and item.completed_at is not None
    client.force_login(personas.viewer)  # sees the partnership, owns nothing, contributes nothing
    assert client.post(url, {"status": "open", "version": 2}, **HTMX).status_code == 403
    client.force_login(personas.outsider)
    assert client.post(url, {"status": "open", "version": 2}, **HTMX).status_code == 404
    item.refresh_from_db()
    assert item.status == "done"


def test_log_forms_come_as_fragments_and_cancel_restores_the_section(client, personas, partnership):
    client.force_login(personas.partner)
    for url in ("meetings/new/", "decisions/new/", "action-items/new/"):
        html = client.get(f"/partnerships/{partnership.pk}/{url}", **HTMX).content.decode()
        assert html.lstrip().startswith('<form method="post"') and 'hx-target="#log"' in html
        assert f'hx-get="/partnerships/{partnership.pk}/log/"' in html  # Cancel
    assert (
        client.get(f"/partnerships/{partnership.pk}/log/", **HTMX)
        .content.decode()
        .lstrip()
        .startswith('<section id="log"')
    )


def test_a_closed_partnership_still_takes_log_entries(client, personas, partnership):
    services.partnership_transition(
        actor=personas.coordinator, partnership=partnership, to_status="closed", reason="Ended"
    )
    response = _post(
        client,
        personas.partner,
        f"/partnerships/{partnership.pk}/decisions/new/",
        {"text": "Write the final report"},
    )
    assert "Decision recorded." in response.content.decode()


def test_an_entry_changed_since_the_page_was_opened_is_not_deleted(client, personas, indicator):
    """Deleting carries the version the section showed: an objective renamed meanwhile stays, and the
    section shows it as it is now with who renamed it; a delete without its version deletes nothing."""
    pk = indicator.objective.partnership_id
    objective = indicator.objective
    client.force_login(personas.coordinator)
    section = client.get(f"/partnerships/{pk}/", **HTMX).content.decode()
    assert 'hx-vals=\'{"version": "1"}\'' in section
    services.objective_update(actor=personas.admin, objective=objective, title="Renamed by the admin")

    url = f"/partnerships/{pk}/objectives/{objective.pk}/delete/"
    stale = client.post(url, {"version": 1}, **HTMX).content.decode()
    assert 'role="alert"' in stale and "since you opened it" in stale and "Renamed by the admin" in stale
    missing = client.post(url, **HTMX).content.decode()
    assert "no longer says which version" in missing
    assert Objective.objects.filter(pk=objective.pk).exists()

    assert "deleted" in client.post(url, {"version": 2}, **HTMX).content.decode()
    assert not Objective.objects.filter(pk=objective.pk).exists()
