"""Partnerships, their members and their lifecycle."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from accord.core.api_versions import (
    LIST_DOC,
    READ_DOC,
    WRITE_DOC,
    IfMatch,
    conditional_list,
    expected_version,
    set_etag,
)
from accord.partnerships import selectors, services
from accord.partnerships.api._common import PartnershipFilters, partnership_for, partnership_out
from accord.partnerships.schemas import (
    MemberIn,
    MemberOut,
    MemberPatch,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    PartnershipSummaryOut,
    TransitionIn,
    TransitionOut,
)

router = Router(tags=["partnerships"])


@router.get(
    "/", response=list[PartnershipSummaryOut], summary="Partnerships you may see", openapi_extra=LIST_DOC
)
@conditional_list
@paginate(PageNumberPagination, page_size=50)
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]):
    queryset, _form = selectors.partnership_list(user=request.user, filters=filters.dict(exclude_none=True))
    return queryset


@router.post("/", response={201: PartnershipOut}, summary="Set up a partnership")
def create_partnership(request: HttpRequest, payload: PartnershipIn, response: HttpResponse):
    data = payload.dict()
    members = data.pop("members")
    organisations = selectors.organisations_by_id(
        user=request.user, ids=[m["organisation_id"] for m in members], field="members"
    )
    contacts = selectors.contacts_by_id(user=request.user, ids=data.pop("responsible_contact_ids"))
    partnership = services.partnership_create(
        actor=request.user,
        members=[(organisations[m["organisation_id"]], m["role"]) for m in members],
        responsible_contacts=contacts,
        **data,
    )
    set_etag(response, partnership)
    return Status(201, partnership_out(request, partnership))


@router.get("/{int:partnership_id}", response=PartnershipOut, summary="A partnership", openapi_extra=READ_DOC)
def get_partnership(request: HttpRequest, partnership_id: int, response: HttpResponse):
    partnership = partnership_for(request, partnership_id)
    set_etag(response, partnership)
    return partnership_out(request, partnership)


@router.patch(
    "/{int:partnership_id}", response=PartnershipOut, summary="Edit a partnership", openapi_extra=WRITE_DOC
)
def update_partnership(
    request: HttpRequest,
    partnership_id: int,
    payload: PartnershipPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    partnership = partnership_for(request, partnership_id)
    data = payload.dict(exclude_unset=True)
    if "responsible_contact_ids" in data:
        data["responsible_contacts"] = selectors.contacts_by_id(
            user=request.user, ids=data.pop("responsible_contact_ids") or []
        )
    updated = services.partnership_update(
        actor=request.user,
        partnership=partnership,
        expected_version=expected_version(if_match, partnership),
        **data,
    )
    set_etag(response, updated)
    return partnership_out(request, updated)


@router.post("/{int:partnership_id}/members", response={201: MemberOut}, summary="Add a member")
def add_member(request: HttpRequest, partnership_id: int, payload: MemberIn, response: HttpResponse):
    partnership = partnership_for(request, partnership_id)
    organisation = selectors.organisations_by_id(
        user=request.user, ids=[payload.organisation_id], field="organisation_id"
    )[payload.organisation_id]
    member = services.partnership_member_add(
        actor=request.user, partnership=partnership, organisation=organisation, role=payload.role
    )
    set_etag(response, member)
    return Status(201, member)


@router.get(
    "/{int:partnership_id}/members/{int:member_id}",
    response=MemberOut,
    summary="A member",
    openapi_extra=READ_DOC,
)
def get_member(request: HttpRequest, partnership_id: int, member_id: int, response: HttpResponse):
    record = selectors.member_for(partnership=partnership_for(request, partnership_id), pk=member_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/members/{int:member_id}",
    response=MemberOut,
    summary="Change a member's role (making one coordinator hands coordination over)",
    openapi_extra=WRITE_DOC,
)
def update_member(
    request: HttpRequest,
    partnership_id: int,
    member_id: int,
    payload: MemberPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    member = selectors.member_for(partnership=partnership_for(request, partnership_id), pk=member_id)
    updated = services.partnership_member_update(
        actor=request.user,
        member=member,
        role=payload.role,
        expected_version=expected_version(if_match, member),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/members/{int:member_id}",
    response={204: None},
    summary="Remove a member",
    openapi_extra=WRITE_DOC,
)
def remove_member(request: HttpRequest, partnership_id: int, member_id: int, if_match: IfMatch = None):
    member = selectors.member_for(partnership=partnership_for(request, partnership_id), pk=member_id)
    services.partnership_member_remove(
        actor=request.user, member=member, expected_version=expected_version(if_match, member)
    )
    return Status(204, None)


@router.get("/{int:partnership_id}/transitions", response=list[TransitionOut], summary="Lifecycle history")
def list_transitions(request: HttpRequest, partnership_id: int):
    return list(selectors.transition_history(partnership=partnership_for(request, partnership_id)))


@router.post(
    "/{int:partnership_id}/transitions", response={201: TransitionOut}, summary="Move to another status"
)
def create_transition(request: HttpRequest, partnership_id: int, payload: TransitionIn):
    transition = services.partnership_transition(
        actor=request.user,
        partnership=partnership_for(request, partnership_id),
        to_status=payload.to_status,
        reason=payload.reason,
    )
    return Status(201, transition)
