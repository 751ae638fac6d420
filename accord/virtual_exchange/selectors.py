"""Every read of virtual exchange, scoped to the acting user (see ``querysets``)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accord.algorithms.matching.matrix import assess_all
from accord.algorithms.matching.pair import Assessment, assess
from accord.core.errors import NotFound, PermissionDenied
from accord.virtual_exchange.choices import ProfileStatus, ProposalStatus
from accord.virtual_exchange.filters import ClassFilter
from accord.virtual_exchange.matching import to_core
from accord.virtual_exchange.models import ClassProfile, Exchange, Proposal, VeCall
from accord.virtual_exchange.querysets import VeAction
from accord.virtual_exchange.services._common import may_change_profile

SUGGESTIONS = 10


def profile_list(*, user, filters: ClassFilter) -> QuerySet[ClassProfile]:
    queryset = ClassProfile.objects.for_user(user).select_related("organisation", "teacher")
    return filters.apply(queryset).order_by("title", "pk")


def my_profiles(*, user) -> QuerySet[ClassProfile]:
    return (
        ClassProfile.objects.for_user(user, VeAction.CHANGE)
        .select_related("organisation")
        .order_by("title", "pk")
    )


def get_profile_for_user(*, user, pk: int, action: str = VeAction.VIEW) -> ClassProfile:
    profile = (
        ClassProfile.objects.for_user(user).select_related("organisation", "teacher").filter(pk=pk).first()
    )
    if profile is None:
        raise NotFound("No such class.")
    if action == VeAction.CHANGE and not may_change_profile(user, profile):
        raise PermissionDenied("You may see this class but not change it.")
    return profile


@dataclass(frozen=True)
class Suggestion:
    profile: ClassProfile
    assessment: Assessment


@dataclass(frozen=True)
class Suggestions:
    """The best feasible partners of a class, or why it has none (a refusal code)."""

    partners: list[Suggestion]
    alone_reason: str


def partner_suggestions(*, user, profile: ClassProfile) -> Suggestions:
    """The published classes the user can see that fit ``profile``, best first, assessed all at once
    (the same core a call uses); the best are re-assessed one by one for their reasons."""
    candidates = list(
        ClassProfile.objects.for_user(user)
        .filter(status=ProfileStatus.PUBLISHED)
        .exclude(pk=profile.pk)
        .select_related("organisation", "teacher")
    )
    if not candidates:
        return Suggestions([], "alone")
    core = [to_core(profile), *[to_core(candidate) for candidate in candidates]]
    matrices = assess_all(core)
    feasible = matrices.feasible[0]
    ranked = sorted(
        (index for index in range(1, len(core)) if feasible[index]),
        key=lambda index: -matrices.score[0, index],
    )[:SUGGESTIONS]
    partners = [Suggestion(candidates[index - 1], assess(core[0], core[index])) for index in ranked]
    reason = matrices.why_alone(0)
    return Suggestions(partners, str(reason) if reason else "")


def proposals_of(*, user, profile: ClassProfile) -> QuerySet[Proposal]:
    return (
        Proposal.objects.for_user(user)
        .filter(Q(first=profile) | Q(second=profile))
        .exclude(status=ProposalStatus.WITHDRAWN)
        .select_related("first__organisation", "second__organisation", "invited_from")
    )


def invitations_for(*, user) -> QuerySet[Proposal]:
    """Invitations waiting for the user's answer (to a class they may change, from the other one)."""
    mine = ClassProfile.objects.for_user(user, VeAction.CHANGE).values("pk")
    return (
        Proposal.objects.for_user(user, VeAction.CHANGE)
        .filter(status=ProposalStatus.INVITED)
        .filter((Q(first__in=mine) | Q(second__in=mine)) & ~Q(invited_from__in=mine))
        .select_related("first__organisation", "second__organisation", "invited_from")
    )


def get_proposal_for_user(*, user, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.for_user(user)
        .select_related("first__organisation", "second__organisation", "invited_from", "call")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise NotFound("No such proposal.")
    return proposal


def exchange_list(*, user) -> QuerySet[Exchange]:
    return Exchange.objects.for_user(user).select_related("first__organisation", "second__organisation")


def get_exchange_for_user(*, user, pk: int, action: str = VeAction.VIEW) -> Exchange:
    exchange = exchange_list(user=user).filter(pk=pk).first()
    if exchange is None:
        raise NotFound("No such exchange.")
    if action == VeAction.CHANGE and not (
        may_change_profile(user, exchange.first) or may_change_profile(user, exchange.second)
    ):
        raise PermissionDenied("You may see this exchange but not change it.")
    return exchange


def side_of(*, user, exchange: Exchange) -> ClassProfile:
    """The class whose calendar the user sees by default: the one they may change, else the first."""
    if may_change_profile(user, exchange.second) and not may_change_profile(user, exchange.first):
        return exchange.second
    if exchange.students.filter(person=user, profile=exchange.second).exists():
        return exchange.second
    return exchange.first


def call_list(*, user) -> QuerySet[VeCall]:
    return VeCall.objects.for_user(user).select_related("organiser")


def get_call_for_user(*, user, pk: int, action: str = VeAction.VIEW) -> VeCall:
    call = call_list(user=user).filter(pk=pk).first()
    if call is None:
        raise NotFound("No such call.")
    if (
        action == VeAction.MANAGE
        and not VeCall.objects.for_user(user, VeAction.MANAGE).filter(pk=pk).exists()
    ):
        raise PermissionDenied("You may see this call but not run it.")
    return call


def call_proposals(*, call: VeCall) -> QuerySet[Proposal]:
    return call.proposals.exclude(status=ProposalStatus.WITHDRAWN).select_related(
        "first__organisation", "second__organisation"
    )
