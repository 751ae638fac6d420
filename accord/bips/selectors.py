"""Every read of BIPs, scoped to the acting user (see ``querysets``)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES, Role
from accord.algorithms.bips import Funding, FundingParticipant, bip_funding
from accord.bips.choices import ACTIVE_PARTICIPANT_STATUSES, ParticipantKind, ParticipantStatus
from accord.bips.filters import BipFilter
from accord.bips.models import Bip, BipAttendance, BipComponent, BipParticipant, BipPartner
from accord.bips.querysets import BipAction, bip_may, sees_all_participants
from accord.bips.rules import RULES
from accord.core.errors import NotFound, PermissionDenied


def bip_list(*, user, filters: BipFilter) -> QuerySet[Bip]:
    queryset = (
        Bip.objects.for_user(user)
        .select_related("coordinator", "host")
        .annotate(
            taken=Count("participants", filter=Q(participants__status__in=ACTIVE_PARTICIPANT_STATUSES)),
        )
    )
    return filters.apply(queryset).order_by("-created_at", "pk")


def get_bip_for_user(*, user, pk: int, action: str = BipAction.VIEW) -> Bip:
    """The BIP, or NotFound when it is missing or invisible; PermissionDenied when visible but the
    action is not the user's."""
    bip = Bip.objects.for_user(user).select_related("coordinator", "host").filter(pk=pk).first()
    if bip is None:
        raise NotFound("No such programme.")
    if action != BipAction.VIEW and not bip_may(user, action, bip):
        raise PermissionDenied("You may see this programme but not do that.")
    return bip


def partners_of(bip: Bip) -> list[BipPartner]:
    return list(
        bip.partners.select_related("organisation").annotate(
            taken=Count("participants", filter=Q(participants__status__in=ACTIVE_PARTICIPANT_STATUSES))
        )
    )


def components_of(bip: Bip) -> list[BipComponent]:
    return list(bip.components.all())


def participants_for(*, user, bip: Bip) -> QuerySet[BipParticipant]:
    """The participants of ``bip`` the user may see: all for the organiser and host, their own
    institution's for a partner, themselves for a participant."""
    queryset = bip.participants.select_related("person", "partner__organisation", "mobility")
    if sees_all_participants(user, bip):
        return queryset
    staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
    return queryset.filter(Q(partner__organisation_id__in=staff_of) | Q(person=user))


def get_participant_for_user(*, user, bip: Bip, pk: int) -> BipParticipant:
    participant = participants_for(user=user, bip=bip).filter(pk=pk).first()
    if participant is None:
        raise NotFound("No such participant.")
    return participant


def attendance_of(participants: list[BipParticipant]) -> dict[tuple[int, int], BipAttendance]:
    records = BipAttendance.objects.filter(participant__in=participants)
    return {(record.participant_id, record.component_id): record for record in records}


def funding_of(bip: Bip) -> Funding:
    """The organisational support the accepted participants earn (figures only: no one's data)."""
    accepted = bip.participants.filter(status=ParticipantStatus.ACCEPTED).values_list(
        "partner__organisation_id", flat=True
    )
    return bip_funding(
        [FundingParticipant(institution=pk, travels=pk != bip.host_id) for pk in accepted],
        coordinator=bip.coordinator_id,
        host=bip.host_id,
        rules=RULES,
    )


def nominating_partners(*, user, bip: Bip, partners: list[BipPartner]) -> list[BipPartner]:
    """The partners the user may nominate for."""
    if is_platform_staff(user):
        return partners
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    return [partner for partner in partners if partner.organisation_id in managing]


@dataclass(frozen=True)
class Nominee:
    pk: int
    label: str


def nominable_people(*, partner: BipPartner, kind: str) -> list[Nominee]:
    """The members of the partner institution that may go as ``kind`` (students, or staff)."""
    roles = [Role.STUDENT] if kind == ParticipantKind.STUDENT else list(STAFF_ROLES)
    people = (
        get_user_model()
        .objects.filter(
            memberships__organisation_id=partner.organisation_id, memberships__role__in=roles, is_active=True
        )
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
    return [Nominee(person.pk, person.get_full_name() or person.username) for person in people]
