"""Inviting people to surveys and reminding them, by e-mail in each person's language.

Sending is idempotent: an invitation is claimed by a conditional UPDATE before its message goes, so a
daily job run twice (or beside the send that follows a commit) never mails anyone twice.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.mail import deliverable, languages_of
from accord.surveys import bank
from accord.surveys.choices import Source
from accord.surveys.models import Invitation, Survey
from accord.surveys.services.templates import _may_manage, survey_for_cohort, template_for


@dataclass(frozen=True)
class Participation:
    """Someone taking part in something whose start and end are surveyed: a mobility, a virtual
    exchange, a programme. ``organisation_id`` is their own institution, which surveys them."""

    source: str
    source_id: int | None
    email: str
    organisation_id: int
    period: str
    audience: str
    partnership_id: int | None = None
    user: Any = None
    language: str = ""


def invitation_for_participation(*, participation: Participation, phase: str) -> Invitation | None:
    """Invite the participant to the ``phase`` survey of their cohort, once; the message goes when
    the surrounding transaction commits. None when nobody can be asked (no address, no template)."""
    if (participation.audience, phase) not in bank.DEFAULT_ITEMS or not deliverable(participation.email):
        return None
    template = template_for(participation.organisation_id, participation.audience, phase)
    survey = survey_for_cohort(
        template=template,
        organisation_id=participation.organisation_id,
        partnership_id=participation.partnership_id,
        period=participation.period,
    )
    invitation, created = Invitation.objects.get_or_create(
        survey=survey,
        source=participation.source,
        source_id=participation.source_id,
        defaults={
            "user": participation.user,
            "email": participation.email,
            "language": participation.language,
        },
    )
    if created:
        transaction.on_commit(lambda: invitations_send(ids=[invitation.pk]))
    return invitation


@transaction.atomic
def invitations_for_addresses(*, actor: Any, survey: Survey, addresses: list[str]) -> list[Invitation]:
    """Invite people without a participation in Accord (partners' staff, visiting staff) by address;
    an address already invited to the round is not invited again. Returns the new invitations."""
    if not _may_manage(actor, survey.organisation_id):
        raise PermissionDenied(
            _("Only admins and coordinators of the institution can invite to its surveys.")
        )
    cleaned = []
    for address in addresses:
        address = address.strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except Exception:
            raise ValidationFailed(
                {"addresses": _("'%(address)s' is not an e-mail address.") % {"address": address}}
            ) from None
        if address not in cleaned:
            cleaned.append(address)
    if not cleaned:
        raise ValidationFailed({"addresses": _("Give at least one e-mail address.")})
    taken = set(survey.invitations.filter(email__in=cleaned).values_list("email", flat=True))
    created = Invitation.objects.bulk_create(
        [
            Invitation(survey=survey, email=address, source=Source.MANUAL)
            for address in cleaned
            if address not in taken
        ]
    )
    ids = [invitation.pk for invitation in created]
    transaction.on_commit(lambda: invitations_send(ids=ids))
    return created


def _link(invitation: Invitation) -> str:
    return settings.ACCORD_BASE_URL.rstrip("/") + reverse("surveys:answer", args=[invitation.token])


def _send(invitations: list[Invitation], *, reminder: bool) -> int:
    if not invitations:
        return 0
    languages = languages_of([i.email for i in invitations if not i.language])
    messages = []
    for invitation in invitations:
        language = invitation.language or languages.get(invitation.email) or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = (
                _("Reminder: a short survey about your exchange")
                if reminder
                else _("A short survey about your exchange")
            )
            body = "\n\n".join(
                [
                    _(
                        "Your institution asks you a few questions about your exchange. It takes about ten "
                        "minutes. Your answers are stored apart from your name, and results are only shown "
                        "for groups of at least five people."
                    ),
                    _("Answer here: %(link)s") % {"link": _link(invitation)},
                ]
            )
        messages.append(EmailMessage(f"Accord: {subject}", body + "\n", None, [invitation.email]))
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def invitations_send(*, ids: list[int] | None = None) -> int:
    """Send the first message of the invitations not sent yet (those of ``ids``, or all); each is
    claimed before it is sent, so that two runs never send one twice."""
    now = timezone.now()
    pending = Invitation.objects.filter(sent_at__isnull=True, answered_at__isnull=True)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    claimed = [
        pk
        for pk in pending.values_list("pk", flat=True)
        if Invitation.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=now, last_sent_at=now)
    ]
    return _send(list(Invitation.objects.filter(pk__in=claimed)), reminder=False)


def reminders_send(*, today: dt.date) -> int:
    """Daily: send what was never sent, then remind whoever has not answered an open round, at the
    round's interval and up to its number of reminders. Running twice a day sends nothing twice."""
    sent = invitations_send()
    due = Invitation.objects.filter(
        answered_at__isnull=True,
        sent_at__isnull=False,
        reminders_sent__lt=F("survey__max_reminders"),
    ).filter(Q(survey__closes_on__isnull=True) | Q(survey__closes_on__gte=today))
    claimed = []
    # Stamped on the day acted for, so that a run pinned to a later day is as idempotent as today's.
    stamp = timezone.make_aware(dt.datetime.combine(today, timezone.localtime().time()))
    for invitation in due.select_related("survey"):
        last = timezone.localdate(invitation.last_sent_at) if invitation.last_sent_at else today
        if (today - last).days < invitation.survey.reminder_every_days:
            continue
        if Invitation.objects.filter(pk=invitation.pk, reminders_sent=invitation.reminders_sent).update(
            reminders_sent=F("reminders_sent") + 1, last_sent_at=stamp
        ):
            claimed.append(invitation)
    return sent + _send(claimed, reminder=True)
