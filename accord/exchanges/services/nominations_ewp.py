"""Nominations to partners that use another EWP node (docs/decisions/0009-mobilities.md).

A partner on this node decides on a ``Nomination`` in Accord. A partner reached over EWP cannot see it:
in EWP a nomination *is* an outgoing mobility with status pending, which the partner's node fetches
and approves or rejects through our Outgoing Mobilities ``update``. So, for such partners, publishing a
run creates the mobility at once (nominated, ``source="nomination"``) beside the nomination; the
partner's decision on the mobility is then recorded on the nomination too
(``runs.nomination_follow_mobility``), and a nomination that re-allocation cancels cancels its mobility.
"""

from datetime import date, timedelta

from accord.core.networks import partner_on_network
from accord.exchanges.choices import MobilityType as CallMobilityType
from accord.exchanges.choices import Term
from accord.exchanges.models import AllocationRun, Nomination
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import ALLOWED_TRANSITIONS, MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.mobilities.services.mobility import academic_year_bounds
from accord.organisations.models import Organisation

# The calls whose nominations have an EWP form (Outgoing Mobilities v3: student mobilities for studies).
MOBILITY_TYPES: dict[str, MobilityType] = {
    CallMobilityType.STUDENT_STUDIES: MobilityType.LONG_TERM_PHYSICAL,
    CallMobilityType.BLENDED_INTENSIVE_PROGRAMME: MobilityType.BLENDED_INTENSIVE,
}
SEMESTER_MONTHS = 5


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def term_dates(academic_year: str, term: str) -> tuple[date, date]:
    """Planned dates of a call's term: the academic year, or its first five months, or the rest."""
    first, last = academic_year_bounds(academic_year)
    middle = _add_months(first, SEMESTER_MONTHS)
    if term == Term.AUTUMN:
        return first, middle - timedelta(days=1)
    if term == Term.SPRING:
        return middle, last
    return first, last


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
    place, application = nomination.place, nomination.application
    call = place.call
    mobility_type = MOBILITY_TYPES.get(call.mobility_type)
    if mobility_type is None or not on_network:
        return None
    start, end = term_dates(call.academic_year, call.term)
    return mobility_services.mobility_create(
        actor=actor,
        participant=application.student,
        mobility_type=mobility_type,
        sending_organisation=call.owner,
        receiving_organisation=place.receiving_organisation,
        academic_year=call.academic_year,
        planned_start=start,
        planned_end=end,
        agreement=place.agreement,
        condition_key=place.condition_key,
        eqf_level=application.eqf_level,
        isced_code=application.isced_code,
        language=place.language,
        source=MobilitySource.NOMINATION,
        source_id=nomination.pk,
    )


def nomination_mobility_cancel(*, actor, nomination: Nomination, reason: str) -> None:
    """Re-allocation cancelled ``nomination``: its mobility (if one was made for EWP) goes with it."""
    mobility = Mobility.objects.filter(source=MobilitySource.NOMINATION, source_id=nomination.pk).first()
    if mobility is not None and ALLOWED_TRANSITIONS.allowed(mobility.status, MobilityStatus.CANCELLED):
        mobility_services.mobility_transition(
            actor=actor, mobility=mobility, to_status=MobilityStatus.CANCELLED, reason=reason
        )
