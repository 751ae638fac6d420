from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from accord.accounts.tokens import api_token_create, api_token_revoke

router = Router(tags=["me"])


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    is_staff: bool
    memberships: list[MembershipOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="Shown once. Store it now; Accord keeps only its hash.")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


@router.get("", response=MeOut, summary="Who am I")
def me(request: HttpRequest):
    user = request.user
    memberships = [
        {"organisation_id": m.organisation_id, "organisation_name": m.organisation.name, "role": m.role}
        for m in user.memberships.select_related("organisation")
    ]
    return {
        **{f: getattr(user, f) for f in MeOut.model_fields if f != "memberships"},
        "memberships": memberships,
    }


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def list_tokens(request: HttpRequest):
    return list(request.user.api_tokens.all())


@router.post("/tokens", response={201: TokenCreated}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn):
    token, secret = api_token_create(user=request.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": secret})


@router.post("/tokens/{int:token_id}/revoke", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int):
    return api_token_revoke(user=request.user, token_id=token_id)
