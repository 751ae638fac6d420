"""Nominations to partners that use another EWP node (docs/decisions/0009-mobilities.md).

A partner on this node decides on a ``Nomination`` in Accord. A partner reached over EWP cannot see it:
in EWP a nomination *is* an outgoing mobility with status pending, which the partner's node fetches
and approves or rejects through our Outgoing Mobilities ``update``. So, for such partners, publishing a
run creates the mobility at once (nominated, ``source="nomination"``) beside the nomination; the
partner's decision on the mobility is then recorded on the nomination too
(``nominations.nomination_follow_mobility``), and a nomination that re-allocation cancels cancels its
mobility.
"""

from accord.core.networks import partner_on_network
from accord.exchanges.choices import MobilityType as CallMobilityType
from accord.exchanges.models import AllocationRun, Nomination
from accord.exchanges.services.nominations import mobility_fields, nomination_mobility, term_dates
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import ALLOWED_TRANSITIONS, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.organisations.models import Organisation

__all__ = ["MOBILITY_TYPES", "nomination_mobility_cancel", "nomination_mobility_create", "term_dates"]

# The calls whose nominations have an EWP form (Outgoing Mobilities v3: student mobilities for studies).
MOBILITY_TYPES: dict[str, MobilityType] = {
    CallMobilityType.STUDENT_STUDIES: MobilityType.LONG_TERM_PHYSICAL,
    CallMobilityType.BLENDED_INTENSIVE_PROGRAMME: MobilityType.BLENDED_INTENSIVE,
}


def partners_on_network(run: AllocationRun) -> set[int]:
    """The receiving organisations of ``run``'s places that decide on nominations in their own system
    (for calls EWP has a nomination form for). Asked before ``run_publish`` opens its transaction,
    because the answer may need the EWP registry."""
    if run.call.mobility_type not in MOBILITY_TYPES:
        return set()
    receiver_ids = run.assignments.exclude(place=None).values("place__receiving_organisation")
    receivers = Organisation.objects.filter(pk__in=receiver_ids)
    return {receiver.pk for receiver in receivers if partner_on_network(run.call.owner, receiver)}


def nomination_mobility_create(*, actor, nomination: Nomination, on_network: bool) -> Mobility | None:
    """The mobility a partner reached over EWP fetches as the nomination (None for partners that
    decide in Accord, and for calls EWP has no nomination form for). Called inside ``run_publish``."""
    mobility_type = MOBILITY_TYPES.get(nomination.place.call.mobility_type)
    if mobility_type is None or not on_network:
        return None
    return mobility_services.mobility_create(actor=actor, **mobility_fields(nomination, mobility_type))


def nomination_mobility_cancel(*, actor, nomination: Nomination, reason: str) -> None:
    """Re-allocation cancelled ``nomination``: its mobility (if one was made for EWP) goes with it."""
    mobility = nomination_mobility(nomination)
    if mobility is not None and ALLOWED_TRANSITIONS.allowed(mobility.status, MobilityStatus.CANCELLED):
        mobility_services.mobility_transition(
            actor=actor, mobility=mobility, to_status=MobilityStatus.CANCELLED, reason=reason
        )
