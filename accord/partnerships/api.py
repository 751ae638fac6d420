"""The partnerships API: thin over services and selectors. 404 for what the user may not see,
403 for what they may see but not do (the services decide)."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.partnerships import selectors, services
from accord.partnerships.models import Partnership
from accord.partnerships.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    ActualIn,
    ActualOut,
    ActualPatch,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    IndicatorProgressOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MemberIn,
    MemberOut,
    MemberPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    PartnershipSummaryOut,
    TargetIn,
    TargetOut,
    TargetPatch,
    TransitionIn,
    TransitionOut,
)

router = Router(tags=["partnerships"])

# Every record below has a version: its ETag comes with the answer of a GET, a POST and a PATCH, and a
# PATCH or DELETE that sends it back as If-Match is refused with 412 if the record changed since.


class PartnershipFilters(Schema):
    q: str | None = None
    status: str | None = None
    model: str | None = None
    organisation: int | None = None
    ordering: str | None = None


def _partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    return selectors.get_partnership_for_user(user=request.user, pk=partnership_id)


def partnership_out(request: HttpRequest, partnership: Partnership) -> dict:
    # Re-read through the selector so that members and contacts come prefetched and current.
    partnership = _partnership(request, partnership.pk)
    return {
        **{
            field: getattr(partnership, field)
            for field in PartnershipOut.model_fields
            if hasattr(partnership, field)
        },
        "members": list(partnership.members.all()),
        "responsible_contacts": list(partnership.responsible_contacts.all()),
        "allowed_next_statuses": list(selectors.allowed_next_statuses(partnership=partnership)),
        "permissions": selectors.partnership_permissions(user=request.user, partnership=partnership),
    }


def _people(partnership: Partnership, data: dict, key: str, field: str, *, many: bool = False) -> None:
    """Turn ``<field>_id(s)`` in the payload into users who work at member organisations."""
    if key not in data:
        return
    ids = data.pop(key)
    if ids is None:
        data[field] = None
        return
    people = selectors.people_by_id(partnership=partnership, ids=ids if many else [ids], field=key)
    data[field] = people if many else people[0]


def _meeting(partnership: Partnership, data: dict) -> None:
    if "meeting_id" in data:
        data["meeting"] = selectors.optional_meeting(partnership=partnership, pk=data.pop("meeting_id"))


# --- partnerships --------------------------------------------------------------------------------


@router.get("/", response=list[PartnershipSummaryOut], summary="Partnerships you may see")
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
    partnership = _partnership(request, partnership_id)
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
    partnership = _partnership(request, partnership_id)
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
    partnership = _partnership(request, partnership_id)
    organisation = selectors.organisations_by_id(
        user=request.user, ids=[payload.organisation_id], field="organisation_id"
    )[payload.organisation_id]
    member = services.partnership_member_add(
        actor=request.user, partnership=partnership, organisation=organisation, role=payload.role
    )
    set_etag(response, member)
    return Status(201, member)


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
    member = selectors.member_for(partnership=_partnership(request, partnership_id), pk=member_id)
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
    member = selectors.member_for(partnership=_partnership(request, partnership_id), pk=member_id)
    services.partnership_member_remove(
        actor=request.user, member=member, expected_version=expected_version(if_match, member)
    )
    return Status(204, None)


@router.get("/{int:partnership_id}/transitions", response=list[TransitionOut], summary="Lifecycle history")
def list_transitions(request: HttpRequest, partnership_id: int):
    return list(selectors.transition_history(partnership=_partnership(request, partnership_id)))


@router.post(
    "/{int:partnership_id}/transitions", response={201: TransitionOut}, summary="Move to another status"
)
def create_transition(request: HttpRequest, partnership_id: int, payload: TransitionIn):
    transition = services.partnership_transition(
        actor=request.user,
        partnership=_partnership(request, partnership_id),
        to_status=payload.to_status,
        reason=payload.reason,
    )
    return Status(201, transition)


# --- objectives, indicators, targets, actuals ----------------------------------------------------


def _objective_out(partnership: Partnership, objective_id: int):
    return selectors.objectives_with_indicators(partnership=partnership).get(pk=objective_id)


@router.get("/{int:partnership_id}/objectives", response=list[ObjectiveOut], summary="Shared objectives")
def list_objectives(request: HttpRequest, partnership_id: int):
    return list(selectors.objectives_with_indicators(partnership=_partnership(request, partnership_id)))


@router.post("/{int:partnership_id}/objectives", response={201: ObjectiveOut}, summary="Add an objective")
def create_objective(request: HttpRequest, partnership_id: int, payload: ObjectiveIn, response: HttpResponse):
    partnership = _partnership(request, partnership_id)
    data = payload.dict()
    _people(partnership, data, "owner_id", "owner")
    objective = services.objective_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, objective)
    return Status(201, _objective_out(partnership, objective.pk))


@router.patch(
    "/{int:partnership_id}/objectives/{int:objective_id}",
    response=ObjectiveOut,
    summary="Edit an objective",
    openapi_extra=WRITE_DOC,
)
def update_objective(
    request: HttpRequest,
    partnership_id: int,
    objective_id: int,
    payload: ObjectivePatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    partnership = _partnership(request, partnership_id)
    objective = selectors.objective_for(partnership=partnership, pk=objective_id)
    data = payload.dict(exclude_unset=True)
    _people(partnership, data, "owner_id", "owner")
    updated = services.objective_update(
        actor=request.user,
        objective=objective,
        expected_version=expected_version(if_match, objective),
        **data,
    )
    set_etag(response, updated)
    return _objective_out(partnership, objective.pk)


@router.delete(
    "/{int:partnership_id}/objectives/{int:objective_id}",
    response={204: None},
    summary="Delete an objective",
    openapi_extra=WRITE_DOC,
)
def delete_objective(request: HttpRequest, partnership_id: int, objective_id: int, if_match: IfMatch = None):
    objective = selectors.objective_for(partnership=_partnership(request, partnership_id), pk=objective_id)
    services.objective_delete(
        actor=request.user, objective=objective, expected_version=expected_version(if_match, objective)
    )
    return Status(204, None)


@router.post(
    "/{int:partnership_id}/objectives/{int:objective_id}/indicators",
    response={201: IndicatorOut},
    summary="Add an indicator to an objective",
)
def create_indicator(
    request: HttpRequest, partnership_id: int, objective_id: int, payload: IndicatorIn, response: HttpResponse
):
    objective = selectors.objective_for(partnership=_partnership(request, partnership_id), pk=objective_id)
    created = services.indicator_create(actor=request.user, objective=objective, **payload.dict())
    set_etag(response, created)
    return Status(201, created)


@router.patch(
    "/{int:partnership_id}/indicators/{int:indicator_id}",
    response=IndicatorOut,
    summary="Edit an indicator",
    openapi_extra=WRITE_DOC,
)
def update_indicator(
    request: HttpRequest,
    partnership_id: int,
    indicator_id: int,
    payload: IndicatorPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    indicator = selectors.indicator_for(partnership=_partnership(request, partnership_id), pk=indicator_id)
    updated = services.indicator_update(
        actor=request.user,
        indicator=indicator,
        expected_version=expected_version(if_match, indicator),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/indicators/{int:indicator_id}",
    response={204: None},
    summary="Delete an indicator",
    openapi_extra=WRITE_DOC,
)
def delete_indicator(request: HttpRequest, partnership_id: int, indicator_id: int, if_match: IfMatch = None):
    indicator = selectors.indicator_for(partnership=_partnership(request, partnership_id), pk=indicator_id)
    services.indicator_delete(
        actor=request.user, indicator=indicator, expected_version=expected_version(if_match, indicator)
    )
    return Status(204, None)


@router.post(
    "/{int:partnership_id}/indicators/{int:indicator_id}/targets",
    response={201: TargetOut},
    summary="Set a yearly target",
)
def create_target(
    request: HttpRequest, partnership_id: int, indicator_id: int, payload: TargetIn, response: HttpResponse
):
    indicator = selectors.indicator_for(partnership=_partnership(request, partnership_id), pk=indicator_id)
    created = services.indicator_target_create(actor=request.user, indicator=indicator, **payload.dict())
    set_etag(response, created)
    return Status(201, created)


@router.patch(
    "/{int:partnership_id}/targets/{int:target_id}",
    response=TargetOut,
    summary="Edit a target",
    openapi_extra=WRITE_DOC,
)
def update_target(
    request: HttpRequest,
    partnership_id: int,
    target_id: int,
    payload: TargetPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    target = selectors.target_for(partnership=_partnership(request, partnership_id), pk=target_id)
    updated = services.indicator_target_update(
        actor=request.user,
        target=target,
        expected_version=expected_version(if_match, target),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/targets/{int:target_id}",
    response={204: None},
    summary="Delete a target",
    openapi_extra=WRITE_DOC,
)
def delete_target(request: HttpRequest, partnership_id: int, target_id: int, if_match: IfMatch = None):
    target = selectors.target_for(partnership=_partnership(request, partnership_id), pk=target_id)
    services.indicator_target_delete(
        actor=request.user, target=target, expected_version=expected_version(if_match, target)
    )
    return Status(204, None)


@router.post(
    "/{int:partnership_id}/indicators/{int:indicator_id}/actuals",
    response={201: ActualOut},
    summary="Record the figure reached in a year",
)
def create_actual(
    request: HttpRequest, partnership_id: int, indicator_id: int, payload: ActualIn, response: HttpResponse
):
    indicator = selectors.indicator_for(partnership=_partnership(request, partnership_id), pk=indicator_id)
    created = services.indicator_actual_record(actor=request.user, indicator=indicator, **payload.dict())
    set_etag(response, created)
    return Status(201, created)


@router.patch(
    "/{int:partnership_id}/actuals/{int:actual_id}",
    response=ActualOut,
    summary="Correct a figure",
    openapi_extra=WRITE_DOC,
)
def update_actual(
    request: HttpRequest,
    partnership_id: int,
    actual_id: int,
    payload: ActualPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    actual = selectors.actual_for(partnership=_partnership(request, partnership_id), pk=actual_id)
    updated = services.indicator_actual_update(
        actor=request.user,
        actual=actual,
        expected_version=expected_version(if_match, actual),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:partnership_id}/actuals/{int:actual_id}",
    response={204: None},
    summary="Delete a figure",
    openapi_extra=WRITE_DOC,
)
def delete_actual(request: HttpRequest, partnership_id: int, actual_id: int, if_match: IfMatch = None):
    actual = selectors.actual_for(partnership=_partnership(request, partnership_id), pk=actual_id)
    services.indicator_actual_delete(
        actor=request.user, actual=actual, expected_version=expected_version(if_match, actual)
    )
    return Status(204, None)


@router.get(
    "/{int:partnership_id}/progress",
    response=list[IndicatorProgressOut],
    summary="Progress of every indicator towards its yearly targets",
)
def get_progress(request: HttpRequest, partnership_id: int):
    return selectors.objective_progress(partnership=_partnership(request, partnership_id))


# --- collaboration log ---------------------------------------------------------------------------


@router.get("/{int:partnership_id}/meetings", response=list[MeetingOut], summary="Meetings")
def list_meetings(request: HttpRequest, partnership_id: int):
    return list(selectors.meetings(partnership=_partnership(request, partnership_id)))


@router.post("/{int:partnership_id}/meetings", response={201: MeetingOut}, summary="Log a meeting")
def create_meeting(request: HttpRequest, partnership_id: int, payload: MeetingIn, response: HttpResponse):
    partnership = _partnership(request, partnership_id)
    data = payload.dict()
    _people(partnership, data, "attendee_ids", "attendees", many=True)
    created = services.meeting_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, created)
    return Status(201, created)


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
    partnership = _partnership(request, partnership_id)
    meeting = selectors.meeting_for(partnership=partnership, pk=meeting_id)
    data = payload.dict(exclude_unset=True)
    _people(partnership, data, "attendee_ids", "attendees", many=True)
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
    meeting = selectors.meeting_for(partnership=_partnership(request, partnership_id), pk=meeting_id)
    services.meeting_delete(
        actor=request.user, meeting=meeting, expected_version=expected_version(if_match, meeting)
    )
    return Status(204, None)


@router.get("/{int:partnership_id}/decisions", response=list[DecisionOut], summary="Decisions")
def list_decisions(request: HttpRequest, partnership_id: int):
    return list(selectors.decisions(partnership=_partnership(request, partnership_id)))


@router.post("/{int:partnership_id}/decisions", response={201: DecisionOut}, summary="Record a decision")
def create_decision(request: HttpRequest, partnership_id: int, payload: DecisionIn, response: HttpResponse):
    partnership = _partnership(request, partnership_id)
    data = payload.dict()
    _meeting(partnership, data)
    created = services.decision_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, created)
    return Status(201, created)


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
    partnership = _partnership(request, partnership_id)
    decision = selectors.decision_for(partnership=partnership, pk=decision_id)
    data = payload.dict(exclude_unset=True)
    _meeting(partnership, data)
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
    decision = selectors.decision_for(partnership=_partnership(request, partnership_id), pk=decision_id)
    services.decision_delete(
        actor=request.user, decision=decision, expected_version=expected_version(if_match, decision)
    )
    return Status(204, None)


@router.get("/{int:partnership_id}/action-items", response=list[ActionItemOut], summary="Action items")
def list_action_items(request: HttpRequest, partnership_id: int, status: str | None = None):
    return list(selectors.action_items(partnership=_partnership(request, partnership_id), status=status))


@router.post(
    "/{int:partnership_id}/action-items", response={201: ActionItemOut}, summary="Add an action item"
)
def create_action_item(
    request: HttpRequest, partnership_id: int, payload: ActionItemIn, response: HttpResponse
):
    partnership = _partnership(request, partnership_id)
    data = payload.dict()
    _people(partnership, data, "owner_id", "owner")
    _meeting(partnership, data)
    created = services.action_item_create(actor=request.user, partnership=partnership, **data)
    set_etag(response, created)
    return Status(201, created)


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
    partnership = _partnership(request, partnership_id)
    item = selectors.action_item_for(partnership=partnership, pk=item_id)
    data = payload.dict(exclude_unset=True)
    _people(partnership, data, "owner_id", "owner")
    _meeting(partnership, data)
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
    item = selectors.action_item_for(partnership=_partnership(request, partnership_id), pk=item_id)
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
