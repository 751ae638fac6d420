"""E-mails for every step of a mobility that waits on someone, sent after the transaction commits.

Recipients by side: the participant; the admins and coordinators of the sending or receiving
institution (and, for signatures, whoever holds a delegation for that side). Each message says what
is awaited and links to the mobility's page, written in each recipient's language.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accord.accounts.choices import MANAGING_ROLES
from accord.accounts.models import Membership
from accord.core.mail import by_language, deliverable
from accord.mobilities.choices import SignerRole, VersionStatus
from accord.mobilities.models import Mobility
from accord.mobilities.remote import is_copy

STUDENT, SENDING, RECEIVING = SignerRole.STUDENT, SignerRole.SENDING, SignerRole.RECEIVING


def _subjects() -> dict[str, str]:
    return {
        "created": _("{participant} is nominated for a mobility at {receiving}: please accept"),
        "status_accepted": _("{receiving} accepted {participant}: propose the learning agreement"),
        "status_cancelled": _("The mobility of {participant} to {receiving} was cancelled"),
        "proposed": _("Learning agreement version {version} of {participant} awaits your signature"),
        "signed": _("Learning agreement version {version} of {participant} awaits your signature"),
        "commented": _("Learning agreement version {version} of {participant} was returned with comments"),
        "approved": _("Learning agreement version {version} of {participant} is approved"),
        "dates": _("Arrival and departure of {participant} at {receiving} were recorded"),
        "transcript": _("The transcript of records of {participant} arrived: convert grades and recognise"),
        "status_recognised": _("Your credits from {receiving} were recognised"),
        "reminder_signature": _("Reminder: learning agreement of {participant} awaits your signature"),
        "reminder_transcript": _("Reminder: the transcript of records of {participant} is overdue"),
    }


def _awaiting(mobility: Mobility) -> list[str]:
    agreement = getattr(mobility, "learning_agreement", None)
    version = agreement.current_version if agreement else None
    if version is None or version.status != VersionStatus.PROPOSED:
        return []
    signed = set(version.signatures.values_list("role", flat=True))
    awaited = [role for role in (STUDENT, SENDING) if role not in signed]
    # The receiving institution signs last, so it is only asked once the other two have signed.
    return awaited or ([RECEIVING] if RECEIVING not in signed else [])


def _who(mobility: Mobility, kind: str) -> list[str]:
    if kind in ("proposed", "signed", "reminder_signature"):
        return _awaiting(mobility)
    return {
        "created": [RECEIVING],
        "status_accepted": [STUDENT, SENDING],
        "status_cancelled": [STUDENT, SENDING, RECEIVING],
        "commented": [STUDENT, SENDING, RECEIVING],
        "approved": [STUDENT, SENDING, RECEIVING],
        "dates": [STUDENT, SENDING],
        "transcript": [SENDING, STUDENT],
        "status_recognised": [STUDENT],
        "reminder_transcript": [RECEIVING],
    }.get(kind, [])


def recipients(mobility: Mobility, roles: list[str], *, with_delegates: bool) -> list[str]:
    addresses: set[str] = set()
    agreement = getattr(mobility, "learning_agreement", None)
    for role in roles:
        if role == STUDENT:
            if not is_copy(mobility):  # the student's own institution, the master, tells them
                addresses.add(mobility.participant.email)
            continue
        organisation_id = (
            mobility.sending_organisation_id if role == SENDING else mobility.receiving_organisation_id
        )
        addresses.update(
            Membership.objects.filter(organisation_id=organisation_id, role__in=MANAGING_ROLES).values_list(
                "user__email", flat=True
            )
        )
        if with_delegates and agreement is not None:
            addresses.update(
                agreement.delegations.filter(role=role, revoked_at__isnull=True).values_list(
                    "delegate__email", flat=True
                )
            )
    return sorted(address for address in addresses if deliverable(address))


def notify(mobility_id: int, kind: str, **values) -> int:
    """Send the ``kind`` message about this mobility; return how many people it went to."""
    if kind not in _subjects():
        return 0
    mobility = Mobility.objects.select_related(
        "participant", "receiving_organisation", "sending_organisation"
    ).get(pk=mobility_id)
    addresses = recipients(mobility, _who(mobility, kind), with_delegates=kind != "created")
    if not addresses:
        return 0
    context = {
        "participant": str(mobility.participant),
        "receiving": mobility.receiving_organisation.name,
        "sending": mobility.sending_organisation.name,
        "version": values.get("version", ""),
    }
    page = "mobilities:staff_detail" if mobility.is_staff_mobility else "mobilities:detail"
    link = settings.ACCORD_BASE_URL.rstrip("/") + reverse(page, args=[mobility.pk])
    messages = []
    for language, group in by_language(addresses).items():
        with translation.override(language):
            subject = "Accord: " + _subjects()[kind].format(**context)
            body = f"{subject}.\n\n{_('The mobility')}: {link}\n"
        messages += [EmailMessage(subject, body, None, [address]) for address in group]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
