"""The virtual exchange API: thin over services and selectors. 404 for what the user may not see, 403
for what they may see but not do, 409 for a wrong status, 412 for a stale If-Match, 422 for bad input."""

from datetime import date as Date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from accord.algorithms.timewindows import common_hours, parse_window
from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.core.errors import NotFound, ValidationFailed
from accord.organisations.models import Organisation
from accord.virtual_exchange import selectors, services
from accord.virtual_exchange.filters import ClassFilter
from accord.virtual_exchange.ical import exchange_calendar
from accord.virtual_exchange.matching import alone_sentence, reason_sentences, reasons_of
from accord.virtual_exchange.models import ClassProfile
from accord.virtual_exchange.querysets import VeAction
from accord.virtual_exchange.schemas import (
    CallIn,
    CallOut,
    ClassIn,
    ClassOut,
    ClassPatch,
    CommonHoursOut,
    ConstraintIn,
    DecisionIn,
    EntryIn,
    EntryOut,
    ExchangeOut,
    ExchangePatch,
    InvitationIn,
    MessageIn,
    MessageOut,
    ProposalOut,
    SessionIn,
    SessionOut,
    StudentsIn,
    SuggestionsOut,
    TaskIn,
    TaskOut,
)

router = Router(tags=["virtual-exchange"])


class ClassFilters(Schema):
    q: str = ""
    mode: str = ""
    isced: str = ""


class CommonHoursQuery(Schema):
    date: Date
    zone: list[str]
    day: str = "08:00-18:00"


def _organisation(pk: int, field: str) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: "No such organisation."})
    return found


def _class(request: HttpRequest, pk: int, action: str = VeAction.VIEW) -> ClassProfile:
    return selectors.get_profile_for_user(user=request.user, pk=pk, action=action)


def _profile_data(payload: dict) -> dict:
    return {name: value for name, value in payload.items() if name not in ("organisation_id", "network_ids")}


@router.get("/classes", response=list[ClassOut], summary="Classes you can see")
@paginate(PageNumberPagination, page_size=50)
def list_classes(request: HttpRequest, filters: Query[ClassFilters]):
    return selectors.profile_list(user=request.user, filters=ClassFilter(**filters.dict()))


@router.post("/classes", response={201: ClassOut}, summary="Publish a class profile")
def create_class(request: HttpRequest, payload: ClassIn, response: HttpResponse):
    data = payload.dict()
    profile = services.profile_create(
        actor=request.user,
        organisation=_organisation(payload.organisation_id, "organisation_id"),
        data=_profile_data(data),
        network_ids=payload.network_ids,
    )
    set_etag(response, profile)
    return Status(201, profile)


@router.get("/classes/{int:class_id}", response=ClassOut, summary="A class profile", openapi_extra=READ_DOC)
def get_class(request: HttpRequest, class_id: int, response: HttpResponse):
    profile = _class(request, class_id)
    set_etag(response, profile)
    return profile


@router.patch(
    "/classes/{int:class_id}", response=ClassOut, summary="Change a class profile", openapi_extra=WRITE_DOC
)
def update_class(
    request: HttpRequest, class_id: int, payload: ClassPatch, response: HttpResponse, if_match: IfMatch = None
):
    profile = _class(request, class_id, VeAction.CHANGE)
    data = payload.dict(exclude_unset=True)
    services.profile_update(
        actor=request.user,
        profile=profile,
        data=_profile_data(data),
        network_ids=data.get("network_ids"),
        expected_version=expected_version(if_match, profile),
    )
    set_etag(response, profile)
    return profile


@router.post(
    "/classes/{int:class_id}/withdrawal",
    response=ClassOut,
    summary="Withdraw a class from the proposals",
    openapi_extra=WRITE_DOC,
)
def withdraw_class(request: HttpRequest, class_id: int, response: HttpResponse, if_match: IfMatch = None):
    profile = _class(request, class_id, VeAction.CHANGE)
    services.profile_withdraw(
        actor=request.user, profile=profile, expected_version=expected_version(if_match, profile)
    )
    set_etag(response, profile)
    return profile


@router.get(
    "/classes/{int:class_id}/suggestions", response=SuggestionsOut, summary="Partner classes that fit"
)
def suggestions(request: HttpRequest, class_id: int):
    profile = _class(request, class_id, VeAction.CHANGE)
    found = selectors.partner_suggestions(user=request.user, profile=profile)
    return {
        "partners": [
            {
                "class_id": s.profile.pk,
                "title": s.profile.title,
                "organisation": s.profile.organisation.name,
                "time_zone": s.profile.time_zone,
                "assessment": {**reasons_of(s.assessment), "feasible": s.assessment.feasible},
                "reasons": reason_sentences(reasons_of(s.assessment)),
            }
            for s in found.partners
        ],
        "alone_reason": found.alone_reason,
        "alone": alone_sentence(found.alone_reason) if found.alone_reason != "alone" else "",
    }


@router.post(
    "/classes/{int:class_id}/invitations", response={201: ProposalOut}, summary="Invite a partner class"
)
def invite(request: HttpRequest, class_id: int, payload: InvitationIn, response: HttpResponse):
    profile = _class(request, class_id, VeAction.CHANGE)
    other = ClassProfile.objects.for_user(request.user).filter(pk=payload.to_class_id).first()
    if other is None:
        raise ValidationFailed({"to_class_id": "No such class."})
    proposal = services.proposal_invite(
        actor=request.user, from_profile=profile, to_profile=other, message=payload.message
    )
    set_etag(response, proposal)
    return Status(201, proposal)


@router.get(
    "/proposals/{int:proposal_id}", response=ProposalOut, summary="A proposal", openapi_extra=READ_DOC
)
def get_proposal(request: HttpRequest, proposal_id: int, response: HttpResponse):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=proposal_id)
    set_etag(response, proposal)
    return proposal


@router.post(
    "/proposals/{int:proposal_id}/decision",
    response=ProposalOut,
    summary="Accept or decline",
    openapi_extra=WRITE_DOC,
)
def decide(
    request: HttpRequest,
    proposal_id: int,
    payload: DecisionIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=proposal_id)
    services.proposal_decide(
        actor=request.user,
        proposal=proposal,
        accept=payload.accept,
        reason=payload.reason,
        expected_version=expected_version(if_match, proposal),
    )
    set_etag(response, proposal)
    return proposal


@router.post(
    "/proposals/{int:proposal_id}/withdrawal",
    response=ProposalOut,
    summary="Take an invitation back",
    openapi_extra=WRITE_DOC,
)
def withdraw_proposal(
    request: HttpRequest, proposal_id: int, response: HttpResponse, if_match: IfMatch = None
):
    proposal = selectors.get_proposal_for_user(user=request.user, pk=proposal_id)
    services.proposal_withdraw(
        actor=request.user, proposal=proposal, expected_version=expected_version(if_match, proposal)
    )
    set_etag(response, proposal)
    return proposal


@router.get("/exchanges", response=list[ExchangeOut], summary="Exchanges you take part in")
@paginate(PageNumberPagination, page_size=50)
def list_exchanges(request: HttpRequest):
    return selectors.exchange_list(user=request.user).prefetch_related("sessions", "tasks")


def _exchange(request: HttpRequest, pk: int, action: str = VeAction.VIEW):
    return selectors.get_exchange_for_user(user=request.user, pk=pk, action=action)


@router.get(
    "/exchanges/{int:exchange_id}", response=ExchangeOut, summary="An exchange", openapi_extra=READ_DOC
)
def get_exchange(request: HttpRequest, exchange_id: int, response: HttpResponse):
    exchange = _exchange(request, exchange_id)
    set_etag(response, exchange)
    return exchange


@router.patch(
    "/exchanges/{int:exchange_id}",
    response=ExchangeOut,
    summary="Change an exchange",
    openapi_extra=WRITE_DOC,
)
def update_exchange(
    request: HttpRequest,
    exchange_id: int,
    payload: ExchangePatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    services.exchange_update(
        actor=request.user,
        exchange=exchange,
        data=payload.dict(exclude_unset=True),
        expected_version=expected_version(if_match, exchange),
    )
    set_etag(response, exchange)
    return exchange


@router.post(
    "/exchanges/{int:exchange_id}/sessions", response={201: SessionOut}, summary="Add a weekly session"
)
def add_session(request: HttpRequest, exchange_id: int, payload: SessionIn, response: HttpResponse):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    session = services.session_save(actor=request.user, exchange=exchange, data=payload.dict())
    set_etag(response, session)
    return Status(201, session)


def _session(exchange, pk: int):
    session = exchange.sessions.filter(pk=pk).first()
    if session is None:
        raise NotFound("No such session.")
    return session


@router.patch(
    "/exchanges/{int:exchange_id}/sessions/{int:session_id}",
    response=SessionOut,
    summary="Change a weekly session",
    openapi_extra=WRITE_DOC,
)
def update_session(
    request: HttpRequest,
    exchange_id: int,
    session_id: int,
    payload: SessionIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    session = _session(exchange, session_id)
    services.session_save(
        actor=request.user,
        exchange=exchange,
        session=session,
        data=payload.dict(),
        expected_version=expected_version(if_match, session),
    )
    set_etag(response, session)
    return session


@router.get(
    "/exchanges/{int:exchange_id}/sessions/{int:session_id}",
    response=SessionOut,
    summary="A weekly session",
    openapi_extra=READ_DOC,
)
def get_session(request: HttpRequest, exchange_id: int, session_id: int, response: HttpResponse):
    session = _session(_exchange(request, exchange_id), session_id)
    set_etag(response, session)
    return session


@router.delete(
    "/exchanges/{int:exchange_id}/sessions/{int:session_id}",
    response={204: None},
    summary="Remove a weekly session",
    openapi_extra=WRITE_DOC,
)
def delete_session(request: HttpRequest, exchange_id: int, session_id: int, if_match: IfMatch = None):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    session = _session(exchange, session_id)
    services.session_delete(
        actor=request.user, session=session, expected_version=expected_version(if_match, session)
    )
    return Status(204, None)


@router.post("/exchanges/{int:exchange_id}/tasks", response={201: TaskOut}, summary="Add the task of a week")
def add_task(request: HttpRequest, exchange_id: int, payload: TaskIn, response: HttpResponse):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    task = services.task_save(actor=request.user, exchange=exchange, data=payload.dict())
    set_etag(response, task)
    return Status(201, task)


@router.get("/exchanges/{int:exchange_id}/messages", response=list[MessageOut], summary="The thread")
def list_messages(request: HttpRequest, exchange_id: int):
    return list(_exchange(request, exchange_id).messages.all())


@router.post(
    "/exchanges/{int:exchange_id}/messages", response={201: MessageOut}, summary="Write to the thread"
)
def post_message(request: HttpRequest, exchange_id: int, payload: MessageIn):
    exchange = _exchange(request, exchange_id)
    return Status(201, services.message_post(actor=request.user, exchange=exchange, body=payload.body))


@router.post("/exchanges/{int:exchange_id}/students", response=ExchangeOut, summary="Set a class's students")
def set_students(request: HttpRequest, exchange_id: int, payload: StudentsIn, response: HttpResponse):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    profile = next((p for p in (exchange.first, exchange.second) if p.pk == payload.class_id), None)
    if profile is None:
        raise ValidationFailed({"class_id": "This class is not part of the exchange."})
    services.students_set(
        actor=request.user, exchange=exchange, profile=profile, person_ids=payload.person_ids
    )
    set_etag(response, exchange)
    return exchange


@router.post(
    "/exchanges/{int:exchange_id}/completion",
    response=ExchangeOut,
    summary="Complete: record every student's virtual mobility",
    openapi_extra=WRITE_DOC,
)
def complete(request: HttpRequest, exchange_id: int, response: HttpResponse, if_match: IfMatch = None):
    exchange = _exchange(request, exchange_id, VeAction.CHANGE)
    services.exchange_complete(
        actor=request.user, exchange=exchange, expected_version=expected_version(if_match, exchange)
    )
    set_etag(response, exchange)
    return exchange


@router.get("/exchanges/{int:exchange_id}/calendar.ics", summary="The joint schedule as iCalendar")
def calendar(request: HttpRequest, exchange_id: int, side: int | None = None):
    exchange = _exchange(request, exchange_id)
    profile = next((p for p in (exchange.first, exchange.second) if p.pk == side), None)
    profile = profile or selectors.side_of(user=request.user, exchange=exchange)
    response = HttpResponse(exchange_calendar(exchange, profile), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exchange-{exchange.pk}-{profile.pk}.ics"'
    return response


@router.get("/calls", response=list[CallOut], summary="Calls you can see")
@paginate(PageNumberPagination, page_size=50)
def list_calls(request: HttpRequest):
    return selectors.call_list(user=request.user)


@router.post("/calls", response={201: CallOut}, summary="Open a call (network or institution)")
def create_call(request: HttpRequest, payload: CallIn, response: HttpResponse):
    call = services.call_create(
        actor=request.user,
        organiser=_organisation(payload.organiser_id, "organiser_id"),
        title=payload.title,
        description=payload.description,
        two_sided=payload.two_sided,
    )
    set_etag(response, call)
    return Status(201, call)


@router.get("/calls/{int:call_id}", response=CallOut, summary="A call", openapi_extra=READ_DOC)
def get_call(request: HttpRequest, call_id: int, response: HttpResponse):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    set_etag(response, call)
    return call


@router.get("/calls/{int:call_id}/entries", response=list[EntryOut], summary="The call's classes")
def list_entries(request: HttpRequest, call_id: int):
    return list(selectors.get_call_for_user(user=request.user, pk=call_id).entries.all())


@router.post("/calls/{int:call_id}/entries", response={201: EntryOut}, summary="Submit a class")
def submit(request: HttpRequest, call_id: int, payload: EntryIn):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    profile = _class(request, payload.class_id, VeAction.CHANGE)
    return Status(
        201, services.call_submit(actor=request.user, call=call, profile=profile, side=payload.side)
    )


@router.post("/calls/{int:call_id}/constraints", response={204: None}, summary="Fix, forbid or free a pair")
def constrain(request: HttpRequest, call_id: int, payload: ConstraintIn):
    call = selectors.get_call_for_user(user=request.user, pk=call_id, action=VeAction.MANAGE)
    entries = {entry.profile_id: entry.profile for entry in call.entries.select_related("profile")}
    if payload.first_id not in entries or payload.second_id not in entries:
        raise ValidationFailed({"second_id": "Choose two classes of the call."})
    services.call_constraint_set(
        actor=request.user,
        call=call,
        first=entries[payload.first_id],
        second=entries[payload.second_id],
        kind=payload.kind,
    )
    return Status(204, None)


@router.post(
    "/calls/{int:call_id}/matching", response=list[ProposalOut], summary="Pair the whole call (again)"
)
def match(request: HttpRequest, call_id: int):
    call = selectors.get_call_for_user(user=request.user, pk=call_id, action=VeAction.MANAGE)
    services.call_match(actor=request.user, call=call)
    return list(selectors.call_proposals(call=call))


@router.get("/calls/{int:call_id}/proposals", response=list[ProposalOut], summary="The call's proposals")
def call_proposals(request: HttpRequest, call_id: int):
    return list(selectors.call_proposals(call=selectors.get_call_for_user(user=request.user, pk=call_id)))


@router.get("/common-hours", response=CommonHoursOut, summary="Weekday hours common to several time zones")
def hours_in_common(request: HttpRequest, query: Query[CommonHoursQuery]):
    zones = []
    for name in query.zone:
        try:
            zones.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationFailed({"zone": f"'{name}' is not a time zone such as Europe/Paris."}) from error
    try:
        window = parse_window(query.day)
    except ValueError as error:
        raise ValidationFailed({"day": "Give the day as a window such as 08:00-18:00."}) from error
    intervals = common_hours(query.date, zones, window)
    return {
        "date": query.date,
        "zones": query.zone,
        "day": query.day,
        "intervals": [{"start": i.start, "end": i.end, "minutes": i.minutes} for i in intervals],
    }
