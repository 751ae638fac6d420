"""The collaboration log: meetings, decisions and action items."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

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
from accord.partnerships.api._common import meeting_from_id, partnership_for, people_from_ids
from accord.partnerships.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
)

router = Router(tags=["partnerships"])


@router.get(
    "/{int:partnership_id}/meetings", response=list[MeetingOut], summary="Meetings", openapi_extra=LIST_DOC
)
@conditional_list
def list_meetings(request: HttpRequest, partnership_id: int):
    return list(selectors.meetings(partnership=partnership_for(request, partnership_id)))


@router.post("/{int:partnership_id}/meetings", response={201: MeetingOut}, summary="Log a meeting")
def create_meeting(request: HttpRequest, partnership_id: int, payload: MeetingIn, response: HttpResponse):
    partnership = partnership_for(request, partnership_id)
    data = payload.dict()
    people_from_ids(partnership, data, "attendee_ids", "attendees", many=True)
    created = services.meeting_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, created)
    return Status(201, created)


@router.get(
    "/{int:partnership_id}/meetings/{int:meeting_id}",
    response=MeetingOut,
    summary="A meeting",
    openapi_extra=READ_DOC,
)
def get_meeting(request: HttpRequest, partnership_id: int, meeting_id: int, response: HttpResponse):
    record = selectors.meeting_for(partnership=partnership_for(request, partnership_id), pk=meeting_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/meetings/{int:meeting_id}",
    response=MeetingOut,
    summary="Edit a meeting",
    openapi_extra=WRITE_DOC,
)
def update_meeting(
    request: HttpRequest,
    partnership_id: int,
    meeting_id: int,
    payload: MeetingPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    partnership = partnership_for(request, partnership_id)
    meeting = selectors.meeting_for(partnership=partnership, pk=meeting_id)
    data = payload.dict(exclude_unset=True)
    people_from_ids(partnership, data, "attendee_ids", "attendees", many=True)
    updated = services.meeting_update(
        actor=request.user, meeting=meeting, expected_version=expected_version(if_match, meeting), **data
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/meetings/{int:meeting_id}",
    response={204: None},
    summary="Delete a meeting",
    openapi_extra=WRITE_DOC,
)
def delete_meeting(request: HttpRequest, partnership_id: int, meeting_id: int, if_match: IfMatch = None):
    meeting = selectors.meeting_for(partnership=partnership_for(request, partnership_id), pk=meeting_id)
    services.meeting_delete(
        actor=request.user, meeting=meeting, expected_version=expected_version(if_match, meeting)
    )
    return Status(204, None)


@router.get(
    "/{int:partnership_id}/decisions", response=list[DecisionOut], summary="Decisions", openapi_extra=LIST_DOC
)
@conditional_list
def list_decisions(request: HttpRequest, partnership_id: int):
    return list(selectors.decisions(partnership=partnership_for(request, partnership_id)))


@router.post("/{int:partnership_id}/decisions", response={201: DecisionOut}, summary="Record a decision")
def create_decision(request: HttpRequest, partnership_id: int, payload: DecisionIn, response: HttpResponse):
    partnership = partnership_for(request, partnership_id)
    data = payload.dict()
    meeting_from_id(partnership, data)
    created = services.decision_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, created)
    return Status(201, created)


@router.get(
    "/{int:partnership_id}/decisions/{int:decision_id}",
    response=DecisionOut,
    summary="A decision",
    openapi_extra=READ_DOC,
)
def get_decision(request: HttpRequest, partnership_id: int, decision_id: int, response: HttpResponse):
    record = selectors.decision_for(partnership=partnership_for(request, partnership_id), pk=decision_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/decisions/{int:decision_id}",
    response=DecisionOut,
    summary="Edit a decision",
    openapi_extra=WRITE_DOC,
)
def update_decision(
    request: HttpRequest,
    partnership_id: int,
    decision_id: int,
    payload: DecisionPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    partnership = partnership_for(request, partnership_id)
    decision = selectors.decision_for(partnership=partnership, pk=decision_id)
    data = payload.dict(exclude_unset=True)
    meeting_from_id(partnership, data)
    updated = services.decision_update(
        actor=request.user, decision=decision, expected_version=expected_version(if_match, decision), **data
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/decisions/{int:decision_id}",
    response={204: None},
    summary="Delete a decision",
    openapi_extra=WRITE_DOC,
)
def delete_decision(request: HttpRequest, partnership_id: int, decision_id: int, if_match: IfMatch = None):
    decision = selectors.decision_for(partnership=partnership_for(request, partnership_id), pk=decision_id)
    services.decision_delete(
        actor=request.user, decision=decision, expected_version=expected_version(if_match, decision)
    )
    return Status(204, None)


@router.get(
    "/{int:partnership_id}/action-items",
    response=list[ActionItemOut],
    summary="Action items",
    openapi_extra=LIST_DOC,
)
@conditional_list
def list_action_items(request: HttpRequest, partnership_id: int, status: str | None = None):
    return list(selectors.action_items(partnership=partnership_for(request, partnership_id), status=status))


@router.post(
    "/{int:partnership_id}/action-items", response={201: ActionItemOut}, summary="Add an action item"
)
def create_action_item(
    request: HttpRequest, partnership_id: int, payload: ActionItemIn, response: HttpResponse
):
    partnership = partnership_for(request, partnership_id)
    data = payload.dict()
    people_from_ids(partnership, data, "owner_id", "owner")
    meeting_from_id(partnership, data)
    created = services.action_item_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, created)
    return Status(201, created)


@router.get(
    "/{int:partnership_id}/action-items/{int:item_id}",
    response=ActionItemOut,
    summary="An action item",
    openapi_extra=READ_DOC,
)
def get_action_item(request: HttpRequest, partnership_id: int, item_id: int, response: HttpResponse):
    record = selectors.action_item_for(partnership=partnership_for(request, partnership_id), pk=item_id)
    set_etag(response, record)
    return record


@router.patch(
    "/{int:partnership_id}/action-items/{int:item_id}",
    response=ActionItemOut,
    summary="Edit an action item (its owner may change its status)",
    openapi_extra=WRITE_DOC,
)
def update_action_item(
    request: HttpRequest,
    partnership_id: int,
    item_id: int,
    payload: ActionItemPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    partnership = partnership_for(request, partnership_id)
    item = selectors.action_item_for(partnership=partnership, pk=item_id)
    data = payload.dict(exclude_unset=True)
    people_from_ids(partnership, data, "owner_id", "owner")
    meeting_from_id(partnership, data)
    updated = services.action_item_update(
        actor=request.user, item=item, expected_version=expected_version(if_match, item), **data
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/action-items/{int:item_id}",
    response={204: None},
    summary="Delete an action item",
    openapi_extra=WRITE_DOC,
)
def delete_action_item(request: HttpRequest, partnership_id: int, item_id: int, if_match: IfMatch = None):
    item = selectors.action_item_for(partnership=partnership_for(request, partnership_id), pk=item_id)
    services.action_item_delete(
        actor=request.user, item=item, expected_version=expected_version(if_match, item)
    )
    return Status(204, None)


@router.get(
    "/action-items/overdue",
    response=list[ActionItemOut],
    summary="Overdue open action items in the partnerships you may see",
)
def list_overdue_action_items(request: HttpRequest):
    return list(selectors.overdue_action_items(today=timezone.localdate(), user=request.user))
