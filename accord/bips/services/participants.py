"""Nominating participants, the organiser's decisions (with the mobility on the sending side), and
attendance."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role
from accord.bips import events
from accord.bips.choices import (
    ACTIVE_PARTICIPANT_STATUSES,
    ATTENDANCE_STATUSES,
    DECIDING_STATUSES,
    NOMINATING_STATUSES,
    ComponentKind,
    ParticipantKind,
    ParticipantStatus,
)
from accord.bips.models import Bip, BipAttendance, BipComponent, BipParticipant, BipPartner
from accord.bips.services._common import lock_bip, require_manage
from accord.core.concurrency import bump, lock, require_version, save_changes
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import ALLOWED_TRANSITIONS, MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.reference.academic_years import current_academic_year
from accord.reference.eqf import is_eqf

MOBILITY_TYPES = {
    ParticipantKind.STUDENT: MobilityType.BLENDED_INTENSIVE,
    ParticipantKind.STAFF_TEACHING: MobilityType.STAFF_TEACHING,
    ParticipantKind.STAFF_TRAINING: MobilityType.STAFF_TRAINING,
}


def _may_nominate_for(actor, organisation_id: int) -> bool:
    return is_platform_staff(actor) or organisation_id in organisation_ids_with_roles(actor, MANAGING_ROLES)


def _check_person(errors: dict, person, organisation_id: int, kind: str, eqf_level: int | None) -> None:
    roles = {Role.STUDENT} if kind == ParticipantKind.STUDENT else STAFF_ROLES
    if organisation_id not in organisation_ids_with_roles(person, frozenset(roles)):
        errors["person"] = (
            _("Nominate a student of your own institution.")
            if kind == ParticipantKind.STUDENT
            else _("Nominate a member of staff of your own institution.")
        )
    if kind == ParticipantKind.STUDENT and (eqf_level is None or not is_eqf(eqf_level)):
        errors["eqf_level"] = _("Give the EQF level the student studies at (1 to 8).")


@transaction.atomic
def participant_nominate(
    *, actor, bip: Bip, partner: BipPartner, person, kind: str, eqf_level: int | None = None
) -> BipParticipant:
    """A partner's coordinator nominates one of their students or staff. The places left (the BIP's
    and the partner's quota) are counted under the BIP's row lock, so two partners racing for the
    last place cannot both get it."""
    if partner.bip_id != bip.pk:
        raise ValidationFailed({"partner": _("This institution does not take part in the programme.")})
    if not _may_nominate_for(actor, partner.organisation_id):
        raise PermissionDenied(_("Only admins and coordinators of an institution can nominate its people."))
    errors: dict[str, str] = {}
    if kind not in ParticipantKind.values:
        errors["kind"] = _("Choose a student or a member of staff.")
    else:
        _check_person(errors, person, partner.organisation_id, kind, eqf_level)
    if errors:
        raise ValidationFailed(errors)
    lock_bip(bip)
    if bip.status not in NOMINATING_STATUSES:
        raise Conflict(_("Nominations are taken only while the programme is open for them."))
    active = bip.participants.filter(status__in=ACTIVE_PARTICIPANT_STATUSES)
    if active.filter(person=person).exists():
        raise ValidationFailed({"person": _("This person is already nominated for the programme.")})
    if active.count() >= bip.capacity:
        raise Conflict(
            _("All %(count)s places are taken; nothing was saved.") % {"count": bip.capacity}, code="full"
        )
    if partner.quota is not None and active.filter(partner=partner).count() >= partner.quota:
        raise Conflict(
            _("Your institution's quota of %(count)s places is used up.") % {"count": partner.quota},
            code="quota_used",
        )
    participant = BipParticipant.objects.create(
        bip=bip,
        partner=partner,
        person=person,
        kind=kind,
        eqf_level=eqf_level if kind == ParticipantKind.STUDENT else None,
        nominated_by=actor,
        updated_by=actor,
    )
    publish(events.BipParticipantNominated(bip, participant))
    return participant


def academic_year_of(day: date) -> str:
    return current_academic_year(day, settings.ACCORD_ACADEMIC_YEAR_START_MONTH).label


def _create_mobility(bip: Bip, participant: BipParticipant) -> Mobility | None:
    """The participant's mobility, recorded on the sending side in the name of the coordinator who
    nominated them (their institution's consent to send them). Participants of the hosting
    institution do not travel: they get none."""
    organisation = participant.partner.organisation
    if organisation.pk == bip.host_id:
        return None
    nominator = participant.nominated_by
    if nominator is None or not _may_nominate_for(nominator, organisation.pk):
        raise Conflict(
            _(
                "The person who nominated this participant no longer coordinates at %(institution)s, so no "
                "mobility can be recorded in its name: ask its coordinators to nominate them again."
            )
            % {"institution": organisation.name}
        )
    physical = bip.components.get(kind=ComponentKind.PHYSICAL)
    return mobility_services.mobility_create(
        actor=nominator,
        participant=participant.person,
        mobility_type=MOBILITY_TYPES[ParticipantKind(participant.kind)],
        sending_organisation=organisation,
        receiving_organisation=bip.host,
        academic_year=academic_year_of(physical.start),
        planned_start=physical.start,
        planned_end=physical.end,
        eqf_level=participant.eqf_level,
        isced_code=bip.isced_code,
        language=bip.language,
        source=MobilitySource.BIP,
        source_id=participant.pk,
        accepted=True,
    )


@transaction.atomic
def participant_decide(
    *, actor, participant: BipParticipant, accept: bool, reason: str = "", expected_version: int | None = None
) -> BipParticipant:
    """The organiser accepts a nomination (the participant's mobility is created on the sending side)
    or declines it with a reason (its place is free again)."""
    bip = participant.bip
    require_manage(actor, bip)
    if not accept and not reason.strip():
        raise ValidationFailed({"reason": _("Say why the nomination is declined; the partner sees it.")})
    lock_bip(bip)
    lock(participant)
    require_version(participant, expected_version, ("status",))
    if bip.status not in DECIDING_STATUSES:
        raise Conflict(_("Nominations are decided while the programme is open or running."))
    if participant.status != ParticipantStatus.NOMINATED:
        raise Conflict(
            _("This nomination was already %(status)s.")
            % {"status": participant.get_status_display().lower()}
        )
    participant.status = ParticipantStatus.ACCEPTED if accept else ParticipantStatus.DECLINED
    participant.reason = reason.strip()
    participant.decided_by = actor
    participant.decided_at = timezone.now()
    fields = ["status", "reason", "decided_by", "decided_at"]
    if accept:
        participant.mobility = _create_mobility(bip, participant)
        fields.append("mobility")
    participant.save(update_fields=[*fields, *bump(participant, actor)])
    event_type = events.BipParticipantAccepted if accept else events.BipParticipantDeclined
    publish(event_type(bip, participant))
    return participant


@transaction.atomic
def participant_withdraw(
    *, actor, participant: BipParticipant, reason: str, expected_version: int | None = None
) -> BipParticipant:
    """The sending institution withdraws its nomination; an accepted participant's mobility is
    cancelled with it."""
    bip = participant.bip
    if not _may_nominate_for(actor, participant.partner.organisation_id):
        raise PermissionDenied(_("Only admins and coordinators of the sending institution can withdraw."))
    if not reason.strip():
        raise ValidationFailed({"reason": _("Say why the participant is withdrawn.")})
    lock_bip(bip)
    lock(participant)
    require_version(participant, expected_version, ("status",))
    if participant.status not in ACTIVE_PARTICIPANT_STATUSES:
        raise Conflict(_("Only a nominated or accepted participant can be withdrawn."))
    mobility = participant.mobility
    if mobility is not None and ALLOWED_TRANSITIONS.allowed(mobility.status, MobilityStatus.CANCELLED):
        mobility_services.mobility_transition(
            actor=actor, mobility=mobility, to_status=MobilityStatus.CANCELLED, reason=reason
        )
    participant.status = ParticipantStatus.WITHDRAWN
    participant.reason = reason.strip()
    participant.save(update_fields=["status", "reason", *bump(participant, actor)])
    return participant


def _attendance_one(
    actor, bip: Bip, participant: BipParticipant, component: BipComponent, attended: bool, version
):
    if participant.bip_id != bip.pk or component.bip_id != bip.pk:
        raise ValidationFailed(
            {"participant": _("This participant or component belongs to another programme.")}
        )
    if participant.status != ParticipantStatus.ACCEPTED:
        raise ValidationFailed({"participant": _("Attendance is recorded for accepted participants.")})
    record = BipAttendance.objects.filter(participant=participant, component=component).first()
    if record is None:
        if version is not None:
            raise Conflict(_("This attendance was removed since you opened the page."), code="stale_version")
        record = BipAttendance.objects.create(
            participant=participant, component=component, attended=attended, updated_by=actor
        )
    elif not save_changes(record, {"attended": attended}, actor=actor, expected_version=version):
        return record
    publish(events.BipAttendanceRecorded(bip, participant, component_id=component.pk, attended=attended))
    return record


@transaction.atomic
def attendance_record(
    *,
    actor,
    bip: Bip,
    marks: list[tuple[BipParticipant, BipComponent, bool, int | None]],
    expected_version: int | None = None,
) -> int:
    """Record, for each (participant, component, attended, version read) of ``marks``, whether the
    participant attended; a record changed since ``version`` refuses the whole batch. The grid is
    part of the programme: a change counts as a write of the BIP, refused when the BIP is no longer
    at ``expected_version`` (a client's If-Match). Returns how many marks were new or changed."""
    require_manage(actor, bip)
    lock_bip(bip)
    require_version(bip, expected_version)
    if bip.status not in ATTENDANCE_STATUSES:
        raise Conflict(_("Attendance is recorded once the programme is running."))
    before = {
        (a.participant_id, a.component_id): (a.attended, a.version)
        for a in BipAttendance.objects.filter(participant__bip=bip)
    }
    changed = 0
    for participant, component, attended, version in marks:
        previous = before.get((participant.pk, component.pk))
        if previous is not None and previous[0] == attended:
            continue
        _attendance_one(actor, bip, participant, component, attended, version)
        changed += 1
    if changed:
        bip.save(update_fields=bump(bip, actor))
    return changed
