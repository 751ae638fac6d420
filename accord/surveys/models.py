"""Surveys: templates of bank items, rounds for a cohort, invitations (who), responses (what).

Identities and answers live in different tables with no key between them (decision 0015): an
``Invitation`` knows who was asked and whether they answered; a ``Response`` knows the answers and a
random pseudonym, and nothing else; a ``PairLink`` joins a participant's pre and post pseudonyms by a
keyed hash of their participation, for the paired change and nothing else.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.surveys.bank import BANK_VERSION
from accord.surveys.choices import Audience, Phase, Source
from accord.surveys.querysets import InvitationQuerySet, SurveyQuerySet, TemplateQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_pseudonym() -> str:
    return secrets.token_hex(16)


class SurveyTemplate(VersionedModel):
    """A questionnaire: which bank items to ask which audience, before or after taking part.

    An institution's own templates replace Accord's defaults (``organisation`` empty) for its
    participants. Its items are frozen once anyone answered a survey made from it."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_templates",
    )
    name = models.CharField(_("name"), max_length=200)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    phase = models.CharField(_("when"), max_length=8, choices=Phase.choices)
    items = models.JSONField(_("questions"), default=list)
    bank_version = models.PositiveSmallIntegerField(default=BANK_VERSION, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["audience", "phase", "name", "pk"]
        constraints = [
            # Invitations from two participations at once must land in one default round, not two.
            models.UniqueConstraint(
                fields=["audience", "phase"],
                condition=models.Q(organisation__isnull=True, is_active=True),
                name="survey_template_one_active_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Survey(VersionedModel):
    """One round of a template for one cohort: an institution's participants in one partnership (or
    none) and one academic year. Its schedule (closing day, reminders) is editable."""

    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="surveys")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="surveys"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="surveys"
    )
    period = models.CharField(_("academic year"), max_length=9)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    reminder_every_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=7)
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=2)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "organisation", "partnership", "period"],
                condition=models.Q(partnership__isnull=False),
                name="survey_once_per_partnership_cohort",
            ),
            models.UniqueConstraint(
                fields=["template", "organisation", "period"],
                condition=models.Q(partnership__isnull=True),
                name="survey_once_per_institution_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.period}"


class Invitation(models.Model):
    """Someone asked to answer a survey, with the link they answer through. It records whether they
    answered, never what: the answers are a ``Response`` that nothing here points to."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=16, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "source", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="invitation_once_per_participation",
            ),
            models.UniqueConstraint(
                fields=["survey", "email"],
                condition=models.Q(source_id__isnull=True),
                name="invitation_once_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to survey {self.survey_id}"


class Response(models.Model):
    """One person's answers to a survey. It deliberately holds no user, no invitation and no time
    finer than the day: a random pseudonym is all that names it."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    pseudonym = models.CharField(max_length=32, unique=True, default=new_pseudonym, editable=False)
    scores = models.JSONField(default=dict)
    texts = models.JSONField(default=dict)
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym


class PairLink(models.Model):
    """Pairs a participant's pre and post responses: ``key`` is a keyed hash (HMAC with the server's
    secret) of the participation, the same for both phases, beside the response's pseudonym. It
    cannot be turned back into a person without the secret, and only the pairing selector reads it."""

    key = models.CharField(max_length=64)
    phase = models.CharField(max_length=8, choices=Phase.choices)
    pseudonym = models.CharField(max_length=32, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "phase"], name="pair_link_once_per_phase")]

    def __str__(self) -> str:
        return f"{self.phase} {self.pseudonym}"
