"""The lifecycle state machine: every pair of statuses, the history it writes, and its refusals."""

import pytest

from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.partnerships import services
from accord.partnerships.choices import ALLOWED_TRANSITIONS, PartnershipStatus
from accord.partnerships.models import Partnership, PartnershipTransition
from accord.testing.factories import make_partnership

pytestmark = pytest.mark.django_db

S = PartnershipStatus

# The table written out by hand, so that a change to ALLOWED_TRANSITIONS shows up here as a diff.
EXPECTED = {
    S.EXPLORING: {S.NEGOTIATING, S.CLOSED},
    S.NEGOTIATING: {S.ACTIVE, S.EXPLORING, S.CLOSED},
    S.ACTIVE: {S.UNDER_REVIEW, S.CLOSED},
    S.UNDER_REVIEW: {S.ACTIVE, S.RENEWED, S.CLOSED},
    S.RENEWED: {S.UNDER_REVIEW, S.CLOSED},
    S.CLOSED: set(),
}


def test_the_table_covers_every_status_and_matches_the_documented_one():
    assert {status: set(targets) for status, targets in ALLOWED_TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("from_status", S.values)
def test_every_pair_is_allowed_or_refused_as_the_table_says(personas, from_status):
    # One test per starting status, trying every target on a fresh partnership: exhaustive, and
    # without setting the personas up 36 times.
    for to_status in S.values:
        partnership = make_partnership(personas.home, personas.partner_org, status=from_status)
        allowed = to_status in EXPECTED[from_status]
        if allowed:
            transition = services.partnership_transition(
                actor=personas.coordinator, partnership=partnership, to_status=to_status, reason="Agreed."
            )
            assert (transition.from_status, transition.to_status) == (from_status, to_status)
        else:
            with pytest.raises(Conflict) as exc_info:
                services.partnership_transition(
                    actor=personas.coordinator, partnership=partnership, to_status=to_status, reason="Agreed."
                )
            assert exc_info.value.field == "to_status"
            assert not PartnershipTransition.objects.filter(partnership=partnership).exists()
        partnership.refresh_from_db()
        assert partnership.status == (to_status if allowed else from_status), f"{from_status} → {to_status}"


def test_a_refusal_lists_the_allowed_next_statuses(personas, partnership):
    with pytest.raises(Conflict) as exc_info:
        services.partnership_transition(actor=personas.admin, partnership=partnership, to_status=S.ACTIVE)
    assert exc_info.value.message == (
        "A partnership that is exploring cannot move to active; allowed next statuses: negotiating, closed."
    )
    assert exc_info.value.as_dict()["code"] == "conflict"


def test_closed_is_final(personas):
    closed = make_partnership(personas.home, personas.partner_org, status=S.CLOSED)
    with pytest.raises(Conflict, match="allowed next statuses: none"):
        services.partnership_transition(actor=personas.admin, partnership=closed, to_status=S.EXPLORING)


def test_closing_needs_a_reason(personas, partnership):
    for reason in ("", "   "):
        with pytest.raises(ValidationFailed) as exc_info:
            services.partnership_transition(
                actor=personas.admin, partnership=partnership, to_status=S.CLOSED, reason=reason
            )
        assert exc_info.value.errors == {"reason": ["Give a reason for moving the partnership to closed."]}
    partnership.refresh_from_db()
    assert partnership.status == S.EXPLORING


def test_an_unknown_status_is_a_validation_error(personas, partnership):
    with pytest.raises(ValidationFailed) as exc_info:
        services.partnership_transition(actor=personas.admin, partnership=partnership, to_status="paused")
    assert exc_info.value.field == "to_status"


def test_the_history_records_each_step_and_is_appended_to(personas, partnership):
    steps = [
        (personas.coordinator, S.NEGOTIATING, "Partners met in Madrid."),
        (personas.admin, S.ACTIVE, "Agreement signed."),
        (personas.platform_admin, S.UNDER_REVIEW, ""),
        (personas.coordinator, S.CLOSED, "Funding ended."),
    ]
    for actor, to_status, reason in steps:
        services.partnership_transition(
            actor=actor, partnership=partnership, to_status=to_status, reason=reason
        )
    history = list(
        PartnershipTransition.objects.filter(partnership=partnership).values_list(
            "from_status", "to_status", "actor__username", "reason"
        )
    )
    assert history == [
        ("exploring", "negotiating", "coordinator", "Partners met in Madrid."),
        ("negotiating", "active", "admin", "Agreement signed."),
        ("active", "under_review", "platform_admin", ""),
        ("under_review", "closed", "coordinator", "Funding ended."),
    ]
    times = list(PartnershipTransition.objects.filter(partnership=partnership).values_list("at", flat=True))
    assert times == sorted(times)
    assert Partnership.objects.get(pk=partnership.pk).status == S.CLOSED


@pytest.mark.parametrize("persona", ["teacher", "viewer", "partner"])
def test_only_the_coordinating_organisations_managers_move_it(personas, partnership, persona):
    with pytest.raises(PermissionDenied):
        services.partnership_transition(
            actor=personas.by_name(persona), partnership=partnership, to_status=S.NEGOTIATING
        )
    partnership.refresh_from_db()
    assert partnership.status == S.EXPLORING
