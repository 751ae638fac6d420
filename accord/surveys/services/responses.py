"""Answering a survey: the answers are checked against the questions, saved apart from the person,
and the invitation is marked answered so that nobody answers twice."""

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.algorithms.surveys import in_scale
from accord.core.errors import Conflict, NotFound, ValidationFailed
from accord.surveys import bank
from accord.surveys.choices import Phase
from accord.surveys.models import Invitation, PairLink, Response

MAX_TEXT = 4000


def pair_key(invitation: Invitation) -> str:
    """The keyed hash that a participant's pre and post invitations share: the participation (or, for
    people invited by address, the institution, year and address) and the person, under the server's
    secret, so that the key names nobody without it."""
    survey = invitation.survey
    if invitation.source_id is not None:
        subject = f"{invitation.source}:{invitation.source_id}"
    else:
        subject = f"{invitation.source}:{survey.organisation_id}:{survey.period}"
    who = str(invitation.user_id) if invitation.user_id else invitation.email.lower()
    message = f"accord-survey-pair|{subject}|{who}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def may_answer(actor: Any, invitation: Invitation) -> bool:
    """An invitation to someone with an account is answered by them, signed in; one to an address
    alone (a partner's staff) by whoever holds its link."""
    if invitation.user_id is None:
        return True
    return bool(getattr(actor, "is_authenticated", False) and actor.pk == invitation.user_id)


def check_answers(codes: list[str], scores: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, str]:
    """The answers that do not fit the questions, each with a sentence for its question."""
    errors: dict[str, str] = {}
    asked = set(codes)
    for code, value in scores.items():
        item = bank.ITEMS.get(code)
        if code not in asked or item is None or item.scale is None:
            errors[code] = _("This survey does not ask this question.")
        elif not in_scale(value, item.scale.points):
            errors[code] = _("Choose one of the answers from 1 to %(points)s.") % {
                "points": item.scale.points
            }
    for code, text in texts.items():
        item = bank.ITEMS.get(code)
        if code not in asked or item is None or not item.is_open:
            errors[code] = _("This survey does not ask this question.")
        elif len(text) > MAX_TEXT:
            errors[code] = _("Keep the answer under %(count)s characters.") % {"count": MAX_TEXT}
    if not errors and not scores and not any(text.strip() for text in texts.values()):
        errors["__all__"] = _("Answer at least one question before you send the survey.")
    return errors


@transaction.atomic
def response_submit(
    *, actor: Any, invitation: Invitation, scores: Mapping[str, Any], texts: Mapping[str, str]
) -> Response:
    """Save the answers of ``invitation``'s person as an anonymous response, once."""
    if not may_answer(actor, invitation):
        raise NotFound(_("There is no such survey."))
    survey = invitation.survey
    template = survey.template
    errors = check_answers(list(template.items), scores, texts)
    if errors:
        raise ValidationFailed(errors)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise Conflict(
            _("You have already answered this survey, thank you. Your answers were saved the first time.")
        )
    today = timezone.localdate()
    if survey.closes_on is not None and survey.closes_on < today:
        raise Conflict(
            _("This survey closed on %(date)s.")
            % {"date": formats.date_format(survey.closes_on, "DATE_FORMAT")}
        )
    response = Response.objects.create(
        survey=survey,
        scores=dict(scores),
        texts={code: text.strip() for code, text in texts.items() if text.strip()},
        submitted_on=today,
    )
    if template.phase in (Phase.PRE, Phase.POST):
        key = pair_key(invitation)
        if not PairLink.objects.filter(key=key, phase=template.phase).exists():
            PairLink.objects.create(key=key, phase=template.phase, pseudonym=response.pseudonym)
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    return response
