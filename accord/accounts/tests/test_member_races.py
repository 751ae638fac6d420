"""Members removed and demoted at the same moment (PostgreSQL): the rules hold under races.

An admin removed a moment earlier cannot act as an admin any more, even when their request was
checked before the removal committed; two admins removing each other never leave zero admins.
"""

import contextlib
import time
from functools import partial

import pytest
from django.db import transaction
from django.test import Client

from accord.accounts import services
from accord.accounts.choices import Role
from accord.accounts.models import Invitation, Membership, User
from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, NotFound, PermissionDenied
from accord.testing.factories import make_organisation, make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)

TRIES = 30
# The first removal holds its locks this long before committing; the removed admin acts a moment
# after the race starts, so that their request is admitted while the removal is not committed yet
# (a request through the middleware takes longer to reach its permission check, more so under load).
HOLD = {"service": 0.5, "http": 1.5}
LATER = 0.1


def _three_admins(number: int):
    organisation = make_organisation(name=f"Race University {number}", schac_code=f"race{number}.example.edu")
    return organisation, [
        make_user(f"admin{number}{letter}", organisation=organisation, role=Role.ADMIN) for letter in "abc"
    ]


def _membership(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def _remove_and_hold(actor_id: int, membership_id: int, hold: float) -> float:
    """Remove, then hold the locks a while; returns when the locks were held (monotonic time)."""
    actor = User.objects.get(pk=actor_id)
    with transaction.atomic():
        services.membership_remove(actor=actor, membership_id=membership_id)
        locked_at = time.monotonic()
        time.sleep(hold)
    return locked_at


def _count_wrong(number: int, act_later, hold: float) -> tuple[int, int]:
    """Admin C removes admin A while A, a moment later, removes admin B. When A started after C held
    the locks, A's removal must be refused; (1, 0) when it was not, (0, 1) when A started first."""
    organisation, (first, second, third) = _three_admins(number)
    removed, target = _membership(first, organisation), _membership(second, organisation)
    client = Client()
    client.force_login(first)  # before the race: signing in is not what is raced
    outcomes = race(
        lambda: _remove_and_hold(third.pk, removed.pk, hold),
        lambda: act_later(first=first, client=client, organisation=organisation, target=target),
    )
    assert outcomes[0].ok, outcomes[0].error
    locked_at = outcomes[0].value
    started_at, _refusal = outcomes[1].value if outcomes[1].ok else (None, outcomes[1].error)
    if started_at is not None and started_at < locked_at:
        return 0, 1  # A came first: removing B was allowed, and the race tells nothing
    if Membership.objects.filter(pk=target.pk).exists():
        return 0, 0
    return 1, 0


def _service_later(*, first, client, organisation, target) -> tuple[float, None]:
    actor = User.objects.get(pk=first.pk)
    actor.memberships.count()  # the request reads the actor's roles first, as a page does
    time.sleep(LATER)
    started_at = time.monotonic()
    with contextlib.suppress(PermissionDenied):
        services.membership_remove(actor=actor, membership_id=target.pk)
    return started_at, None


def _http_later(*, first, client, organisation, target) -> tuple[float, None]:
    time.sleep(LATER)
    started_at = time.monotonic()
    response = client.post(
        f"/accounts/organisations/{organisation.pk}/members/{target.pk}/remove/", {"version": target.version}
    )
    # Refused with the sentence on the members page, or not found when it came after the commit.
    assert response.status_code in (302, 404), response.status_code
    return started_at, None


@pytest.mark.parametrize("way", ["service", "http"])
def test_an_admin_removed_a_moment_earlier_cannot_remove_another_admin(way):
    require_parallel_database()
    wrong = came_first = 0
    for number in range(TRIES):
        act_later = _service_later if way == "service" else _http_later
        wrong_now, first_now = _count_wrong(number, act_later, HOLD[way])
        wrong, came_first = wrong + wrong_now, came_first + first_now
    assert wrong == 0, f"a removed admin still removed another admin in {wrong} of {TRIES - came_first}"
    assert came_first < TRIES // 2, "the removed admin came first too often for the race to tell"


def _remove_each_other(number: int) -> None:
    organisation = make_organisation(name=f"Pair University {number}", schac_code=f"pair{number}.example.edu")
    first = make_user(f"pair{number}a", organisation=organisation, role=Role.ADMIN)
    second = make_user(f"pair{number}b", organisation=organisation, role=Role.ADMIN)
    of_first, of_second = _membership(first, organisation), _membership(second, organisation)
    outcomes = race(
        lambda: services.membership_remove(actor=first, membership_id=of_second.pk),
        lambda: services.membership_remove(actor=second, membership_id=of_first.pk),
    )
    assert Membership.objects.filter(organisation=organisation, role=Role.ADMIN).count() == 1
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    refused = next(outcome.error for outcome in outcomes if not outcome.ok)
    assert isinstance(refused, PermissionDenied | NotFound | Conflict)


def test_two_admins_removing_each_other_never_leave_zero_admins():
    require_parallel_database()
    for number in range(TRIES):
        _remove_each_other(number)


def _invite_later(*, first, organisation) -> float:
    actor = User.objects.get(pk=first.pk)
    actor.memberships.count()  # the request reads the actor's roles first, as a page does
    time.sleep(LATER)
    started_at = time.monotonic()
    with contextlib.suppress(PermissionDenied):
        services.invitation_create(
            actor=actor, organisation=organisation, email="newcomer@example.org", role=Role.COORDINATOR
        )
    return started_at


def test_an_admin_removed_a_moment_earlier_invites_nobody():
    require_parallel_database()
    counted = wrong = 0
    for number in range(TRIES):
        organisation, (first, _second, third) = _three_admins(700 + number)
        removed = _membership(first, organisation)
        outcomes = race(
            partial(_remove_and_hold, third.pk, removed.pk, HOLD["service"]),
            partial(_invite_later, first=first, organisation=organisation),
        )
        assert outcomes[0].ok and outcomes[1].ok, (outcomes[0].error, outcomes[1].error)
        if outcomes[1].value < outcomes[0].value:
            continue  # the invitation came first, and was allowed
        counted += 1
        wrong += Invitation.objects.filter(organisation=organisation).exists()
    assert counted
    assert wrong == 0, f"{wrong} of {counted} invitations by a removed admin went through"


def _change_one_role_twice(number: int, versioned: bool) -> int:
    """Two admins change one member's role from the same page; returns how many changes went through."""
    organisation = make_organisation(name=f"Role University {number}", schac_code=f"role{number}.example.edu")
    first = make_user(f"role{number}a", organisation=organisation, role=Role.ADMIN)
    second = make_user(f"role{number}b", organisation=organisation, role=Role.ADMIN)
    member = _membership(
        make_user(f"role{number}c", organisation=organisation, role=Role.TEACHER), organisation
    )
    expected = member.version if versioned else None
    outcomes = race(
        lambda: services.membership_change_role(
            actor=first, membership_id=member.pk, role=Role.COORDINATOR, expected_version=expected
        ),
        lambda: services.membership_change_role(
            actor=second, membership_id=member.pk, role=Role.VIEWER, expected_version=expected
        ),
    )
    for outcome in outcomes:
        assert outcome.ok or isinstance(outcome.error, StaleVersion), outcome.error
    return sum(outcome.ok for outcome in outcomes)


def test_two_admins_changing_one_role_from_the_same_page_change_it_once():
    require_parallel_database()
    overwritten = sum(_change_one_role_twice(number, versioned=True) != 1 for number in range(TRIES))
    assert overwritten == 0, f"one change overwrote the other unseen in {overwritten} of {TRIES}"
