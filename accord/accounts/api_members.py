"""Members and invitations of an organisation, for its admins. Mounted at ``/api/v1/memberships/``."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from accord.accounts import selectors, services
from accord.accounts.models import Invitation, Membership

router = Router(tags=["memberships"])


class MemberOut(Schema):
    id: int = Field(..., description="The membership's id.")
    user_id: int
    username: str
    full_name: str
    email: str
    role: str
    created_at: datetime


class InvitationOut(Schema):
    id: int
    organisation_id: int
    email: str
    role: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime
    status: str = Field(..., description="open, accepted, revoked or expired")


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: str = Field(..., description="admin, coordinator, teacher, student or viewer")


def member_out(membership: Membership) -> dict:
    user = membership.user
    return {
        "id": membership.pk,
        "user_id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "role": membership.role,
        "created_at": membership.created_at,
    }


def invitation_out(invitation: Invitation) -> dict:
    return {
        **{
            field: getattr(invitation, field) for field in InvitationOut.model_fields if field != "invited_by"
        },
        "invited_by": invitation.invited_by.username if invitation.invited_by else None,
    }


@router.get("/organisations/{int:organisation_id}/members", response=list[MemberOut], summary="Members")
def list_members(request: HttpRequest, organisation_id: int):
    organisation = selectors.get_organisation_for_member_admin(
        user=request.user, organisation_id=organisation_id
    )
    return [member_out(m) for m in selectors.member_list(organisation=organisation)]


@router.get(
    "/organisations/{int:organisation_id}/invitations",
    response=list[InvitationOut],
    summary="Open invitations",
)
def list_invitations(request: HttpRequest, organisation_id: int):
    organisation = selectors.get_organisation_for_member_admin(
        user=request.user, organisation_id=organisation_id
    )
    return [invitation_out(i) for i in selectors.pending_invitations(organisation=organisation)]


@router.post(
    "/organisations/{int:organisation_id}/invitations",
    response={201: InvitationOut},
    summary="Invite someone by e-mail",
    description="The accept link is e-mailed to the address; the API never returns it.",
)
def create_invitation(request: HttpRequest, organisation_id: int, payload: InvitationIn):
    organisation = selectors.get_organisation_for_member_admin(
        user=request.user, organisation_id=organisation_id
    )
    invitation, _secret = services.invitation_create(
        actor=request.user, organisation=organisation, email=payload.email, role=payload.role
    )
    return Status(201, invitation_out(invitation))


@router.post(
    "/invitations/{int:invitation_id}/revoke", response=InvitationOut, summary="Revoke an invitation"
)
def revoke_invitation(request: HttpRequest, invitation_id: int):
    return invitation_out(services.invitation_revoke(actor=request.user, invitation_id=invitation_id))
