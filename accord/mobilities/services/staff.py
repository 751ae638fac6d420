"""Staff mobility: the invitation, the mobility agreement's programme and the certificate of attendance.

A staff mobility agreement is the learning-agreement machinery of
:mod:`accord.mobilities.services.learning_agreements` with a programme instead of components: each
proposal writes an immutable :class:`AgreementVersion` whose ``components_hash`` is the hash of its
:class:`StaffProgramme`, so signing (``la_sign``: the staff member, the sending and then the receiving
institution), commenting and approval are the students' own, and a change is a new version that all
three sign again. The programme must meet the Erasmus+ rules of
:data:`accord.algorithms.mobility.staff.ERASMUS_PLUS_2021` before it can be proposed; the certificate
of attendance records what actually happened, and its shortfalls are shown, not refused.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accord.algorithms.mobility.staff import (
    Programme,
    StaffActivity,
    check_programme,
    programme_hash,
)
from accord.core.concurrency import bump, require_version, save_changes
from accord.core.concurrency import lock as lock_record
from accord.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.core.mail import deliverable
from accord.mobilities import events, notifications, remote
from accord.mobilities.choices import (
    LA_OPEN_STATUSES,
    STAFF_ACTIVITIES,
    STAFF_TYPES,
    EventKind,
    MobilityStatus,
    SignerRole,
    VersionStatus,
)
from accord.mobilities.models import AgreementVersion, Mobility, StaffCertificate, StaffProgramme
from accord.mobilities.querysets import MobilityAction, mobility_may
from accord.mobilities.selectors import STAFF_RULES, breach_message
from accord.mobilities.services._common import event, lock, notify_on_commit, require
from accord.mobilities.services.learning_agreements import learning_agreement_of
from accord.mobilities.services.mobility import mobility_create, mobility_record_dates, recompute_duration

PROGRAMME_TEXTS = ("objectives", "activities", "outcomes")
CONTACTS = (
    "sending_contact_name",
    "sending_contact_email",
    "receiving_contact_name",
    "receiving_contact_email",
)
CERTIFIED_STATUSES = frozenset({MobilityStatus.ONGOING, MobilityStatus.COMPLETED})


class StaleAgreement(Conflict):
    """A proposal started from a version of the agreement that is no longer the current one."""

    code = "stale_version"
    http_status = 412


def programme_of(stored: StaffProgramme) -> Programme:
    return Programme(
        activity=StaffActivity(stored.activity),
        objectives=stored.objectives,
        activities=stored.activities,
        outcomes=stored.outcomes,
        planned_start=stored.planned_start,
        planned_end=stored.planned_end,
        teaching_hours=stored.teaching_hours,
        sending_contact_name=stored.sending_contact_name,
        sending_contact_email=stored.sending_contact_email,
        receiving_contact_name=stored.receiving_contact_name,
        receiving_contact_email=stored.receiving_contact_email,
    )


def _require_staff(mobility: Mobility) -> None:
    if mobility.mobility_type not in STAFF_TYPES:
        raise DomainError(_("This is a student mobility; it has a learning agreement."), code="not_staff")


@transaction.atomic
def staff_mobility_invite(
    *,
    actor,
    participant,
    mobility_type: str,
    sending_organisation,
    receiving_organisation,
    academic_year: str,
    planned_start: date,
    planned_end: date,
    agreement=None,
    condition_key: str = "",
    note: str = "",
) -> Mobility:
    """A coordinator plans a staff mobility for a colleague of their institution, who is sent an
    e-mail with a link to it; the receiving institution is asked to accept, as for any mobility."""
    if mobility_type not in STAFF_TYPES:
        raise ValidationFailed({"mobility_type": _("Invite colleagues to teaching or training mobilities.")})
    mobility = mobility_create(
        actor=actor,
        participant=participant,
        mobility_type=mobility_type,
        sending_organisation=sending_organisation,
        receiving_organisation=receiving_organisation,
        academic_year=academic_year,
        planned_start=planned_start,
        planned_end=planned_end,
        agreement=agreement,
        condition_key=condition_key,
    )
    transaction.on_commit(lambda: _send_invitation(mobility.pk, str(actor), note.strip()))
    return mobility


def staff_page_url(mobility_id: int) -> str:
    return settings.ACCORD_BASE_URL.rstrip("/") + reverse("mobilities:staff_detail", args=[mobility_id])


def _send_invitation(mobility_id: int, inviter: str, note: str) -> None:
    mobility = Mobility.objects.select_related("participant", "receiving_organisation").get(pk=mobility_id)
    if not deliverable(mobility.participant.email):
        return
    subject = _("Accord: %(inviter)s invites you to a staff mobility at %(receiving)s") % {
        "inviter": inviter,
        "receiving": mobility.receiving_organisation.name,
    }
    lines = [
        subject.removeprefix("Accord: ") + ".",
        _("Planned from %(start)s to %(end)s.")
        % {"start": mobility.planned_start.isoformat(), "end": mobility.planned_end.isoformat()},
        note,
        _("Draft your mobility agreement here: %(link)s") % {"link": staff_page_url(mobility_id)},
    ]
    EmailMessage(
        subject, "\n\n".join(line for line in lines if line) + "\n", None, [mobility.participant.email]
    ).send()


def _check_programme(mobility: Mobility, programme: Programme) -> None:
    errors: dict[str, str] = {}
    allowed = STAFF_ACTIVITIES[mobility.mobility_type]
    if programme.activity not in allowed:
        errors["activity"] = _("A mobility of this type plans %(allowed)s.") % {
            "allowed": _(" or ").join(str(activity.label).lower() for activity in allowed)
        }
    for name in PROGRAMME_TEXTS + CONTACTS:
        if not str(getattr(programme, name)).strip():
            errors[name] = _("This is part of the mobility agreement: fill it in.")
    for name in ("sending_contact_email", "receiving_contact_email"):
        if name not in errors:
            try:
                validate_email(getattr(programme, name).strip())
            except DjangoValidationError:
                errors[name] = _("Enter an e-mail address.")
    if programme.teaching_hours is not None and programme.teaching_hours < 0:
        errors["teaching_hours"] = _("Hours cannot be negative.")
    for breach in check_programme(programme, STAFF_RULES):
        errors.setdefault(breach.field, breach_message(breach))
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def staff_agreement_propose(
    *,
    actor,
    mobility: Mobility,
    programme: Programme,
    summary: str = "",
    base_version: int | None = None,
) -> AgreementVersion:
    """Write a new version of the staff mobility agreement, which supersedes a pending proposal and
    awaits the three signatures. ``base_version`` is the version the proposer started from (0: none);
    another current version is refused with 412. The mobility's planned dates follow the programme."""
    lock(mobility)
    _require_staff(mobility)
    if remote.is_copy(mobility):
        raise DomainError(
            _("The sending institution proposes this agreement in its own system."), code="managed_remotely"
        )
    if not (mobility.participant_id == actor.pk or mobility_may(actor, MobilityAction.MANAGE, mobility)):
        raise PermissionDenied(
            _("Only the staff member and the sending institution's coordinators propose versions.")
        )
    if mobility.status not in LA_OPEN_STATUSES:
        raise Conflict(
            _("The mobility is %(status)s; its agreement can no longer change.")
            % {"status": MobilityStatus(mobility.status).label.lower()},
            code="mobility_closed",
        )
    agreement = learning_agreement_of(mobility)
    current = agreement.current_version
    current_number = current.number if current else 0
    if base_version is not None and base_version != current_number:
        raise StaleAgreement(
            _(
                "Version %(current)s was written since you started from version %(base)s; "
                "reload and start again."
            )
            % {"current": current_number, "base": base_version}
        )
    _check_programme(mobility, programme)
    digest = programme_hash(programme)
    if (
        current is not None
        and current.components_hash == digest
        and current.status != VersionStatus.COMMENTED
    ):
        raise ValidationFailed({"summary": _("Nothing changed from version %(n)s.") % {"n": current.number}})
    agreement.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.SUPERSEDED)
    version = AgreementVersion.objects.create(
        learning_agreement=agreement,
        number=current_number + 1,
        components=[],
        components_hash=digest,
        summary=summary.strip(),
        created_by=actor,
    )
    StaffProgramme.objects.create(
        version=version,
        activity=programme.activity.value,
        teaching_hours=programme.teaching_hours,
        planned_start=programme.planned_start,
        planned_end=programme.planned_end,
        **{name: getattr(programme, name).strip() for name in PROGRAMME_TEXTS + CONTACTS},
    )
    agreement.current_version = version
    agreement.save(update_fields=["current_version"])
    if (mobility.planned_start, mobility.planned_end) != (programme.planned_start, programme.planned_end):
        mobility.planned_start, mobility.planned_end = programme.planned_start, programme.planned_end
        recompute_duration(mobility)
        mobility.save(
            update_fields=[
                "planned_start",
                "planned_end",
                "duration_days",
                "duration_months",
                *bump(mobility, actor),
            ]
        )
    event(mobility, EventKind.PROPOSED, actor, _("Version %(n)s proposed.") % {"n": version.number})
    publish(events.LearningAgreementProposed(mobility, version_number=version.number))
    notify_on_commit(mobility.pk, "proposed", version=version.number)
    return version


def approved_programme(mobility: Mobility) -> StaffProgramme | None:
    agreement = getattr(mobility, "learning_agreement", None)
    if agreement is None or agreement.approved_version_id is None:
        return None
    return StaffProgramme.objects.filter(version_id=agreement.approved_version_id).first()


@transaction.atomic
def staff_certificate_issue(
    *,
    actor,
    mobility: Mobility,
    actual_start: date,
    actual_end: date,
    teaching_hours: Decimal | None = None,
    signer_position: str = "",
    expected_version: int | None = None,
) -> StaffCertificate:
    """The receiving institution certifies the actual dates and, for teaching, the hours taught: the
    departure is recorded (the mobility completes) and the certificate written, or corrected at
    ``expected_version`` (412 when it changed since). Hours short of the rules are certified as they
    were; the page says what the shortfall means."""
    lock(mobility)
    require(actor, MobilityAction.RECEIVE, mobility)
    _require_staff(mobility)
    if mobility.status not in CERTIFIED_STATUSES:
        raise Conflict(
            _("Confirm the staff member's arrival before certifying the attendance."), code="not_arrived"
        )
    certificate = StaffCertificate.objects.filter(mobility=mobility).first()
    fields = {"actual_start": actual_start, "actual_end": actual_end, "teaching_hours": teaching_hours}
    if certificate is not None:
        lock_record(certificate)
        require_version(certificate, expected_version, fields)
    programme = approved_programme(mobility)
    errors = {}
    if actual_end < actual_start:
        errors["actual_end"] = _("The last day must not be before the first.")
    teaches = programme is not None and programme.activity != StaffActivity.TRAINING
    if teaches and teaching_hours is None:
        errors["teaching_hours"] = _("Say how many hours the staff member taught.")
    if teaching_hours is not None and teaching_hours < 0:
        errors["teaching_hours"] = _("Hours cannot be negative.")
    if errors:
        raise ValidationFailed(errors)
    mobility_record_dates(actor=actor, mobility=mobility, actual_start=actual_start, actual_end=actual_end)
    position = signer_position.strip() or str(SignerRole.RECEIVING.label)
    if certificate is None:
        certificate = StaffCertificate.objects.create(
            mobility=mobility,
            signer_name=str(actor)[:255],
            signer_position=position[:255],
            issued_by=actor,
            updated_by=actor,
            **fields,
        )
        message = _("Attendance certified from %(start)s to %(end)s.")
    else:
        changed = save_changes(
            certificate,
            {**fields, "signer_position": position[:255]},
            actor=actor,
            expected_version=expected_version,
        )
        if not changed:
            return certificate
        message = _("Certificate of attendance corrected: %(start)s to %(end)s.")
    hours = _(", %(hours)s hours taught") % {"hours": teaching_hours} if teaching_hours is not None else ""
    event(
        mobility,
        EventKind.CERTIFIED,
        actor,
        (message % {"start": actual_start.isoformat(), "end": actual_end.isoformat()}) + hours,
    )
    publish(events.StaffCertificateIssued(mobility))
    transaction.on_commit(lambda: _send_certified(mobility.pk))
    return certificate


def _send_certified(mobility_id: int) -> None:
    mobility = Mobility.objects.select_related("participant", "receiving_organisation").get(pk=mobility_id)
    roles: list[str] = [SignerRole.STUDENT, SignerRole.SENDING]
    addresses = notifications.recipients(mobility, roles, with_delegates=False)
    if not addresses:
        return
    subject = _("Accord: %(receiving)s certified the attendance of %(participant)s") % {
        "receiving": mobility.receiving_organisation.name,
        "participant": mobility.participant,
    }
    body = _("The certificate of attendance can be downloaded here: %(link)s") % {
        "link": staff_page_url(mobility_id)
    }
    for address in addresses:
        EmailMessage(subject, body + "\n", None, [address]).send()
