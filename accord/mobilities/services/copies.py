"""Copies of mobilities another EWP node owns, and the participant details EWP exchanges.

A copy (``source="ewp"``) is written by the sending institution's node only: the EWP app calls these
services with that institution's system account (a coordinator of the *sending* institution), so
the ordinary access rules say who may write it.
The receiving side's own decisions on a copy go through :func:`mobility_transition`, which asks the
sending node first.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, Role
from accord.core.concurrency import save_changes
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.mobilities import events, remote
from accord.mobilities.choices import STAFF_TYPES, EventKind, MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Gender, Mobility, MobilityTransition, ParticipantDetails
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.services._common import event, lock, move, notify_on_commit, require
from accord.mobilities.services.mobility import academic_year_bounds, recompute_duration
from accord.reference.academic_years import parse_academic_year
from accord.reference.countries import is_country
from accord.reference.eqf import is_eqf
from accord.reference.isced import is_isced

# What a copy takes from the sending node on every fetch; planned dates are set once (EWP v3 does not
# carry them: the receiving academic year stands in until the learning agreement gives dates).
COPIED_FIELDS = ("mobility_type", "academic_year", "eqf_level", "isced_code", "receiving_unit")
FINAL = frozenset({MobilityStatus.COMPLETED, MobilityStatus.RECOGNISED, MobilityStatus.CANCELLED})


def _require_sender(actor, sending_organisation) -> None:
    if not (
        is_platform_staff(actor)
        or sending_organisation.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(_("Only the sending institution writes its mobilities' copies."))


@transaction.atomic
def mobility_copy_save(
    *,
    actor,
    mobility: Mobility | None,
    participant,
    mobility_type: str,
    sending_organisation,
    receiving_organisation,
    academic_year: str,
    eqf_level: int,
    isced_code: str,
    receiving_unit=None,
) -> Mobility:
    """Create the copy of a mobility the sending node owns (``mobility=None``) or bring it up to date.
    Sending and receiving institutions and the participant never change (EWP: immutable)."""
    _require_sender(actor, sending_organisation)
    errors: dict[str, str] = {}
    if mobility_type not in MobilityType.values or mobility_type in STAFF_TYPES:
        errors["mobility_type"] = _("Unknown type of student mobility.")
    year = ""
    try:
        year = parse_academic_year(academic_year).label
    except ValueError as error:
        errors["academic_year"] = str(error)
    if not is_eqf(eqf_level):
        errors["eqf_level"] = _("EQF levels run from 1 to 8.")
    if not is_isced(isced_code):
        errors["isced_code"] = _("'%(code)s' is not an ISCED-F 2013 field.") % {"code": isced_code}
    if sending_organisation.pk == receiving_organisation.pk:
        errors["receiving_organisation_id"] = _("The receiving institution must differ from the sending one.")
    if receiving_unit is not None and receiving_unit.organisation_id != receiving_organisation.pk:
        errors["receiving_unit_id"] = _("This unit belongs to another organisation.")
    if mobility is not None and (
        not remote.is_copy(mobility)
        or (mobility.sending_organisation_id, mobility.receiving_organisation_id, mobility.participant_id)
        != (sending_organisation.pk, receiving_organisation.pk, participant.pk)
    ):
        errors["mobility"] = _("A copy keeps its institutions and participant.")
    if errors:
        raise ValidationFailed(errors)
    values = {
        "mobility_type": mobility_type,
        "academic_year": year,
        "eqf_level": eqf_level,
        "isced_code": isced_code,
        "receiving_unit": receiving_unit,
    }
    if mobility is None:
        start, end = academic_year_bounds(year)
        mobility = Mobility(
            participant=participant,
            sending_organisation=sending_organisation,
            receiving_organisation=receiving_organisation,
            planned_start=start,
            planned_end=end,
            source=MobilitySource.EWP,
            created_by=actor,
            **values,
        )
        recompute_duration(mobility)
        mobility.save()
        MobilityTransition.objects.create(
            mobility=mobility, from_status="", to_status=MobilityStatus.NOMINATED, actor=actor
        )
        event(mobility, EventKind.CREATED, actor, _("Received from the sending institution over EWP."))
        notify_on_commit(mobility.pk, "created")
        return mobility
    lock(mobility)
    changed = [name for name in COPIED_FIELDS if getattr(mobility, name) != values[name]]
    if changed:
        for name in changed:
            setattr(mobility, name, values[name])
        mobility.save(update_fields=[*changed, "updated_at"])
        event(
            mobility,
            EventKind.CHANGED,
            actor,
            _("Changed by the sending institution: %(fields)s.") % {"fields": ", ".join(changed)},
        )
    return mobility


@transaction.atomic
def mobility_copy_follow(*, actor, mobility: Mobility, status: str, reason: str = "") -> Mobility:
    """Record on a copy what the sending node says of its mobility: the nomination accepted, or the
    mobility rejected or cancelled. Already recorded (or final here): nothing changes."""
    if not remote.is_copy(mobility):
        raise ValidationFailed({"mobility": _("Only copies follow another node.")})
    require(actor, MobilityAction.MANAGE, mobility)
    lock(mobility)
    if status == MobilityStatus.ACCEPTED and mobility.status == MobilityStatus.NOMINATED:
        move(mobility, status, actor=actor, reason=reason or _("Approved, says the sending institution."))
    elif status == MobilityStatus.CANCELLED and mobility.status not in FINAL:
        move(mobility, status, actor=actor, reason=reason or _("Cancelled by the sending institution."))
    return mobility


def _may_edit_details(actor, participant) -> bool:
    if is_platform_staff(actor):
        return True
    managing = organisation_ids_with_roles(actor, MANAGING_ROLES)
    studies_at = organisation_ids_with_roles(participant, frozenset({Role.STUDENT}))
    sends = Mobility.objects.filter(participant=participant).values_list("sending_organisation_id", flat=True)
    return bool(managing & (set(studies_at) | set(sends)))


@transaction.atomic
def participant_details_save(
    *,
    actor,
    participant,
    birth_date: date,
    nationality: str,
    gender: int,
    global_id: str,
    expected_version: int | None = None,
) -> ParticipantDetails:
    """Record what EWP needs to know of a student (admins and coordinators of the student's
    institution, or of the sending institution of one of the student's mobilities). The receivers of
    the student's mobilities served over EWP are notified. Refused when the recorded details are no
    longer at ``expected_version``; only the fields that changed are written."""
    if not _may_edit_details(actor, participant):
        raise PermissionDenied(_("Only the student's own institution records these details."))
    errors = {}
    nationality = (nationality or "").strip().upper()
    if not is_country(nationality):
        errors["nationality"] = _("'%(code)s' is not a country code.") % {"code": nationality}
    if gender not in Gender.values:
        errors["gender"] = _("Unknown gender code (ISO/IEC 5218: 0, 1, 2 or 9).")
    if not (global_id or "").strip():
        errors["global_id"] = _("The European Student Identifier is required.")
    if birth_date >= date.today():
        errors["birth_date"] = _("The date of birth must be in the past.")
    if errors:
        raise ValidationFailed(errors)
    values = {
        "birth_date": birth_date,
        "nationality": nationality,
        "gender": gender,
        "global_id": global_id.strip(),
    }
    details = ParticipantDetails.objects.filter(user=participant).first()
    if details is None:
        try:
            with transaction.atomic():
                details = ParticipantDetails.objects.create(user=participant, updated_by=actor, **values)
        except IntegrityError:
            details = ParticipantDetails.objects.get(user=participant)
            save_changes(details, values, actor=actor)
    else:
        save_changes(details, values, actor=actor, expected_version=expected_version)
    for mobility in Mobility.objects.filter(participant=participant).exclude(source=MobilitySource.EWP):
        publish(events.ParticipantDetailsChanged(mobility))
    return details
