"""The mobilities API: thin over services and selectors. 404 for a mobility the user may not see,
403 for what they may see but not do, 409 for a superseded version, a hash that does not match or a
wrong status, 422 for bad input with errors under the path of each field."""

import dataclasses

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from accord.agreements.models import Agreement
from accord.core.api_versions import (
    LIST_DOC,
    READ_DOC,
    WRITE_DOC,
    IfMatch,
    conditional_list,
    expected_version,
    set_etag,
)
from accord.core.errors import NotFound, ValidationFailed
from accord.mobilities import selectors, services
from accord.mobilities.api.staff import router as staff_router
from accord.mobilities.filters import MobilityFilter
from accord.mobilities.models import GradingScale, Mobility, ParticipantDetails, TranscriptEntry
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.schemas import (
    CommentIn,
    ConversionIn,
    ConversionOut,
    DatesIn,
    DelegationIn,
    DiffLineOut,
    LearningAgreementOut,
    MobilityIn,
    MobilityOut,
    MobilityPlanIn,
    ParticipantDetailsIn,
    ParticipantDetailsOut,
    ProposeIn,
    RateOut,
    RecognitionIn,
    SignIn,
    TranscriptIn,
    TranscriptOut,
    TransitionIn,
    WorkItemOut,
)
from accord.mobilities.services.planning import PLANNED_FIELDS
from accord.organisations.models import Organisation, OrganisationalUnit

router = Router(tags=["mobilities"])
router.add_router("", staff_router)


class MobilityFilters(Schema):
    direction: str = ""
    status: str = ""
    academic_year: str = ""
    mobility_type: str = ""
    partner: int | None = None
    q: str = ""


def _mobility(request: HttpRequest, mobility_id: int, action: str = MobilityAction.VIEW) -> Mobility:
    return selectors.get_mobility_for_user(user=request.user, pk=mobility_id, action=action)


def _found(model, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: _("No such record.")})
    return found


@router.get(
    "/",
    response=list[MobilityOut],
    summary="Mobilities you may see (outgoing, incoming, your own)",
    openapi_extra=LIST_DOC,
)
@conditional_list
@paginate(PageNumberPagination, page_size=50)
def list_mobilities(request: HttpRequest, filters: Query[MobilityFilters]):
    return selectors.mobility_list(user=request.user, filters=MobilityFilter(**filters.dict()))


@router.post("/", response={201: MobilityOut}, summary="Record a mobility (sending institution)")
def create_mobility(request: HttpRequest, payload: MobilityIn):
    agreement = None
    if payload.agreement_id is not None:
        agreement = Agreement.objects.for_user(request.user).filter(pk=payload.agreement_id).first()
        if agreement is None:
            raise ValidationFailed({"agreement_id": _("No such agreement.")})
    mobility = services.mobility_create(
        actor=request.user,
        participant=_found(get_user_model(), payload.participant_id, "participant_id"),
        mobility_type=payload.mobility_type,
        sending_organisation=_found(Organisation, payload.sending_organisation_id, "sending_organisation_id"),
        receiving_organisation=_found(
            Organisation, payload.receiving_organisation_id, "receiving_organisation_id"
        ),
        sending_unit=_found(OrganisationalUnit, payload.sending_unit_id, "sending_unit_id"),
        receiving_unit=_found(OrganisationalUnit, payload.receiving_unit_id, "receiving_unit_id"),
        agreement=agreement,
        condition_key=payload.condition_key,
        academic_year=payload.academic_year,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        eqf_level=payload.eqf_level,
        isced_code=payload.isced_code,
        language=payload.language,
        cefr_level=payload.cefr_level,
    )
    return Status(201, mobility)


@router.get("/work-queue", response=dict[str, list[WorkItemOut]], summary="What waits on you")
def work_queue(request: HttpRequest):
    signatures = [
        {
            "mobility_id": m.pk,
            "participant_name": str(m.participant),
            "detail": f"version {v.number}: {', '.join(roles)}",
        }
        for m, v, roles in selectors.awaiting_my_signature(user=request.user)
    ]
    overdue = [
        {
            "mobility_id": item.mobility.pk,
            "participant_name": str(item.mobility.participant),
            "detail": f"due {item.due.isoformat()}",
        }
        for item in selectors.transcripts_overdue(user=request.user, today=timezone.localdate())
    ]
    return {"awaiting_signature": signatures, "transcripts_overdue": overdue}


@router.get(
    "/recognition-rates",
    response=list[RateOut],
    summary="Recognition rates by mobility, partner or agreement",
)
def rates(request: HttpRequest, by: str = "partner"):
    if by not in selectors.GROUPINGS:
        raise ValidationFailed({"by": _("One of %(items)s.") % {"items": ", ".join(selectors.GROUPINGS)}})
    return [
        {
            "key": row.key,
            "label": row.label,
            "mobilities": row.figures.mobilities,
            "planned_credits": row.figures.planned,
            "recognised_credits": row.figures.recognised,
            "rate": row.figures.rate,
        }
        for row in selectors.recognition_rates(user=request.user, by=by)
    ]


@router.get("/{int:mobility_id}", response=MobilityOut, summary="A mobility", openapi_extra=READ_DOC)
def get_mobility(request: HttpRequest, mobility_id: int, response: HttpResponse):
    mobility = _mobility(request, mobility_id)
    set_etag(response, mobility)
    return mobility


@router.patch(
    "/{int:mobility_id}",
    response=MobilityOut,
    summary="Change the planned dates, EQF level, ISCED-F field or language (sending institution)",
    openapi_extra=WRITE_DOC,
)
def update_mobility(
    request: HttpRequest,
    mobility_id: int,
    payload: MobilityPlanIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    mobility = _mobility(request, mobility_id)
    values = {name: getattr(mobility, name) for name in PLANNED_FIELDS}
    # A field sent as null keeps its value, except the EQF level, which may be cleared.
    given = payload.dict(exclude_unset=True)
    values.update({name: value for name, value in given.items() if value is not None or name == "eqf_level"})
    services.mobility_update(
        actor=request.user, mobility=mobility, expected_version=expected_version(if_match, mobility), **values
    )
    set_etag(response, mobility)
    return mobility


@router.post("/{int:mobility_id}/status", response=MobilityOut, summary="Accept (receiver) or cancel")
def change_status(request: HttpRequest, mobility_id: int, payload: TransitionIn):
    mobility = _mobility(request, mobility_id)
    return services.mobility_transition(
        actor=request.user, mobility=mobility, to_status=payload.status, reason=payload.reason
    )


@router.post(
    "/{int:mobility_id}/dates",
    response=MobilityOut,
    summary="Record arrival and departure (receiver)",
    openapi_extra=WRITE_DOC,
)
def record_dates(
    request: HttpRequest, mobility_id: int, payload: DatesIn, response: HttpResponse, if_match: IfMatch = None
):
    mobility = _mobility(request, mobility_id)
    mobility = services.mobility_record_dates(
        actor=request.user,
        mobility=mobility,
        actual_start=payload.actual_start,
        actual_end=payload.actual_end,
        expected_version=expected_version(if_match, mobility),
    )
    set_etag(response, mobility)
    return mobility


@router.get(
    "/{int:mobility_id}/participant-details",
    response=ParticipantDetailsOut,
    summary="What EWP must know of the student (sending institution)",
    openapi_extra=READ_DOC,
)
def get_participant_details(request: HttpRequest, mobility_id: int, response: HttpResponse):
    mobility = _mobility(request, mobility_id, MobilityAction.MANAGE)
    details = ParticipantDetails.objects.filter(user=mobility.participant).first()
    if details is None:
        raise NotFound(_("No student details are recorded yet."))
    set_etag(response, details)
    return details


@router.put(
    "/{int:mobility_id}/participant-details",
    response=ParticipantDetailsOut,
    summary="Record the student's birth date, nationality, gender and European Student Identifier",
    openapi_extra=WRITE_DOC,
)
def put_participant_details(
    request: HttpRequest,
    mobility_id: int,
    payload: ParticipantDetailsIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    mobility = _mobility(request, mobility_id, MobilityAction.MANAGE)
    recorded = ParticipantDetails.objects.filter(user=mobility.participant).first()
    details = services.participant_details_save(
        actor=request.user,
        participant=mobility.participant,
        expected_version=expected_version(if_match, recorded) if recorded else None,
        **payload.dict(),
    )
    set_etag(response, details)
    return details


def _agreement_out(request: HttpRequest, mobility: Mobility) -> dict:
    overview = selectors.agreement_overview(user=request.user, mobility=mobility)
    agreement = overview.agreement

    def number(version_id):
        return next((v.version.number for v in overview.versions if v.version.pk == version_id), None)

    return {
        "kind": agreement.kind if agreement else None,
        "current_version": number(agreement.current_version_id) if agreement else None,
        "approved_version": number(agreement.approved_version_id) if agreement else None,
        "first_approved_version": number(agreement.first_approved_version_id) if agreement else None,
        "awaiting": overview.awaiting,
        "you_may_sign_as": overview.can_sign,
        "credit_rules": [
            {
                "kind": r.rule.kind.value,
                "value": r.rule.value,
                "blocking": r.rule.blocking,
                "met": r.met,
                "detail": r.detail,
            }
            for r in overview.checks
        ],
        "versions": [
            {
                "number": v.version.number,
                "status": v.version.status,
                "components": v.version.components,
                "components_hash": v.version.components_hash,
                "changes": v.version.changes,
                "summary": v.version.summary,
                "created_at": v.version.created_at,
                "signatures": [
                    {
                        "role": s.role,
                        "signer_name": s.signer_name,
                        "signer_position": s.signer_position,
                        "signer_email": s.signer_email,
                        "signed_at": s.signed_at,
                        "delegated": s.delegation_id is not None,
                        "components_hash": s.components_hash,
                    }
                    for s in v.signatures.values()
                ],
                "totals": {section.value: total for section, total in v.totals.items()},
            }
            for v in overview.versions
        ],
    }


@router.get(
    "/{int:mobility_id}/learning-agreement",
    response=LearningAgreementOut,
    summary="The agreement, its versions and signatures",
)
def get_learning_agreement(request: HttpRequest, mobility_id: int):
    return _agreement_out(request, _mobility(request, mobility_id))


@router.post(
    "/{int:mobility_id}/learning-agreement/versions",
    response={201: LearningAgreementOut},
    summary="Propose a version",
)
def propose(request: HttpRequest, mobility_id: int, payload: ProposeIn):
    mobility = _mobility(request, mobility_id)
    services.la_propose(
        actor=request.user,
        mobility=mobility,
        components=payload.components,
        reasons=payload.reasons,
        summary=payload.summary,
        base_version=payload.base_version,
    )
    return Status(201, _agreement_out(request, mobility))


@router.post(
    "/{int:mobility_id}/learning-agreement/versions/{int:number}/signatures",
    response={201: LearningAgreementOut},
    summary="Sign a version",
)
def sign(request: HttpRequest, mobility_id: int, number: int, payload: SignIn):
    mobility = _mobility(request, mobility_id)
    services.la_sign(
        actor=request.user,
        mobility=mobility,
        version_number=number,
        components_hash=payload.components_hash,
        role=payload.role,
        position=payload.position,
    )
    return Status(201, _agreement_out(request, mobility))


@router.post(
    "/{int:mobility_id}/learning-agreement/versions/{int:number}/comments",
    response={201: LearningAgreementOut},
    summary="Return a version with a comment",
)
def comment(request: HttpRequest, mobility_id: int, number: int, payload: CommentIn):
    mobility = _mobility(request, mobility_id)
    services.la_comment(actor=request.user, mobility=mobility, version_number=number, text=payload.text)
    return Status(201, _agreement_out(request, mobility))


@router.get(
    "/{int:mobility_id}/learning-agreement/diff",
    response=list[DiffLineOut],
    summary="What changed between two versions",
)
def diff(request: HttpRequest, mobility_id: int, old: int, new: int):
    mobility = _mobility(request, mobility_id)
    agreement = getattr(mobility, "learning_agreement", None)
    if agreement is None:
        raise NotFound(_("No learning agreement yet."))
    return [
        dataclasses.asdict(line) for line in selectors.version_diff(agreement=agreement, old=old, new=new)
    ]


@router.post(
    "/{int:mobility_id}/learning-agreement/delegations",
    response={201: dict},
    summary="Delegate signing for one side",
)
def delegate(request: HttpRequest, mobility_id: int, payload: DelegationIn):
    mobility = _mobility(request, mobility_id)
    delegate_user = _found(get_user_model(), payload.delegate_id, "delegate_id")
    delegation = services.delegation_grant(
        actor=request.user, mobility=mobility, role=payload.role, delegate=delegate_user
    )
    return Status(201, {"id": delegation.pk, "role": delegation.role, "delegate_id": delegation.delegate_id})


def _transcript_out(mobility: Mobility) -> dict:
    transcript = mobility.transcript
    return {
        "scale": transcript.scale.name,
        "issued_on": transcript.issued_on,
        "entries": list(transcript.entries.select_related("conversion")),
    }


@router.get(
    "/{int:mobility_id}/transcript",
    response=TranscriptOut,
    summary="The transcript of records (its ETag is its mobility's)",
    openapi_extra=READ_DOC,
)
def get_transcript(request: HttpRequest, mobility_id: int, response: HttpResponse):
    mobility = _mobility(request, mobility_id)
    if not hasattr(mobility, "transcript"):
        raise NotFound(_("No transcript yet."))
    set_etag(response, mobility)
    return _transcript_out(mobility)


@router.put(
    "/{int:mobility_id}/transcript",
    response=TranscriptOut,
    summary="Record the transcript (receiver)",
    openapi_extra=WRITE_DOC,
)
def put_transcript(
    request: HttpRequest,
    mobility_id: int,
    payload: TranscriptIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    mobility = _mobility(request, mobility_id)
    scale = _found(GradingScale, payload.scale_id, "scale_id")
    services.transcript_record(
        actor=request.user,
        mobility=mobility,
        scale=scale,
        issued_on=payload.issued_on,
        entries=[entry.dict() for entry in payload.entries],
        expected_version=expected_version(if_match, mobility),
    )
    mobility.refresh_from_db()
    set_etag(response, mobility)
    return _transcript_out(mobility)


@router.post(
    "/{int:mobility_id}/transcript/entries/{int:entry_id}/conversion",
    response=ConversionOut,
    summary="Convert a grade (sending institution)",
)
def convert(request: HttpRequest, mobility_id: int, entry_id: int, payload: ConversionIn):
    mobility = _mobility(request, mobility_id)
    entry = TranscriptEntry.objects.filter(pk=entry_id, transcript__mobility=mobility).first()
    if entry is None:
        raise NotFound(_("No such transcript entry."))
    if payload.home_grade is not None:
        return services.grade_convert_manual(
            actor=request.user, entry=entry, home_grade=payload.home_grade, reason=payload.reason
        )
    return services.grade_convert(actor=request.user, entry=entry, policy=payload.policy)


@router.put(
    "/{int:mobility_id}/recognition",
    response=MobilityOut,
    summary="Record recognition (sending institution)",
    openapi_extra=WRITE_DOC,
)
def recognise(
    request: HttpRequest,
    mobility_id: int,
    payload: RecognitionIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    mobility = _mobility(request, mobility_id)
    mobility = services.recognition_record(
        actor=request.user,
        mobility=mobility,
        items=[item.dict() for item in payload.items],
        complete=payload.complete,
        expected_version=expected_version(if_match, mobility),
    )
    set_etag(response, mobility)
    return mobility
