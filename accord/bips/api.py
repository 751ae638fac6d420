"""The BIP API: thin over services and selectors. 404 for a programme the user may not see, 403 for
what they may see but not do, 409 for a full programme, a used quota or a wrong status, 412 for a
stale If-Match, 422 for bad input."""

import dataclasses

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from accord.bips import selectors, services
from accord.bips.filters import BipFilter
from accord.bips.models import Bip, BipComponent
from accord.bips.querysets import BipAction
from accord.bips.schemas import (
    AttendanceOut,
    BipIn,
    BipOut,
    BipPatch,
    ComponentIn,
    ComponentOut,
    DecisionIn,
    FundingOut,
    MarkIn,
    NominationIn,
    ParticipantOut,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    TransitionIn,
    WithdrawalIn,
)
from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.core.errors import NotFound, ValidationFailed
from accord.organisations.models import Organisation

router = Router(tags=["bips"])


class BipFilters(Schema):
    status: str = ""
    q: str = ""


def _bip(request: HttpRequest, bip_id: int, action: str = BipAction.VIEW) -> Bip:
    return selectors.get_bip_for_user(user=request.user, pk=bip_id, action=action)


def _organisation(pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: "No such organisation."})
    return found


@router.get("/", response=list[BipOut], summary="Programmes you take part in")
@paginate(PageNumberPagination, page_size=50)
def list_bips(request: HttpRequest, filters: Query[BipFilters]):
    return selectors.bip_list(user=request.user, filters=BipFilter(**filters.dict()))


@router.post("/", response={201: BipOut}, summary="Draft a programme (coordinating institution)")
def create_bip(request: HttpRequest, payload: BipIn, response: HttpResponse):
    bip = services.bip_create(
        actor=request.user,
        coordinator=_organisation(payload.coordinator_id, "coordinator_id"),
        host=_organisation(payload.host_id, "host_id"),
        partners=[_organisation(pk, "partner_ids") for pk in payload.partner_ids],
        title=payload.title,
        description=payload.description,
        isced_code=payload.isced_code,
        language=payload.language,
        ects=payload.ects,
        capacity=payload.capacity,
    )
    set_etag(response, bip)
    return Status(201, bip)


@router.get("/{int:bip_id}", response=BipOut, summary="A programme", openapi_extra=READ_DOC)
def get_bip(request: HttpRequest, bip_id: int, response: HttpResponse):
    bip = _bip(request, bip_id)
    set_etag(response, bip)
    return bip


@router.patch("/{int:bip_id}", response=BipOut, summary="Change a programme", openapi_extra=WRITE_DOC)
def update_bip(
    request: HttpRequest, bip_id: int, payload: BipPatch, response: HttpResponse, if_match: IfMatch = None
):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    data = payload.dict(exclude_unset=True)
    if "host_id" in data:
        data["host"] = _organisation(data.pop("host_id"), "host_id")
    services.bip_update(actor=request.user, bip=bip, expected_version=expected_version(if_match, bip), **data)
    set_etag(response, bip)
    return bip


@router.post(
    "/{int:bip_id}/transitions",
    response=BipOut,
    summary="Open, start, complete or cancel",
    openapi_extra=WRITE_DOC,
)
def transition_bip(
    request: HttpRequest, bip_id: int, payload: TransitionIn, response: HttpResponse, if_match: IfMatch = None
):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    services.bip_transition(
        actor=request.user, bip=bip, expected_version=expected_version(if_match, bip), **payload.dict()
    )
    set_etag(response, bip)
    return bip


@router.get("/{int:bip_id}/partners", response=list[PartnerOut], summary="The institutions taking part")
def list_partners(request: HttpRequest, bip_id: int):
    return selectors.partners_of(_bip(request, bip_id))


@router.post("/{int:bip_id}/partners", response={201: PartnerOut}, summary="Add a partner institution")
def add_partner(request: HttpRequest, bip_id: int, payload: PartnerIn):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    partner = services.bip_partner_add(
        actor=request.user,
        bip=bip,
        organisation=_organisation(payload.organisation_id, "organisation_id"),
        quota=payload.quota,
    )
    return Status(201, partner)


@router.patch(
    "/{int:bip_id}/partners/{int:partner_id}",
    response=PartnerOut,
    summary="Set or lift a partner's quota",
    openapi_extra=WRITE_DOC,
)
def update_partner(
    request: HttpRequest,
    bip_id: int,
    partner_id: int,
    payload: PartnerPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    partner = bip.partners.filter(pk=partner_id).first()
    if partner is None:
        raise NotFound("No such partner in this programme.")
    services.bip_partner_update(
        actor=request.user,
        partner=partner,
        quota=payload.quota,
        expected_version=expected_version(if_match, partner),
    )
    set_etag(response, partner)
    return partner


def _component(bip: Bip, component_id: int) -> BipComponent:
    component = bip.components.filter(pk=component_id).first()
    if component is None:
        raise NotFound("No such component in this programme.")
    return component


@router.get("/{int:bip_id}/components", response=list[ComponentOut], summary="The virtual and physical parts")
def list_components(request: HttpRequest, bip_id: int):
    return selectors.components_of(_bip(request, bip_id))


@router.post("/{int:bip_id}/components", response={201: ComponentOut}, summary="Add a component")
def add_component(request: HttpRequest, bip_id: int, payload: ComponentIn):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    return Status(201, services.bip_component_save(actor=request.user, bip=bip, **payload.dict()))


@router.put(
    "/{int:bip_id}/components/{int:component_id}",
    response=ComponentOut,
    summary="Change a component",
    openapi_extra=WRITE_DOC,
)
def update_component(
    request: HttpRequest,
    bip_id: int,
    component_id: int,
    payload: ComponentIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    component = _component(bip, component_id)
    services.bip_component_save(
        actor=request.user,
        bip=bip,
        component=component,
        expected_version=expected_version(if_match, component),
        **payload.dict(),
    )
    set_etag(response, component)
    return component


@router.delete(
    "/{int:bip_id}/components/{int:component_id}",
    response={204: None},
    summary="Remove a component",
    openapi_extra=WRITE_DOC,
)
def delete_component(request: HttpRequest, bip_id: int, component_id: int, if_match: IfMatch = None):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    component = _component(bip, component_id)
    services.bip_component_delete(
        actor=request.user, component=component, expected_version=expected_version(if_match, component)
    )
    return Status(204, None)


@router.get(
    "/{int:bip_id}/participants", response=list[ParticipantOut], summary="The participants you may see"
)
def list_participants(request: HttpRequest, bip_id: int):
    return list(selectors.participants_for(user=request.user, bip=_bip(request, bip_id)))


@router.post("/{int:bip_id}/participants", response={201: ParticipantOut}, summary="Nominate a participant")
def nominate(request: HttpRequest, bip_id: int, payload: NominationIn, response: HttpResponse):
    bip = _bip(request, bip_id)
    partner = bip.partners.filter(organisation_id=payload.organisation_id).first()
    if partner is None:
        raise ValidationFailed({"organisation_id": "This institution does not take part in the programme."})
    person = get_user_model().objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationFailed({"person_id": "No such person."})
    participant = services.participant_nominate(
        actor=request.user,
        bip=bip,
        partner=partner,
        person=person,
        kind=payload.kind,
        eqf_level=payload.eqf_level,
    )
    set_etag(response, participant)
    return Status(201, participant)


@router.post(
    "/{int:bip_id}/participants/{int:participant_id}/decision",
    response=ParticipantOut,
    summary="Accept (creating the mobility on the sending side) or decline",
    openapi_extra=WRITE_DOC,
)
def decide(
    request: HttpRequest,
    bip_id: int,
    participant_id: int,
    payload: DecisionIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    participant = selectors.get_participant_for_user(user=request.user, bip=bip, pk=participant_id)
    services.participant_decide(
        actor=request.user,
        participant=participant,
        accept=payload.accept,
        reason=payload.reason,
        expected_version=expected_version(if_match, participant),
    )
    set_etag(response, participant)
    return participant


@router.post(
    "/{int:bip_id}/participants/{int:participant_id}/withdrawal",
    response=ParticipantOut,
    summary="Withdraw a nomination (sending institution); an accepted participant's mobility is cancelled",
    openapi_extra=WRITE_DOC,
)
def withdraw(
    request: HttpRequest,
    bip_id: int,
    participant_id: int,
    payload: WithdrawalIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    bip = _bip(request, bip_id)
    participant = selectors.get_participant_for_user(user=request.user, bip=bip, pk=participant_id)
    services.participant_withdraw(
        actor=request.user,
        participant=participant,
        reason=payload.reason,
        expected_version=expected_version(if_match, participant),
    )
    set_etag(response, participant)
    return participant


@router.put(
    "/{int:bip_id}/attendance",
    response=list[AttendanceOut],
    summary="Record attendance per component (If-Match: the programme's ETag)",
    openapi_extra=WRITE_DOC,
)
def record_attendance(
    request: HttpRequest,
    bip_id: int,
    payload: list[MarkIn],
    response: HttpResponse,
    if_match: IfMatch = None,
):
    bip = _bip(request, bip_id, BipAction.MANAGE)
    participants = {p.pk: p for p in bip.participants.all()}
    components = {c.pk: c for c in BipComponent.objects.filter(bip=bip)}
    marks = []
    for index, mark in enumerate(payload):
        if mark.participant_id not in participants or mark.component_id not in components:
            raise ValidationFailed({str(index): "No such participant or component in this programme."})
        marks.append(
            (participants[mark.participant_id], components[mark.component_id], mark.attended, mark.version)
        )
    services.attendance_record(
        actor=request.user, bip=bip, marks=marks, expected_version=expected_version(if_match, bip)
    )
    set_etag(response, bip)
    return list(selectors.attendance_of(list(participants.values())).values())


@router.get(
    "/{int:bip_id}/funding", response=FundingOut, summary="Participants funded and organisational support"
)
def funding(request: HttpRequest, bip_id: int):
    return dataclasses.asdict(selectors.funding_of(_bip(request, bip_id)))
