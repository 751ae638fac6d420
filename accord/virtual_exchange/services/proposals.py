"""Invitations between two classes: invite, accept (the exchange begins) or decline, withdraw."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accord.algorithms.matching.pair import assess
from accord.core.concurrency import bump, lock, require_version
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.virtual_exchange import events
from accord.virtual_exchange.choices import PROPOSAL_TRANSITIONS, Mode, ProfileStatus, ProposalStatus
from accord.virtual_exchange.matching import reasons_of, refusal_sentence, to_core
from accord.virtual_exchange.models import ClassProfile, Exchange, Proposal, Session
from accord.virtual_exchange.schedule import first_plan
from accord.virtual_exchange.services._common import may_change_profile, require_profile_change

LIVE = (ProposalStatus.PROPOSED, ProposalStatus.INVITED, ProposalStatus.ACCEPTED)


def _pair(a: ClassProfile, b: ClassProfile) -> tuple[ClassProfile, ClassProfile]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def proposal_invite(
    *, actor, from_profile: ClassProfile, to_profile: ClassProfile, message: str = ""
) -> Proposal:
    """Invite ``to_profile``'s teacher to an exchange with ``from_profile`` (the actor's class). A
    proposal a call made for the pair becomes the invitation; an infeasible pair is refused with its
    reasons."""
    require_profile_change(actor, from_profile)
    if not ClassProfile.objects.for_user(actor).filter(pk=to_profile.pk).exists():
        raise NotFound(_("No such class."))
    first, second = _pair(from_profile, to_profile)
    lock(first)
    lock(second)
    if from_profile.status != ProfileStatus.PUBLISHED or to_profile.status != ProfileStatus.PUBLISHED:
        raise Conflict(_("Only published classes can be invited."))
    assessment = assess(to_core(first), to_core(second))
    if not assessment.feasible:
        raise ValidationFailed(
            {"to_profile_id": " ".join(refusal_sentence(refusal) for refusal in assessment.refusals)}
        )
    proposal = Proposal.objects.filter(first=first, second=second, status__in=LIVE).first()
    if proposal is not None and proposal.status != ProposalStatus.PROPOSED:
        raise Conflict(_("These two classes already have an invitation or an exchange."))
    if proposal is None:
        proposal = Proposal(first=first, second=second, updated_by=actor)
    else:
        lock(proposal)
    proposal.score = assessment.score
    proposal.reasons = reasons_of(assessment)
    proposal.status = ProposalStatus.INVITED
    proposal.invited_from = from_profile
    proposal.message = message.strip()
    if proposal.pk:
        proposal.save(
            update_fields=["score", "reasons", "status", "invited_from", "message", *bump(proposal, actor)]
        )
    else:
        proposal.save()
    publish(events.ProposalInvited(proposal))
    return proposal


def invited_profile(proposal: Proposal) -> ClassProfile:
    return proposal.second if proposal.invited_from_id == proposal.first_id else proposal.first


@transaction.atomic
def proposal_decide(
    *, actor, proposal: Proposal, accept: bool, reason: str = "", expected_version: int | None = None
) -> Proposal:
    """The invited class's teacher accepts (the exchange is created with a first plan) or declines
    with a reason."""
    if not may_change_profile(actor, invited_profile(proposal)):
        raise PermissionDenied(_("Only the invited class's teacher and coordinators can answer."))
    lock(proposal)
    require_version(proposal, expected_version, ("status",))
    target = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    PROPOSAL_TRANSITIONS.require(proposal.status, target, code="invalid_transition")
    if not accept and not reason.strip():
        raise ValidationFailed({"reason": _("Say why you decline; the other teacher reads it.")})
    proposal.status = target
    proposal.reason = reason.strip()
    proposal.decided_by = actor
    proposal.save(update_fields=["status", "reason", "decided_by", *bump(proposal, actor)])
    if not accept:
        publish(events.ProposalDeclined(proposal))
        return proposal
    exchange = _exchange_create(actor, proposal)
    publish(events.ExchangeAccepted(exchange))
    return proposal


def _exchange_create(actor, proposal: Proposal) -> Exchange:
    first, second = proposal.first, proposal.second
    plan = first_plan(to_core(first), to_core(second))
    exchange = Exchange.objects.create(
        proposal=proposal,
        first=first,
        second=second,
        title=_("%(first)s and %(second)s") % {"first": first.title, "second": second.title},
        start=plan.start,
        weeks=plan.weeks,
        updated_by=actor,
    )
    if plan.session is not None and Mode.SYNCHRONOUS in (first.mode, second.mode):
        weekday, at, minutes = plan.session
        Session.objects.create(
            exchange=exchange,
            title=_("Joint session"),
            weekday=weekday,
            start=at,
            minutes=minutes,
            time_zone=first.time_zone,
            updated_by=actor,
        )
    return exchange


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal, expected_version: int | None = None) -> Proposal:
    """The inviting side takes its invitation back (or either side drops a call's proposal)."""
    inviting = proposal.invited_from
    allowed = (
        may_change_profile(actor, inviting)
        if inviting is not None
        else may_change_profile(actor, proposal.first) or may_change_profile(actor, proposal.second)
    )
    if not allowed:
        raise PermissionDenied(_("Only the inviting class's teacher and coordinators can withdraw."))
    lock(proposal)
    require_version(proposal, expected_version, ("status",))
    PROPOSAL_TRANSITIONS.require(proposal.status, ProposalStatus.WITHDRAWN, code="invalid_transition")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", *bump(proposal, actor)])
    return proposal


def live_between(a: ClassProfile, b: ClassProfile) -> Proposal | None:
    first, second = _pair(a, b)
    return Proposal.objects.filter(Q(first=first, second=second), status__in=LIVE).first()
