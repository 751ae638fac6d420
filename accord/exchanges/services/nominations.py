"""The receiving partner's decision on a nomination, and the mobility it starts.

Accepting a nomination *is* accepting the participant: the one ``Mobility`` row both institutions see
(outgoing for the sender, incoming for the receiver) is created at that moment, already accepted,
with ``source="nomination"`` and the nomination's id, so the application, the place, the agreement and
its cooperation condition stay linked and nobody enters the student again. A partner reached over EWP
got that mobility at publication (``nominations_ewp``); its decision arrives on the mobility and is
copied here (``nomination_follow_mobility``).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.exchanges import notifications
from accord.exchanges.choices import MobilityType as CallMobilityType
from accord.exchanges.choices import NominationStatus, Term
from accord.exchanges.models import Nomination
from accord.exchanges.querysets import ExchangeAction
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.mobilities.services.mobility import academic_year_bounds

# The mobility each kind of call leads to.
CALL_MOBILITY_TYPES: dict[str, MobilityType] = {
    CallMobilityType.STUDENT_STUDIES: MobilityType.LONG_TERM_PHYSICAL,
    CallMobilityType.STUDENT_TRAINEESHIP: MobilityType.LONG_TERM_PHYSICAL,
    CallMobilityType.BLENDED_INTENSIVE_PROGRAMME: MobilityType.BLENDED_INTENSIVE,
    CallMobilityType.STAFF_TEACHING: MobilityType.STAFF_TEACHING,
    CallMobilityType.STAFF_TRAINING: MobilityType.STAFF_TRAINING,
    CallMobilityType.VIRTUAL_EXCHANGE: MobilityType.VIRTUAL,
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


def mobility_fields(nomination: Nomination, mobility_type: str) -> dict:
    """What the nomination says of its mobility: who, where, when, under which agreement condition
    (the place's; when it names none, ``mobility_create`` takes the one that fits)."""
    place, application = nomination.place, nomination.application
    call = place.call
    start, end = term_dates(call.academic_year, call.term)
    return {
        "participant": application.student,
        "mobility_type": mobility_type,
        "sending_organisation": call.owner,
        "receiving_organisation": place.receiving_organisation,
        "academic_year": call.academic_year,
        "planned_start": start,
        "planned_end": end,
        "agreement": place.agreement,
        "condition_key": place.condition_key,
        "eqf_level": application.eqf_level,
        "isced_code": application.isced_code,
        "language": place.language,
        "source": MobilitySource.NOMINATION,
        "source_id": nomination.pk,
    }


def nomination_mobility(nomination: Nomination) -> Mobility | None:
    """The mobility started by ``nomination``, if any."""
    return Mobility.objects.filter(source=MobilitySource.NOMINATION, source_id=nomination.pk).first()


def _accepted_mobility(actor, nomination: Nomination) -> Mobility:
    existing = nomination_mobility(nomination)
    if existing is not None:
        # Made at publication for a partner on EWP; accepting here accepts it (over EWP it already is).
        if existing.status == MobilityStatus.NOMINATED:
            mobility_services.mobility_transition(
                actor=actor, mobility=existing, to_status=MobilityStatus.ACCEPTED
            )
        return existing
    fields = mobility_fields(nomination, CALL_MOBILITY_TYPES[nomination.place.call.mobility_type])
    try:
        return mobility_services.mobility_create(actor=actor, accepted=True, **fields)
    except ValidationFailed as exc:
        problems = " ".join(message for messages in exc.errors.values() for message in messages)
        raise Conflict(
            _("The nomination cannot become a mobility yet: %(problems)s Ask the sending coordinator.")
            % {"problems": problems},
            code="mobility_refused",
        ) from exc


def _decide(actor, nomination: Nomination, status: str, reason: str) -> Nomination:
    if not Nomination.objects.for_user(actor, ExchangeAction.DECIDE).filter(pk=nomination.pk).exists():
        if Nomination.objects.for_user(actor).filter(pk=nomination.pk).exists():
            raise PermissionDenied(_("Only the receiving organisation accepts or rejects a nomination."))
        raise NotFound(_("No such nomination."))
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("place__call__owner", "place__receiving_organisation", "application__student")
        .get(pk=nomination.pk)
    )
    if nomination.status != NominationStatus.PENDING:
        raise Conflict(
            _("This nomination was already %(status)s.")
            % {"status": nomination.get_status_display().lower()},
            code="wrong_status",
            field="status",
        )
    nomination.status, nomination.reason = status, reason.strip()
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    transaction.on_commit(lambda: notifications.nomination_decided(nomination.pk))
    return nomination


@transaction.atomic
def nomination_accept(*, actor, nomination: Nomination) -> Nomination:
    """Accept the student: their mobility starts, accepted, on both institutions' lists."""
    nomination = _decide(actor, nomination, NominationStatus.ACCEPTED, "")
    _accepted_mobility(actor, nomination)
    return nomination


@transaction.atomic
def nomination_reject(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Reject with a reason; the sending coordinator is offered the next student on the waiting list."""
    if not (reason or "").strip():
        raise ValidationFailed(
            {"reason": [_("Give the reason: the student and the sending coordinator read it.")]}
        )
    return _decide(actor, nomination, NominationStatus.REJECTED, reason)


def nomination_follow_mobility(*, actor, mobility, reason: str = "") -> Nomination | None:
    """The receiving institution accepted or rejected ``mobility`` (made for a partner on EWP, see
    ``nominations_ewp``): record the same decision, as the same ``actor``, on its pending nomination."""
    if mobility.source != MobilitySource.NOMINATION or mobility.source_id is None:
        return None
    nomination = Nomination.objects.filter(pk=mobility.source_id, status=NominationStatus.PENDING).first()
    if nomination is None:
        return None
    if mobility.status == MobilityStatus.ACCEPTED:
        return nomination_accept(actor=actor, nomination=nomination)
    if mobility.status == MobilityStatus.CANCELLED:
        return nomination_reject(actor=actor, nomination=nomination, reason=reason)
    return None
