"""Agreement writes that really overlap (threads released together, on PostgreSQL).

A contended write ends in its result or in the 409 ``stale_version`` the optimistic scheme promises,
never in a server error; two partners approving one version are both recorded and bring it into
effect once. Each case is tried many times, since one overlap proves little."""

import pytest
from django.test import Client

from accord.accounts.choices import Role
from accord.agreements import services
from accord.agreements.choices import AgreementStatus, EventKind
from accord.agreements.models import Agreement, AgreementApproval
from accord.core.errors import Conflict
from accord.testing.factories import agreement_document, make_organisation, make_partnership, make_user
from accord.testing.races import Outcome, race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 30


@pytest.fixture(autouse=True)
def parallel_database():
    require_parallel_database()


@pytest.fixture
def colleague(personas):
    return make_user("colleague", organisation=personas.home, role=Role.COORDINATOR)


def fresh(agreement: Agreement) -> Agreement:
    """The agreement as a request would load it: its own copy, read before the contended write."""
    return Agreement.objects.select_related("current_version").get(pk=agreement.pk)


def draft(personas, *, shared: bool = False) -> Agreement:
    agreement = services.agreement_create(
        actor=personas.coordinator,
        partnership=make_partnership(personas.home, personas.partner_org),
        title="Informatics",
        content=agreement_document(personas.home, personas.partner_org),
    )
    if shared:
        services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    return agreement


def unexpected(outcomes: list[Outcome]) -> list[BaseException]:
    """The errors that are neither a result nor the stale-version conflict."""
    return [
        outcome.error
        for outcome in outcomes
        if outcome.error is not None
        and not (isinstance(outcome.error, Conflict) and outcome.error.code == "stale_version")
    ]


def edit(personas, actor, agreement: Agreement, *, places: int, base_version: int | None):
    def write():
        document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=places)
        return services.agreement_update(
            actor=actor, agreement=fresh(agreement), content=document, base_version=base_version
        )

    return write


def approve(actor, agreement: Agreement):
    conditions_hash = agreement.current_version.conditions_hash
    return lambda: services.agreement_approve(
        actor=actor, agreement=fresh(agreement), version_number=1, conditions_hash=conditions_hash
    )


def save_condition(actor, agreement: Agreement, *, places: int):
    def write():
        condition = dict(fresh(agreement).current_version.content["conditions"][0])
        condition["mobilities_per_year"] = places
        return services.condition_save(
            actor=actor, agreement=fresh(agreement), condition=condition, base_version=1
        )

    return write


def patch_over_http(client: Client, personas, agreement: Agreement, *, places: int):
    def send():
        document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=places)
        return client.patch(
            f"/api/v1/agreements/{agreement.pk}",
            {"content": document, "base_version": 1},
            content_type="application/json",
        ).status_code

    return send


def test_approving_while_a_new_version_is_saved_is_approved_or_stale(personas):
    failures = []
    for _ in range(TRIES):
        agreement = draft(personas, shared=True)
        outcomes = race(
            approve(personas.partner, agreement),
            edit(personas, personas.coordinator, agreement, places=5, base_version=1),
        )
        failures += unexpected(outcomes)
    assert not failures, f"{len(failures)} of {TRIES} ended in {sorted({type(e).__name__ for e in failures})}"


@pytest.mark.parametrize("base_version", [1, None], ids=["with-base-version", "without-base-version"])
def test_two_coordinators_saving_one_draft_save_once_or_are_told_it_is_stale(
    personas, colleague, base_version
):
    failures, stale = [], 0
    for _ in range(TRIES):
        agreement = draft(personas)
        outcomes = race(
            edit(personas, personas.coordinator, agreement, places=3, base_version=base_version),
            edit(personas, colleague, agreement, places=4, base_version=base_version),
        )
        failures += unexpected(outcomes)
        stale += sum(1 for outcome in outcomes if not outcome.ok)
        numbers = sorted(agreement.versions.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        if base_version is not None:
            # Exactly one of the two starts from version 1; the other is told what changed.
            assert len(numbers) == 2 or failures
    assert not failures, f"{len(failures)} of {TRIES} ended in {sorted({type(e).__name__ for e in failures})}"
    if base_version is None:
        assert stale == 0


def test_saving_a_condition_twice_at_once_saves_once_or_is_stale(personas, colleague):
    failures = []
    for _ in range(TRIES):
        agreement = draft(personas)
        outcomes = race(
            save_condition(personas.coordinator, agreement, places=6),
            save_condition(colleague, agreement, places=7),
        )
        failures += unexpected(outcomes)
    assert not failures, f"{len(failures)} of {TRIES} ended in {sorted({type(e).__name__ for e in failures})}"


def test_two_coordinators_patching_over_http_get_200_and_409_never_500(personas, colleague):
    clients = []
    for user in (personas.coordinator, colleague):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    statuses: list[tuple[int, ...]] = []
    for _ in range(TRIES):
        agreement = draft(personas)
        outcomes = race(
            patch_over_http(clients[0], personas, agreement, places=3),
            patch_over_http(clients[1], personas, agreement, places=4),
        )
        statuses.append(tuple(sorted(outcome.value for outcome in outcomes)))
    failed = [pair for pair in statuses if pair != (200, 409)]
    assert not failed, f"{len(failed)} of {TRIES} answered {sorted(set(failed))}"


def test_two_partners_approving_one_version_are_both_recorded_and_bring_it_into_effect_once(personas):
    third = make_organisation(name="Third University", schac_code="third.example.edu", country_code="IT")
    third_coordinator = make_user("third", organisation=third, role=Role.COORDINATOR)
    for _ in range(TRIES):
        document = agreement_document(personas.home, personas.partner_org)
        document["partners"].append({"organisation_ref": str(third.pk)})
        document["terms"] = {"agreement_type": "memorandum_of_understanding"}
        agreement = services.agreement_create(
            actor=personas.coordinator,
            partnership=make_partnership(personas.home, personas.partner_org, third),
            title="Three parties",
            content=document,
        )
        services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
        version = agreement.current_version
        outcomes = race(approve(personas.partner, agreement), approve(third_coordinator, agreement))
        assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
        agreement.refresh_from_db()
        assert AgreementApproval.objects.filter(version=version).count() == 3
        assert agreement.status == AgreementStatus.IN_EFFECT
        assert agreement.events.filter(kind=EventKind.IN_EFFECT).count() == 1
