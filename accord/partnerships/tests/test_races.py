"""Two people at once on one partnership (issue 23): real races on PostgreSQL, each repeated.

Every case starts from fresh records, releases its contenders together (``accord.testing.races``) and
counts the tries in which something was lost, doubled or broken; the test fails naming that count.
"""

import datetime as dt
import re
from decimal import Decimal
from functools import partial

import pytest
from django.test import Client

from accord.accounts.choices import Role
from accord.core.errors import DomainError
from accord.partnerships import services
from accord.partnerships.choices import MemberRole
from accord.partnerships.models import (
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Objective,
    Partnership,
    PartnershipMember,
)
from accord.testing.factories import make_organisation, make_partnership, make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)

TRIES = 30
HTTP_TRIES = 20


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


@pytest.fixture
def second_coordinator(personas):
    return make_user("coordinator2", organisation=personas.home, role=Role.COORDINATOR)


def _partnership(personas, *more):
    return make_partnership(
        personas.home,
        personas.partner_org,
        *more,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2040, 12, 31),
    )


def _indicator(personas) -> Indicator:
    objective = services.objective_create(
        actor=personas.coordinator, partnership=_partnership(personas), title="Balanced mobility"
    )
    return services.indicator_create(
        actor=personas.coordinator, objective=objective, name="Incoming students", unit="students"
    )


def _refused(outcome) -> bool:
    """A contender told no with a domain refusal (a sentence), not a crash."""
    return isinstance(outcome.error, DomainError)


def _report(failures: list[int], what: str, tries: int) -> str:
    return f"{what} in {len(failures)} of {tries} tries (tries {failures})"


# --- two edits of different fields: both kept ----------------------------------------------------


def test_two_edits_of_different_fields_of_an_objective_keep_both(personas, second_coordinator):
    failures = []
    for attempt in range(TRIES):
        objective = services.objective_create(
            actor=personas.coordinator, partnership=_partnership(personas), title="Mobility"
        )
        mine, theirs = Objective.objects.get(pk=objective.pk), Objective.objects.get(pk=objective.pk)
        outcomes = race(
            partial(services.objective_update, actor=personas.coordinator, objective=mine, title="Balanced"),
            partial(
                services.objective_update,
                actor=second_coordinator,
                objective=theirs,
                description="More students each way",
            ),
        )
        assert all(outcome.ok for outcome in outcomes), outcomes
        objective.refresh_from_db()
        if (objective.title, objective.description) != ("Balanced", "More students each way"):
            failures.append(attempt)
    assert not failures, _report(failures, "lost an edit of an objective", TRIES)


def test_two_edits_of_different_fields_of_an_indicator_keep_both(personas, second_coordinator):
    failures = []
    for attempt in range(TRIES):
        indicator = _indicator(personas)
        mine, theirs = Indicator.objects.get(pk=indicator.pk), Indicator.objects.get(pk=indicator.pk)
        outcomes = race(
            partial(services.indicator_update, actor=personas.coordinator, indicator=mine, name="Incoming"),
            partial(services.indicator_update, actor=second_coordinator, indicator=theirs, unit="people"),
        )
        assert all(outcome.ok for outcome in outcomes), outcomes
        indicator.refresh_from_db()
        if (indicator.name, indicator.unit) != ("Incoming", "people"):
            failures.append(attempt)
    assert not failures, _report(failures, "lost an edit of an indicator", TRIES)


def test_two_edits_of_different_fields_of_a_figure_keep_both(personas, second_coordinator):
    failures = []
    for attempt in range(TRIES):
        actual = services.indicator_actual_record(
            actor=personas.coordinator, indicator=_indicator(personas), year=2024, value="10"
        )
        mine, theirs = IndicatorActual.objects.get(pk=actual.pk), IndicatorActual.objects.get(pk=actual.pk)
        outcomes = race(
            partial(services.indicator_actual_update, actor=personas.coordinator, actual=mine, value="12"),
            partial(
                services.indicator_actual_update,
                actor=second_coordinator,
                actual=theirs,
                note="Counted at the registry",
            ),
        )
        assert all(outcome.ok for outcome in outcomes), outcomes
        actual.refresh_from_db()
        if (actual.value, actual.note) != (Decimal("12"), "Counted at the registry"):
            failures.append(attempt)
    assert not failures, _report(failures, "lost an edit of a figure", TRIES)


def _api_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("objective", {"title": "Balanced"}, {"description": "More students each way"}),
        ("indicator", {"name": "Incoming"}, {"unit": "people"}),
        ("actual", {"value": "12.0000"}, {"note": "Counted at the registry"}),
    ],
)
def test_two_api_patches_of_different_fields_keep_both(personas, second_coordinator, kind, first, second):
    mine, theirs = _api_client(personas.coordinator), _api_client(second_coordinator)
    failures = []
    for attempt in range(HTTP_TRIES):
        indicator = _indicator(personas)
        record = {
            "objective": indicator.objective,
            "indicator": indicator,
            "actual": services.indicator_actual_record(
                actor=personas.coordinator, indicator=indicator, year=2024, value="10"
            ),
        }[kind]
        url = f"/api/v1/partnerships/{indicator.objective.partnership_id}/{kind}s/{record.pk}"
        outcomes = race(
            partial(mine.patch, url, first, content_type="application/json"),
            partial(theirs.patch, url, second, content_type="application/json"),
        )
        assert [outcome.value.status_code for outcome in outcomes] == [200, 200], outcomes
        record.refresh_from_db()
        sent = {**first, **second}
        if {name: str(getattr(record, name)) for name in sent} != sent:
            failures.append(attempt)
    assert not failures, _report(failures, f"lost an API edit of an {kind}", HTTP_TRIES)


# --- the partnership edit form -------------------------------------------------------------------


def _edit_form(client: Client, partnership: Partnership, **changes) -> dict:
    """What a person's browser sends from the edit form as it was opened, with ``changes`` typed in."""
    page = client.get(f"/partnerships/{partnership.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)
    data = {
        "title": partnership.title,
        "model": partnership.model,
        "description": partnership.description,
        "start_date": partnership.start_date.isoformat(),
        "end_date": partnership.end_date.isoformat(),
        **({"version": version.group(1)} if version else {}),
    }
    return {**data, **changes}


def _saved(response) -> bool:
    return response.status_code == 302


def test_two_people_saving_the_partnership_form_lose_nothing_silently(personas, second_coordinator):
    """Each edits another field; whoever is told "saved" finds their change kept."""
    mine, theirs = _api_client(personas.coordinator), _api_client(second_coordinator)
    failures = []
    for attempt in range(HTTP_TRIES):
        partnership = _partnership(personas)
        url = f"/partnerships/{partnership.pk}/edit/"
        my_form = _edit_form(mine, partnership, title="Iberian exchange")
        their_form = _edit_form(theirs, partnership, description="Two-way mobility")
        outcomes = race(partial(mine.post, url, my_form), partial(theirs.post, url, their_form))
        responses = [outcome.value for outcome in outcomes]
        assert all(response.status_code in (200, 302) for response in responses), outcomes
        partnership.refresh_from_db()
        lost = (_saved(responses[0]) and partnership.title != "Iberian exchange") or (
            _saved(responses[1]) and partnership.description != "Two-way mobility"
        )
        if lost or not any(_saved(response) for response in responses):
            failures.append(attempt)
    assert not failures, _report(failures, "lost a saved change of the partnership form", HTTP_TRIES)


def test_two_people_setting_the_same_field_are_not_both_told_saved(personas, second_coordinator):
    mine, theirs = _api_client(personas.coordinator), _api_client(second_coordinator)
    failures = []
    for attempt in range(HTTP_TRIES):
        partnership = _partnership(personas)
        url = f"/partnerships/{partnership.pk}/edit/"
        my_form = _edit_form(mine, partnership, title="Iberian exchange")
        their_form = _edit_form(theirs, partnership, title="Vistula exchange")
        outcomes = race(partial(mine.post, url, my_form), partial(theirs.post, url, their_form))
        saved = [_saved(outcome.value) for outcome in outcomes if outcome.ok]
        if saved.count(True) != 1:
            failures.append(attempt)
        elif saved.count(False) == 1:
            conflict = next(o.value for o in outcomes if o.ok and not _saved(o.value)).content.decode()
            assert "since you opened it" in conflict and 'class="conflict"' in conflict
    assert not failures, _report(failures, "told both people 'saved' for the same field", HTTP_TRIES)


# --- at least one coordinator ---------------------------------------------------------------------


def _member(partnership, organisation) -> PartnershipMember:
    return PartnershipMember.objects.get(partnership=partnership, organisation=organisation)


def _coordinators(partnership) -> int:
    return PartnershipMember.objects.filter(partnership=partnership, role=MemberRole.COORDINATOR).count()


def _hand_over(actor, member):
    return partial(
        services.partnership_member_update, actor=actor, member=member, role=MemberRole.COORDINATOR
    )


def test_handing_coordination_over_racing_a_role_change_keeps_a_coordinator(personas):
    """The home coordinator hands over to P1 while platform staff (who may act whoever coordinates)
    make P1 an associate partner, each from the member as they read it."""
    failures = []
    for attempt in range(TRIES):
        partnership = _partnership(personas)
        handed, demoted = (
            _member(partnership, personas.partner_org),
            _member(partnership, personas.partner_org),
        )
        outcomes = race(
            _hand_over(personas.coordinator, handed),
            partial(
                services.partnership_member_update,
                actor=personas.platform_admin,
                member=demoted,
                role=MemberRole.ASSOCIATE_PARTNER,
            ),
        )
        assert all(outcome.ok or _refused(outcome) for outcome in outcomes), outcomes
        if _coordinators(partnership) != 1:
            failures.append(attempt)
    assert not failures, _report(failures, "left no coordinator", TRIES)


def test_handing_coordination_over_racing_a_removal_keeps_a_coordinator(personas):
    third = make_organisation(name="Third University")
    failures = []
    for attempt in range(TRIES):
        partnership = _partnership(personas, third)
        handed, removed = (
            _member(partnership, personas.partner_org),
            _member(partnership, personas.partner_org),
        )
        outcomes = race(
            _hand_over(personas.coordinator, handed),
            partial(services.partnership_member_remove, actor=personas.platform_admin, member=removed),
        )
        assert all(outcome.ok or _refused(outcome) for outcome in outcomes), outcomes
        if _coordinators(partnership) != 1:
            failures.append(attempt)
    assert not failures, _report(failures, "left no coordinator", TRIES)


def test_handing_over_racing_a_removal_over_http_keeps_a_coordinator(personas):
    third = make_organisation(name="Third University")
    mine, staff = _api_client(personas.coordinator), _api_client(personas.platform_admin)
    failures = []
    for attempt in range(HTTP_TRIES):
        partnership = _partnership(personas, third)
        member = _member(partnership, personas.partner_org)
        base = f"/partnerships/{partnership.pk}/members/{member.pk}"
        outcomes = race(
            partial(mine.post, f"{base}/role/", {"role": MemberRole.COORDINATOR, "version": member.version}),
            partial(staff.post, f"{base}/remove/"),
        )
        # Done or refused with a message (302), or the member was already gone when the page looked (404).
        answered = all(outcome.ok and outcome.value.status_code in (302, 404) for outcome in outcomes)
        if not answered or _coordinators(partnership) != 1:
            failures.append(attempt)
    assert not failures, _report(failures, "crashed or left no coordinator", HTTP_TRIES)


def test_two_hand_overs_at_once_leave_exactly_one_coordinator(personas):
    """Holds already (the partnership row is locked); it must keep holding."""
    third = make_organisation(name="Third University")
    failures = []
    for attempt in range(TRIES):
        partnership = _partnership(personas, third)
        outcomes = race(
            _hand_over(personas.platform_admin, _member(partnership, personas.partner_org)),
            _hand_over(personas.platform_admin, _member(partnership, third)),
        )
        assert all(outcome.ok for outcome in outcomes), outcomes
        if _coordinators(partnership) != 1:
            failures.append(attempt)
    assert not failures, _report(failures, "left other than one coordinator", TRIES)


# --- the next order number -----------------------------------------------------------------------


def test_two_objectives_created_at_once_get_different_orders(personas, second_coordinator):
    failures = []
    for attempt in range(TRIES):
        partnership = _partnership(personas)
        outcomes = race(
            partial(
                services.objective_create, actor=personas.coordinator, partnership=partnership, title="A"
            ),
            partial(services.objective_create, actor=second_coordinator, partnership=partnership, title="B"),
        )
        assert all(outcome.ok for outcome in outcomes), outcomes
        orders = list(Objective.objects.filter(partnership=partnership).values_list("order", flat=True))
        if sorted(orders) != [0, 1]:
            failures.append(attempt)
    assert not failures, _report(failures, "gave two objectives the same order", TRIES)


def test_two_objectives_added_at_once_over_the_api_get_different_orders(personas, second_coordinator):
    mine, theirs = _api_client(personas.coordinator), _api_client(second_coordinator)
    failures = []
    for attempt in range(HTTP_TRIES):
        partnership = _partnership(personas)
        url = f"/api/v1/partnerships/{partnership.pk}/objectives"
        outcomes = race(
            partial(mine.post, url, {"title": "A"}, content_type="application/json"),
            partial(theirs.post, url, {"title": "B"}, content_type="application/json"),
        )
        assert [outcome.value.status_code for outcome in outcomes] == [201, 201], outcomes
        orders = list(Objective.objects.filter(partnership=partnership).values_list("order", flat=True))
        if sorted(orders) != [0, 1]:
            failures.append(attempt)
    assert not failures, _report(failures, "gave two objectives the same order", HTTP_TRIES)


# --- one figure and one target per indicator and year ----------------------------------------------


def test_recording_the_same_year_twice_keeps_one_figure_and_says_why(personas, second_coordinator):
    failures = []
    for attempt in range(TRIES):
        indicator = _indicator(personas)
        outcomes = race(
            partial(
                services.indicator_actual_record,
                actor=personas.coordinator,
                indicator=indicator,
                year=2024,
                value="10",
            ),
            partial(
                services.indicator_actual_record,
                actor=second_coordinator,
                indicator=indicator,
                year=2024,
                value="11",
            ),
        )
        refusals = [outcome for outcome in outcomes if not outcome.ok]
        if (
            len(refusals) != 1
            or not _refused(refusals[0])
            or "2024" not in refusals[0].error.message + str(getattr(refusals[0].error, "errors", ""))
            or IndicatorActual.objects.filter(indicator=indicator).count() != 1
        ):
            failures.append(attempt)
    assert not failures, _report(failures, "did not keep one figure with a sentence", TRIES)


def test_setting_the_same_target_twice_keeps_one_and_says_why(personas, second_coordinator):
    failures = []
    for attempt in range(TRIES):
        indicator = _indicator(personas)
        outcomes = race(
            partial(
                services.indicator_target_create,
                actor=personas.coordinator,
                indicator=indicator,
                year=2026,
                target_value="20",
            ),
            partial(
                services.indicator_target_create,
                actor=second_coordinator,
                indicator=indicator,
                year=2026,
                target_value="25",
            ),
        )
        refusals = [outcome for outcome in outcomes if not outcome.ok]
        if (
            len(refusals) != 1
            or not _refused(refusals[0])
            or "2026" not in str(getattr(refusals[0].error, "errors", ""))
            or IndicatorTarget.objects.filter(indicator=indicator).count() != 1
        ):
            failures.append(attempt)
    assert not failures, _report(failures, "did not keep one target with a sentence", TRIES)


def test_recording_the_same_year_twice_over_the_api_answers_a_sentence(personas, second_coordinator):
    mine, theirs = _api_client(personas.coordinator), _api_client(second_coordinator)
    failures = []
    for attempt in range(HTTP_TRIES):
        indicator = _indicator(personas)
        url = f"/api/v1/partnerships/{indicator.objective.partnership_id}/indicators/{indicator.pk}/actuals"
        outcomes = race(
            partial(mine.post, url, {"year": 2024, "value": "10"}, content_type="application/json"),
            partial(theirs.post, url, {"year": 2024, "value": "11"}, content_type="application/json"),
        )
        statuses = sorted(outcome.value.status_code for outcome in outcomes if outcome.ok)
        refused = [o.value for o in outcomes if o.ok and o.value.status_code != 201]
        if (
            statuses not in ([201, 409], [201, 422])
            or "2024" not in refused[0].json()["message"] + str(refused[0].json().get("errors"))
            or IndicatorActual.objects.filter(indicator=indicator).count() != 1
        ):
            failures.append(attempt)
    assert not failures, _report(failures, "answered a double figure without a sentence", HTTP_TRIES)
