"""The exchanges API at /api/v1/exchanges/: calls, places, applications, reviews, allocation runs and
nominations. Thin: parse, call a selector or a service, shape the answer."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from accord.core.api_versions import (
    LIST_DOC,
    READ_DOC,
    WRITE_DOC,
    IfMatch,
    conditional_list,
    expected_version,
    set_etag,
)
from accord.core.errors import NotFound, PreconditionFailed, ValidationFailed
from accord.exchanges import selectors, services
from accord.exchanges.exports import applications_export
from accord.exchanges.models import AllocationRun, Application, ApplicationDocument, Nomination, Review
from accord.exchanges.querysets import ExchangeAction
from accord.exchanges.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    BulkIn,
    BulkOut,
    CallIn,
    CallOut,
    CallPatch,
    DocumentOut,
    JobOut,
    MyResultOut,
    NominationOut,
    OverrideIn,
    PlaceIn,
    PlaceOut,
    PlacePatch,
    RejectIn,
    ReviewIn,
    ReviewOut,
    RunIn,
    RunOut,
    WithdrawIn,
)
from accord.exchanges.tasks import allocation_enqueue
from accord.organisations.models import Organisation

router = Router(tags=["exchanges"])


def _organisation(pk: int | None) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first() if pk else None
    if organisation is None:
        raise ValidationFailed({"receiving_organisation": [_("No such organisation.")]})
    return organisation


# --- Calls and places ------------------------------------------------------------------------------


@router.get("/calls", response=list[CallOut], summary="Calls you may see", openapi_extra=LIST_DOC)
@conditional_list
def list_calls(request: HttpRequest):
    return list(selectors.call_list(user=request.user))


@router.post("/calls", response={201: CallOut}, summary="Create a call (owner's admins and coordinators)")
def create_call(request: HttpRequest, payload: CallIn):
    data = payload.dict()
    owner = Organisation.objects.filter(pk=data.pop("owner")).first()
    if owner is None:
        raise ValidationFailed({"owner": [_("No such organisation.")]})
    return Status(201, services.call_create(actor=request.user, owner=owner, **data))


@router.get("/calls/{int:call_id}", response=CallOut, openapi_extra=READ_DOC)
def get_call(request: HttpRequest, call_id: int, response: HttpResponse):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    set_etag(response, call)
    return call


@router.patch("/calls/{int:call_id}", response=CallOut, openapi_extra=WRITE_DOC)
def update_call(
    request: HttpRequest, call_id: int, payload: CallPatch, response: HttpResponse, if_match: IfMatch = None
):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    call = services.call_update(
        actor=request.user,
        call=call,
        expected_version=expected_version(if_match, call),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, call)
    return call


@router.post("/calls/{int:call_id}/open", response=CallOut, summary="Open a call to applications")
def open_call(request: HttpRequest, call_id: int):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    return services.call_open(actor=request.user, call=call)


@router.post("/calls/{int:call_id}/close", response=CallOut, summary="Close a call (allocation may run)")
def close_call(request: HttpRequest, call_id: int):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    return services.call_close(actor=request.user, call=call)


@router.get("/calls/{int:call_id}/places", response=list[PlaceOut], openapi_extra=LIST_DOC)
@conditional_list
def list_places(request: HttpRequest, call_id: int):
    return list(selectors.places_of(call=selectors.get_call_for_user(user=request.user, pk=call_id)))


@router.post(
    "/calls/{int:call_id}/places/generate",
    response={201: list[PlaceOut]},
    summary="Add a place for every outgoing agreement condition in effect not offered yet",
)
def generate_places(request: HttpRequest, call_id: int):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    return Status(201, services.places_generate(actor=request.user, call=call))


@router.post("/calls/{int:call_id}/places", response={201: PlaceOut}, summary="Add a place by hand")
def create_place(request: HttpRequest, call_id: int, payload: PlaceIn):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    data = payload.dict()
    source_id, receiving_id = data.pop("source"), data.pop("receiving_organisation")
    source = selectors.get_place_for_user(user=request.user, pk=source_id) if source_id else None
    receiving = None if source else _organisation(receiving_id)
    place = services.place_create(
        actor=request.user, call=call, receiving_organisation=receiving, source=source, **data
    )
    return Status(201, place)


@router.get("/places/{int:place_id}", response=PlaceOut, openapi_extra=READ_DOC)
def get_place(request: HttpRequest, place_id: int, response: HttpResponse):
    place = selectors.get_place_for_user(user=request.user, pk=place_id)
    set_etag(response, place)
    return place


@router.patch("/places/{int:place_id}", response=PlaceOut, openapi_extra=WRITE_DOC)
def update_place(
    request: HttpRequest, place_id: int, payload: PlacePatch, response: HttpResponse, if_match: IfMatch = None
):
    place = selectors.get_place_for_user(user=request.user, pk=place_id)
    place = services.place_update(
        actor=request.user,
        place=place,
        expected_version=expected_version(if_match, place),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, place)
    return place


@router.delete(
    "/places/{int:place_id}",
    response={204: None},
    openapi_extra={"responses": {"412": WRITE_DOC["responses"]["412"]}},
)
def delete_place(request: HttpRequest, place_id: int, if_match: IfMatch = None):
    place = selectors.get_place_for_user(user=request.user, pk=place_id)
    services.place_delete(actor=request.user, place=place, expected_version=expected_version(if_match, place))
    return Status(204, None)


# --- Applications ----------------------------------------------------------------------------------


def application_out(application: Application) -> dict:
    return {
        **{
            field: getattr(application, field)
            for field in ApplicationOut.model_fields
            if hasattr(application, field)
        },
        "student": application.student.get_full_name() or application.student.username,
        "choices": [choice.place_id for choice in application.choices.order_by("rank")],
        "documents": sorted({document.title for document in application.documents.all()}),
    }


class ApplicationFilters(Schema):
    q: str | None = None
    status: str | None = None
    place: int | None = None
    reviewed: str | None = None
    priority: str | None = None
    ordering: str | None = None


def _application_list(request: HttpRequest, call_id: int, filters: ApplicationFilters):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    queryset, _form = selectors.application_list(
        user=request.user, call=call, filters=filters.dict(exclude_none=True)
    )
    return call, queryset.prefetch_related("documents")


@router.get(
    "/calls/{int:call_id}/applications",
    response=list[ApplicationOut],
    summary="Applications of a call you may see (yours; all for the owner's coordinators and reviewers)",
    openapi_extra=LIST_DOC,
)
@conditional_list
def list_applications(request: HttpRequest, call_id: int, filters: Query[ApplicationFilters]):
    _call, queryset = _application_list(request, call_id, filters)
    return [application_out(application) for application in queryset]


@router.get(
    "/calls/{int:call_id}/applications/export.{fmt}", summary="Export the filtered list (csv or xlsx)"
)
def export_applications(
    request: HttpRequest, call_id: int, fmt: Literal["csv", "xlsx"], filters: Query[ApplicationFilters]
):
    call = selectors.get_call_for_user(user=request.user, pk=call_id, action=ExchangeAction.MANAGE)
    _call, queryset = _application_list(request, call.pk, filters)
    return applications_export(queryset, fmt, f"applications-{call.pk}")


@router.post("/calls/{int:call_id}/applications", response={201: ApplicationOut}, summary="Apply to a call")
def create_application(request: HttpRequest, call_id: int, payload: ApplicationIn):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    data = payload.dict()
    choices = data.pop("choices")
    application = services.application_create(actor=request.user, call=call, choices=choices, **data)
    return Status(201, application_out(application))


@router.post("/calls/{int:call_id}/applications/bulk", response=BulkOut, summary="Exclude or reinstate many")
def bulk_applications(request: HttpRequest, call_id: int, payload: BulkIn):
    call = selectors.get_call_for_user(user=request.user, pk=call_id)
    changed = services.applications_bulk(actor=request.user, call=call, **payload.dict())
    return {"changed": changed}


@router.get("/my/applications", response=list[ApplicationOut], summary="Your own applications")
def my_applications(request: HttpRequest):
    return [
        application_out(a) for a in selectors.my_applications(user=request.user).prefetch_related("documents")
    ]


@router.get("/applications/{int:application_id}", response=ApplicationOut, openapi_extra=READ_DOC)
def get_application(request: HttpRequest, application_id: int, response: HttpResponse):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    set_etag(response, application)
    return application_out(application)


@router.patch(
    "/applications/{int:application_id}",
    response=ApplicationOut,
    summary="Edit until the deadline",
    openapi_extra=WRITE_DOC,
)
def update_application(
    request: HttpRequest,
    application_id: int,
    payload: ApplicationPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    application = services.application_update(
        actor=request.user,
        application=application,
        expected_version=expected_version(if_match, application),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, application)
    return application_out(application)


@router.post("/applications/{int:application_id}/submit", response=ApplicationOut)
def submit_application(request: HttpRequest, application_id: int):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    return application_out(services.application_submit(actor=request.user, application=application))


@router.post("/applications/{int:application_id}/withdraw", response=ApplicationOut)
def withdraw_application(request: HttpRequest, application_id: int, payload: WithdrawIn):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    return application_out(
        services.application_withdraw(actor=request.user, application=application, reason=payload.reason)
    )


@router.post(
    "/applications/{int:application_id}/documents",
    response={201: ApplicationOut},
    summary="Upload a required document; uploading a title again replaces its file",
    description=(
        "To replace a document safely, send its ETag as `If-Match`: a file uploaded or removed meanwhile "
        "answers 412 and nothing is replaced. `Location` names the document."
    ),
    openapi_extra=WRITE_DOC,
)
def upload_document(
    request: HttpRequest,
    application_id: int,
    title: Form[str],
    file: File[UploadedFile],
    response: HttpResponse,
    if_match: IfMatch = None,
):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    current = application.documents.filter(title=title).first()
    if current is None and if_match is not None:
        raise PreconditionFailed(
            _("There is no %(title)s to replace: send it without If-Match to add it.") % {"title": title},
            field="If-Match",
        )
    document = services.document_upload(
        actor=request.user,
        application=application,
        title=title,
        uploaded_file=file,
        expected_version=expected_version(if_match, current) if current is not None else None,
    )
    set_etag(response, document)
    response["Location"] = f"{request.path.rstrip('/')}/{document.pk}"
    return Status(201, application_out(application))


def _document(request: HttpRequest, application_id: int, document_id: int) -> ApplicationDocument:
    return selectors.application_document_for(
        user=request.user, application_pk=application_id, pk=document_id
    )


@router.get(
    "/applications/{int:application_id}/documents/{int:document_id}",
    response=DocumentOut,
    summary="An uploaded document's details (its file: the page's download link)",
    openapi_extra=READ_DOC,
)
def get_document(request: HttpRequest, application_id: int, document_id: int, response: HttpResponse):
    document = _document(request, application_id, document_id)
    set_etag(response, document)
    return document


@router.delete(
    "/applications/{int:application_id}/documents/{int:document_id}",
    response={204: None},
    summary="Remove an uploaded document while the call takes applications",
    openapi_extra=WRITE_DOC,
)
def remove_document(request: HttpRequest, application_id: int, document_id: int, if_match: IfMatch = None):
    document = _document(request, application_id, document_id)
    services.document_remove(
        actor=request.user, document=document, expected_version=expected_version(if_match, document)
    )
    return Status(204, None)


@router.get("/applications/{int:application_id}/result", response=MyResultOut, summary="The published result")
def application_result(request: HttpRequest, application_id: int):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    result = selectors.published_result(application=application)
    if result is None:
        raise NotFound(_("No result has been published for this application yet."))
    return {
        "application_id": application.pk,
        "place_id": result.place_id,
        "place": result.place.name if result.place else None,
        "choice_rank": result.choice_rank,
        "explanation": result.explanation,
    }


# --- Reviews ---------------------------------------------------------------------------------------


def _own_review(request: HttpRequest, application: Application) -> Review | None:
    return Review.objects.filter(application=application, reviewer=request.user).first()


@router.get(
    "/applications/{int:application_id}/review",
    response=ReviewOut,
    summary="Your review of an application",
    openapi_extra=READ_DOC,
)
def get_review(request: HttpRequest, application_id: int, response: HttpResponse):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    review = _own_review(request, application)
    if review is None:
        raise NotFound(_("You have not reviewed this application yet."))
    set_etag(response, review)
    return review


@router.put(
    "/applications/{int:application_id}/review",
    response=ReviewOut,
    summary="Score (or re-score)",
    description="To change your review safely, send its ETag as `If-Match` (412 when it changed since).",
    openapi_extra=WRITE_DOC,
)
def save_review(
    request: HttpRequest,
    application_id: int,
    payload: ReviewIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    application = selectors.get_application_for_user(user=request.user, pk=application_id)
    current = _own_review(request, application)
    if current is None and if_match is not None:
        raise PreconditionFailed(
            _(
                "You have not reviewed this application yet, so there is no version to match: send "
                "your review without If-Match."
            ),
            field="If-Match",
        )
    review = services.review_save(
        actor=request.user,
        application=application,
        score=payload.score,
        comment=payload.comment,
        expected_version=expected_version(if_match, current) if current is not None else None,
    )
    set_etag(response, review)
    return review


@router.get("/applications/{int:application_id}/reviews", response=list[ReviewOut], openapi_extra=LIST_DOC)
@conditional_list
def list_reviews(request: HttpRequest, application_id: int):
    application = selectors.get_application_for_user(
        user=request.user, pk=application_id, action=ExchangeAction.REVIEW
    )
    return list(application.reviews.all())


# --- Allocation ------------------------------------------------------------------------------------


def run_out(run: AllocationRun) -> dict:
    places = {place.engine_id: str(place.pk) for place in run.call.places.all()}
    students = {
        a.application.engine_id: a.application_id for a in run.assignments.select_related("application")
    }
    return {
        "id": run.pk,
        "call_id": run.call_id,
        "number": run.number,
        "kind": run.kind,
        "created_at": run.created_at,
        "published_at": run.published_at,
        "cutoffs": {places[key]: value for key, value in run.result["cutoffs"].items()},
        "waitlists": {
            places[key]: [str(students.get(applicant, applicant[1:])) for applicant in value]
            for key, value in run.result["waitlists"].items()
        },
        "stats": run.result["stats"],
        "blocking_pairs": run.blocking_pairs,
        "assignments": [
            {
                "application_id": a.application_id,
                "student": a.application.student.get_full_name() or a.application.student.username,
                "place_id": a.place_id,
                "choice_rank": a.choice_rank,
                "score": a.score,
                "explanation": a.explanation,
                "override_reason": a.override_reason,
            }
            for a in selectors.run_assignments(run=run)
        ],
    }


@router.post(
    "/calls/{int:call_id}/runs",
    response={201: RunOut, 202: JobOut},
    summary="Run the allocation of a closed call (background: true for a job with progress)",
)
def run_allocation(request: HttpRequest, call_id: int, payload: RunIn):
    call = selectors.get_call_for_user(user=request.user, pk=call_id, action=ExchangeAction.MANAGE)
    if payload.background:
        job = allocation_enqueue(actor=request.user, call=call)
        return Status(202, {"job": str(job.pk), "status": job.status})
    return Status(201, run_out(services.allocation_run(actor=request.user, call=call)))


@router.post("/calls/{int:call_id}/reallocate", response={201: RunOut}, summary="Re-allocate after changes")
def reallocate(request: HttpRequest, call_id: int):
    call = selectors.get_call_for_user(user=request.user, pk=call_id, action=ExchangeAction.MANAGE)
    return Status(201, run_out(services.reallocation_run(actor=request.user, call=call)))


@router.get("/calls/{int:call_id}/runs", response=list[RunOut])
def list_runs(request: HttpRequest, call_id: int):
    call = selectors.get_call_for_user(user=request.user, pk=call_id, action=ExchangeAction.MANAGE)
    return [run_out(run) for run in call.runs.all()]


@router.get(
    "/runs/{int:run_id}", response=RunOut, summary="A run: assignments, cut-offs, waitlists, explanations"
)
def get_run(request: HttpRequest, run_id: int):
    return run_out(selectors.get_run_for_user(user=request.user, pk=run_id))


@router.post("/runs/{int:run_id}/overrides", response=RunOut, summary="Override one assignment with a reason")
def override(request: HttpRequest, run_id: int, payload: OverrideIn):
    run = selectors.get_run_for_user(user=request.user, pk=run_id)
    application = get_object_or_404(Application, pk=payload.application, call=run.call)
    place = run.call.places.filter(pk=payload.place).first() if payload.place else None
    if payload.place and place is None:
        raise ValidationFailed({"place": [_("Choose a place of this call.")]})
    services.assignment_override(
        actor=request.user, run=run, application=application, place=place, reason=payload.reason
    )
    run.refresh_from_db()
    return run_out(run)


@router.post("/runs/{int:run_id}/publish", response=RunOut, summary="Publish: tell applicants, nominate")
def publish(request: HttpRequest, run_id: int):
    run = selectors.get_run_for_user(user=request.user, pk=run_id)
    return run_out(services.run_publish(actor=request.user, run=run))


# --- Nominations -----------------------------------------------------------------------------------


def nomination_out(nomination: Nomination, mobility_id: int | None = None) -> dict:
    student = nomination.application.student
    return {
        "id": nomination.pk,
        "application_id": nomination.application_id,
        "student": student.get_full_name() or student.username,
        "sending_organisation": nomination.application.call.owner.name,
        "place_id": nomination.place_id,
        "place": nomination.place.name,
        "status": nomination.status,
        "reason": nomination.reason,
        "created_at": nomination.created_at,
        "decided_at": nomination.decided_at,
        "mobility_id": mobility_id,
    }


@router.get(
    "/nominations", response=list[NominationOut], summary="Nominations to (or from) your organisation"
)
def list_nominations(request: HttpRequest, status: str | None = None):
    rows = selectors.nomination_rows(user=request.user, status=status)
    return [nomination_out(row.nomination, row.mobility.pk if row.mobility else None) for row in rows]


@router.post("/nominations/{int:nomination_id}/accept", response=NominationOut)
def accept_nomination(request: HttpRequest, nomination_id: int):
    nomination = selectors.get_nomination_for_user(user=request.user, pk=nomination_id)
    services.nomination_accept(actor=request.user, nomination=nomination)
    mobility = selectors.mobility_of(nomination=nomination)
    return nomination_out(
        selectors.get_nomination_for_user(user=request.user, pk=nomination_id),
        mobility.pk if mobility else None,
    )


@router.post("/nominations/{int:nomination_id}/reject", response=NominationOut)
def reject_nomination(request: HttpRequest, nomination_id: int, payload: RejectIn):
    nomination = selectors.get_nomination_for_user(user=request.user, pk=nomination_id)
    services.nomination_reject(actor=request.user, nomination=nomination, reason=payload.reason)
    return nomination_out(selectors.get_nomination_for_user(user=request.user, pk=nomination_id))
