"""Creating mobilities, moving them by hand (accept, cancel) and recording arrivals and departures."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role
from accord.algorithms.mobility.duration import mobility_duration
from accord.core.concurrency import bump, require_version
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.mobilities import events, remote
from accord.mobilities.choices import (
    ALLOWED_TRANSITIONS,
    CONDITION_TYPES,
    MANUAL_TRANSITIONS,
    STAFF_TYPES,
    STUDENT_CONDITION_TYPES,
    EventKind,
    MobilitySource,
    MobilityStatus,
    MobilityType,
)
from accord.mobilities.conditions import agreement_conditions
from accord.mobilities.models import Mobility, MobilityTransition
from accord.mobilities.querysets import MobilityAction, mobility_may
from accord.mobilities.services._common import event, lock, move, notify_on_commit, require
from accord.mobilities.services.schedule import advance
from accord.reference.academic_years import parse_academic_year
from accord.reference.cefr import is_cefr
from accord.reference.eqf import is_eqf
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

# Dates recorded after these statuses move the mobility along; earlier, arrival is refused. On a copy
# of another node's mobility the learning agreement is the sending node's business (which checks it on
# its own record), and EWP makes the receiving institution the master of the actual dates, so an
# accepted copy takes them too (it stays accepted: only the learning agreement moves it further).
ARRIVAL_STATUSES = frozenset({MobilityStatus.LA_APPROVED, MobilityStatus.ONGOING, MobilityStatus.COMPLETED})


def academic_year_bounds(label: str) -> tuple[date, date]:
    """First and last day of an academic year, with years starting on ACCORD_ACADEMIC_YEAR_START_MONTH."""
    year = parse_academic_year(label)
    start = date(year.start_year, settings.ACCORD_ACADEMIC_YEAR_START_MONTH, 1)
    following = date(year.start_year + 1, settings.ACCORD_ACADEMIC_YEAR_START_MONTH, 1)
    return start, following - timedelta(days=1)


def _condition(agreement, key: str) -> dict | None:
    version = agreement.approved_version
    if version is None:
        return None
    return next((c for c in version.content.get("conditions", []) if c.get("key") == key), None)


def _check_agreement(
    errors: dict, *, agreement, condition_key, mobility_type, sending, receiving, year
) -> None:
    """The agreement must be in effect and its condition must send this kind of mobility from
    ``sending`` to ``receiving`` in ``year``."""
    if agreement.approved_version_id is None:
        errors["agreement_id"] = _("This agreement is not in effect: no version was approved by every party.")
        return
    condition = _condition(agreement, condition_key)
    if condition is None:
        errors["condition_key"] = _("Choose one of the cooperation conditions of the agreement in effect.")
        return
    partners = agreement.approved_version.content.get("partners", [])
    refs = [partner.get("organisation_ref") for partner in partners]
    if refs[condition["sending_partner"]] != str(sending.pk) or refs[condition["receiving_partner"]] != str(
        receiving.pk
    ):
        errors["condition_key"] = _(
            "This condition does not send participants from the sending to the receiving institution."
        )
    allowed_types = CONDITION_TYPES.get(mobility_type, STUDENT_CONDITION_TYPES)
    if condition["mobility_type"] not in allowed_types:
        errors["mobility_type"] = _("The condition is for %(kind)s, not for this type of mobility.") % {
            "kind": condition["mobility_type"].replace("_", " ")
        }
    first, last = condition["first_academic_year"], condition["last_academic_year"]
    if year and not first <= year <= last:
        errors["academic_year"] = _("The agreement covers %(first)s to %(last)s only.") % {
            "first": first,
            "last": last,
        }


def _only_condition(errors: dict, agreement, *, sending, receiving, mobility_type, year) -> str:
    """The key of the one condition of ``agreement`` that fits, or an error asking to choose."""
    fitting = agreement_conditions(
        agreement, sending=sending, receiving=receiving, mobility_type=mobility_type, academic_year=year
    )
    if len(fitting) == 1:
        return fitting[0].key
    if agreement.approved_version_id is None:
        return ""
    if fitting:
        errors["condition_key"] = _("Several cooperation conditions of this agreement fit: choose one.")
    else:
        errors["condition_key"] = _(
            "No cooperation condition of this agreement sends this kind of mobility from the sending to "
            "the receiving institution in %(year)s."
        ) % {"year": year}
    return ""


def check_dates_in_agreement(mobility: Mobility, start: date, end: date, *, prefix: str = "") -> dict:
    """Errors when the dates fall outside the academic years of the mobility's agreement condition."""
    if mobility.agreement_id is None:
        return {}
    condition = _condition(mobility.agreement, mobility.condition_key)
    if condition is None:
        return {}
    first_day = academic_year_bounds(condition["first_academic_year"])[0]
    last_day = academic_year_bounds(condition["last_academic_year"])[1]
    errors = {}
    message = _("Must be within the agreement's academic years (%(first)s to %(last)s).") % {
        "first": first_day.isoformat(),
        "last": last_day.isoformat(),
    }
    if not first_day <= start <= last_day:
        errors[f"{prefix}start"] = message
    if not first_day <= end <= last_day:
        errors[f"{prefix}end"] = message
    return errors


def check_studies(
    errors: dict,
    *,
    mobility_type: str,
    eqf_level: int | None,
    isced_code: str,
    language: str,
    cefr_level: str,
) -> None:
    """Errors of the fields that say what is studied, and in which language at which level."""
    if eqf_level is not None and not is_eqf(eqf_level):
        errors["eqf_level"] = _("EQF levels run from 1 to 8.")
    if mobility_type not in STAFF_TYPES and eqf_level is None and mobility_type in MobilityType.values:
        errors["eqf_level"] = _("A student mobility needs the EQF level studied.")
    if isced_code and not is_isced(isced_code):
        errors["isced_code"] = _(
            "'%(code)s' is not an ISCED-F 2013 field: give 2, 3 or 4 digits, such as 0413."
        ) % {"code": isced_code}
    if language and not is_language(language):
        errors["language"] = _("'%(code)s' is not a language code: write two letters, such as es.") % {
            "code": language
        }
    if cefr_level and not is_cefr(cefr_level):
        errors["cefr_level"] = _("'%(level)s' is not a CEFR level: write A1 to C2.") % {"level": cefr_level}


def recompute_duration(mobility: Mobility) -> None:
    duration = mobility_duration(mobility.start, mobility.end)
    mobility.duration_days, mobility.duration_months = duration.days, duration.months


def _check_participant(errors: dict, participant, sending, mobility_type) -> None:
    role = organisation_ids_with_roles(participant, frozenset({Role.STUDENT}))
    staff = organisation_ids_with_roles(participant, STAFF_ROLES)
    if mobility_type in STAFF_TYPES:
        if sending.pk not in staff:
            errors["participant_id"] = _(
                "A staff mobility's participant must work at the sending institution."
            )
    elif sending.pk not in role:
        errors["participant_id"] = _("The participant must be a student of the sending institution.")


@transaction.atomic
def mobility_create(
    *,
    actor,
    participant,
    mobility_type: str,
    sending_organisation,
    receiving_organisation,
    academic_year: str,
    planned_start: date,
    planned_end: date,
    sending_unit=None,
    receiving_unit=None,
    agreement=None,
    condition_key: str = "",
    eqf_level: int | None = None,
    isced_code: str = "",
    language: str = "",
    cefr_level: str = "",
    source: str = MobilitySource.MANUAL,
    source_id: int | None = None,
    accepted: bool = False,
) -> Mobility:
    """Record a mobility. Coordinators create them by hand; the exchanges app calls this for an
    accepted nomination with ``source="nomination"``, its id as ``source_id`` and ``accepted=True``,
    which starts the mobility as accepted by the receiver: accepting the nomination is accepting the
    participant, so the receiving institution's coordinator who accepts it creates it too.

    Without a ``condition_key``, the agreement's one condition that fits (direction, type, year) is
    taken; when several fit, the person has to choose."""
    managing = organisation_ids_with_roles(actor, MANAGING_ROLES)
    accepting = accepted and source == MobilitySource.NOMINATION and receiving_organisation.pk in managing
    if not (is_platform_staff(actor) or sending_organisation.pk in managing or accepting):
        raise PermissionDenied(
            _("Only admins and coordinators of the sending institution can create mobilities.")
        )
    errors: dict[str, str] = {}
    if mobility_type not in MobilityType.values:
        errors["mobility_type"] = _("Unknown type of mobility.")
    if sending_organisation.pk == receiving_organisation.pk:
        errors["receiving_organisation_id"] = _("The receiving institution must differ from the sending one.")
    if sending_unit is not None and sending_unit.organisation_id != sending_organisation.pk:
        errors["sending_unit_id"] = _("This unit belongs to another organisation.")
    if receiving_unit is not None and receiving_unit.organisation_id != receiving_organisation.pk:
        errors["receiving_unit_id"] = _("This unit belongs to another organisation.")
    year = ""
    try:
        year = parse_academic_year(academic_year).label
    except ValueError as error:
        errors["academic_year"] = str(error)
    if planned_end < planned_start:
        errors["planned_end"] = _("The end must not be before the start.")
    check_studies(
        errors,
        mobility_type=mobility_type,
        eqf_level=eqf_level,
        isced_code=isced_code,
        language=language,
        cefr_level=cefr_level,
    )
    if source not in MobilitySource.values:
        errors["source"] = _("Unknown source.")
    _check_participant(errors, participant, sending_organisation, mobility_type)
    if agreement is not None and not condition_key and year:
        condition_key = _only_condition(
            errors,
            agreement,
            sending=sending_organisation,
            receiving=receiving_organisation,
            mobility_type=mobility_type,
            year=year,
        )
    if agreement is not None and "condition_key" not in errors:
        _check_agreement(
            errors,
            agreement=agreement,
            condition_key=condition_key,
            mobility_type=mobility_type,
            sending=sending_organisation,
            receiving=receiving_organisation,
            year=year,
        )
    elif condition_key:
        errors["condition_key"] = _("A cooperation condition needs its agreement.")
    if source_id is not None and Mobility.objects.filter(source=source, source_id=source_id).exists():
        errors["source_id"] = _("A mobility was already created from this %(source)s.") % {"source": source}
    mobility = Mobility(
        participant=participant,
        mobility_type=mobility_type,
        sending_organisation=sending_organisation,
        sending_unit=sending_unit,
        receiving_organisation=receiving_organisation,
        receiving_unit=receiving_unit,
        agreement=agreement,
        condition_key=condition_key,
        academic_year=year,
        planned_start=planned_start,
        planned_end=planned_end,
        eqf_level=eqf_level,
        isced_code=isced_code,
        language=language,
        cefr_level=cefr_level.upper(),
        source=source,
        source_id=source_id,
        created_by=actor,
    )
    if not errors:
        errors.update(check_dates_in_agreement(mobility, planned_start, planned_end, prefix="planned_"))
    if errors:
        raise ValidationFailed(errors)
    recompute_duration(mobility)
    mobility.save()
    MobilityTransition.objects.create(
        mobility=mobility, from_status="", to_status=MobilityStatus.NOMINATED, actor=actor
    )
    event(mobility, EventKind.CREATED, actor)
    if accepted:
        move(mobility, MobilityStatus.ACCEPTED, actor=actor, reason=_("The nomination was accepted."))
    else:
        notify_on_commit(mobility.pk, "created")
    publish(events.MobilityCreated(mobility))
    return mobility


def _check_transition(actor, mobility: Mobility, to_status: str, reason: str) -> None:
    if to_status not in MANUAL_TRANSITIONS:
        raise ValidationFailed(
            {"status": _("This status follows from signatures, dates or recognition, not from a decision.")}
        )
    if to_status == MobilityStatus.ACCEPTED:
        require(actor, MobilityAction.RECEIVE, mobility)
    elif not (
        mobility_may(actor, MobilityAction.MANAGE, mobility)
        or mobility_may(actor, MobilityAction.RECEIVE, mobility)
    ):
        raise PermissionDenied(_("Only coordinators of the sending or receiving institution can cancel."))
    if to_status == MobilityStatus.CANCELLED and not reason.strip():
        raise ValidationFailed({"reason": _("Say why the mobility is cancelled.")})


def _remote_act(mobility: Mobility, to_status: str) -> str:
    """The act the master of a copy is asked to accept: EWP lets the receiving side approve or reject
    a nomination; anything else (cancelling an accepted mobility) no forwarder takes."""
    if mobility.status == MobilityStatus.NOMINATED:
        return "nomination_accept" if to_status == MobilityStatus.ACCEPTED else "nomination_reject"
    return "mobility_cancel"


def mobility_transition(*, actor, mobility: Mobility, to_status: str, reason: str = "") -> Mobility:
    """The moves people make by hand: the receiver accepts; either side cancels, with a reason.

    On a copy of a mobility another node owns (``source="ewp"``) the sending node decides first
    (:func:`accord.mobilities.remote.forward`); it is asked before our transaction opens, because its
    answer may send its change notification back here, and fetching it must not wait on a lock we hold.
    """
    _check_transition(actor, mobility, to_status, reason)
    if remote.is_copy(mobility):
        ALLOWED_TRANSITIONS.require(mobility.status, to_status, code="invalid_transition")
        remote.forward(mobility, _remote_act(mobility, to_status), actor=actor, reason=reason.strip())
    return _transition(actor=actor, mobility=mobility, to_status=to_status, reason=reason.strip())


@transaction.atomic
def _transition(*, actor, mobility: Mobility, to_status: str, reason: str) -> Mobility:
    lock(mobility)
    if remote.is_copy(mobility) and mobility.status == to_status:
        # The sending node's notification of this very decision was applied while it answered.
        message = _("Decided here and confirmed by the sending institution.")
        event(mobility, EventKind.CHANGED, actor, f"{message} {reason}".strip())
        return mobility
    _check_transition(actor, mobility, to_status, reason)
    from_status = mobility.status
    move(mobility, to_status, actor=actor, reason=reason)
    publish(events.MobilityStatusChanged(mobility, from_status=from_status, to_status=to_status))
    return mobility


@transaction.atomic
def mobility_record_dates(
    *,
    actor,
    mobility: Mobility,
    actual_start: date | None,
    actual_end: date | None = None,
    expected_version: int | None = None,
) -> Mobility:
    """The receiving side confirms arrival and departure once they happened (a future day is refused);
    durations are recomputed and the mobility becomes ongoing from the arrival and completed once the
    departure day is over (see :mod:`~accord.mobilities.services.schedule`). Refused when the mobility
    is no longer at ``expected_version``, the version the person read."""
    lock(mobility)
    require(actor, MobilityAction.RECEIVE, mobility)
    require_version(mobility, expected_version, ("actual_start", "actual_end"))
    if mobility.status not in ARRIVAL_STATUSES and not (
        remote.is_copy(mobility) and mobility.status == MobilityStatus.ACCEPTED
    ):
        raise ValidationFailed(
            {
                "actual_start": _(
                    "Arrival can be recorded once the learning agreement is approved, and until recognition."
                )
            }
        )
    if actual_start is None:
        raise ValidationFailed({"actual_start": _("The arrival date is required.")})
    errors = {}
    today = timezone.localdate()
    if actual_start > today:
        errors["actual_start"] = _(
            "The arrival can be confirmed once it has happened: %(day)s is after today. Until then the "
            "planned start says when the participant is expected."
        ) % {"day": formats.date_format(actual_start)}
    if actual_end is not None and actual_end > today:
        errors["actual_end"] = _(
            "The departure can be confirmed once it has happened: %(day)s is after today. Until then the "
            "planned end says when the participant is expected to leave."
        ) % {"day": formats.date_format(actual_end)}
    if errors:
        raise ValidationFailed(errors)
    if actual_end is not None and actual_end < actual_start:
        errors["actual_end"] = _("The departure must not be before the arrival.")
    if actual_end is None and mobility.status == MobilityStatus.COMPLETED:
        errors["actual_end"] = _("A completed mobility keeps its departure date.")
    if not errors:
        bounds = check_dates_in_agreement(
            mobility, actual_start, actual_end or actual_start, prefix="actual_"
        )
        errors.update(bounds)
    if errors:
        raise ValidationFailed(errors)
    mobility.actual_start, mobility.actual_end = actual_start, actual_end
    recompute_duration(mobility)
    mobility.save(
        update_fields=[
            "actual_start",
            "actual_end",
            "duration_days",
            "duration_months",
            *bump(mobility, actor),
        ]
    )
    event(
        mobility,
        EventKind.DATES,
        actor,
        _("Arrival %(start)s, departure %(end)s: %(months)s months (%(days)s days).")
        % {
            "start": actual_start.isoformat(),
            "end": actual_end.isoformat() if actual_end else "—",
            "months": mobility.duration_months,
            "days": mobility.duration_days,
        },
    )
    advance(mobility, today=today, actor=actor)
    notify_on_commit(mobility.pk, "dates")
    publish(events.MobilityDatesRecorded(mobility))
    return mobility
