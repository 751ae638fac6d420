"""The evaluation API: the library, figures over a scope, health, bindings and evidence (ETag and
If-Match), and reports as jobs. Thin over selectors and services; 404 for what the user may not see."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.core.errors import NotFound
from accord.core.models import Job
from accord.core.selectors import get_job_for_user
from accord.evaluation import selectors, services
from accord.evaluation.library import ScopeKind, definitions
from accord.evaluation.models import ActualEvidence, IndicatorBinding
from accord.evaluation.schemas import (
    BindingIn,
    BindingOut,
    DefinitionOut,
    EvidenceIn,
    EvidenceOut,
    FigureOut,
    HealthOut,
    ReportIn,
    ReportOut,
    RowOut,
)
from accord.evaluation.tasks import REPORT_JOB, report_enqueue
from accord.evaluation.wording import SUGGESTION_LABELS, warning_text
from accord.partnerships import selectors as partnerships
from accord.partnerships.models import Indicator, IndicatorActual
from accord.partnerships.querysets import PartnershipAction

router = Router(tags=["evaluation"])


class Years(Schema):
    from_year: int | None = None
    to_year: int | None = None


@router.get("/indicators", response=list[DefinitionOut], summary="The indicator library, with definitions")
def list_definitions(request: HttpRequest):
    return [
        DefinitionOut(
            key=d.key,
            name=str(d.name),
            counted=str(d.counted),
            counts_when=str(d.counts_when),
            source=str(d.source),
            domain=d.domain,
            unit=str(d.unit),
            sdg_targets=list(d.sdg_targets),
            available=d.available,
            bindable=d.bindable,
            unavailable_reason="" if d.available else d.unavailable_reason(),
        )
        for d in definitions()
    ]


@router.get(
    "/{kind}/{int:scope_id}/figures",
    response=list[FigureOut],
    summary="Every indicator over an institution, partnership, programme or portfolio",
)
def figures(request: HttpRequest, kind: str, scope_id: int, years: Query[Years]):
    scope, _record = selectors.scope_for_user(user=request.user, kind=kind, pk=scope_id)
    period = selectors.period_from(years.from_year, years.to_year, timezone.localdate())
    return [
        FigureOut(
            key=shown.definition.key,
            name=str(shown.definition.name),
            value=shown.figure.value if shown.figure else None,
            unit=str(shown.definition.unit),
            message=shown.message,
            by_year=shown.figure.by_year if shown.figure else {},
            breakdown=[RowOut(key=r.key, label=r.label, value=r.value) for r in shown.figure.breakdown]
            if shown.figure
            else [],
        )
        for shown in selectors.library_figures(user=request.user, scope=scope, period=period)
    ]


@router.get(
    "/portfolio/{int:organisation_id}/health",
    response=list[HealthOut],
    summary="An institution's partnerships ranked by health, each warning explained",
)
def portfolio_health(request: HttpRequest, organisation_id: int):
    scope, _record = selectors.scope_for_user(user=request.user, kind=ScopeKind.PORTFOLIO, pk=organisation_id)
    ranked = selectors.health_of(
        partnerships=selectors.portfolio_partnerships(user=request.user, scope=scope),
        today=timezone.localdate(),
    )
    return [
        {
            "partnership_id": item.partnership.pk,
            "title": item.partnership.title,
            "score": item.assessment.score,
            "activity": item.assessment.activity,
            "suggestion": str(SUGGESTION_LABELS[item.assessment.suggestion]),
            "warnings": [
                {"code": w.code, "severity": w.severity, "text": warning_text(w)}
                for w in item.assessment.warnings
            ],
        }
        for item in ranked
    ]


def _indicator(request: HttpRequest, indicator_id: int, action=PartnershipAction.VIEW) -> Indicator:
    indicator = Indicator.objects.select_related("objective").filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound("No such indicator.")
    partnerships.get_partnership_for_user(
        user=request.user, pk=indicator.objective.partnership_id, action=action
    )
    return indicator


def _binding_out(binding: IndicatorBinding) -> BindingOut:
    return BindingOut(
        indicator_id=binding.indicator_id,
        definition=binding.definition,
        first_year=binding.first_year,
        last_year=binding.last_year,
        version=binding.version,
    )


def _binding_of(indicator: Indicator) -> IndicatorBinding:
    binding = IndicatorBinding.objects.filter(indicator=indicator).first()
    if binding is None:
        raise NotFound("This indicator has no binding: its figures are entered by hand.")
    return binding


@router.get(
    "/indicators/{int:indicator_id}/binding",
    response=BindingOut,
    summary="How an objective's indicator is measured",
    openapi_extra=READ_DOC,
)
def get_binding(request: HttpRequest, indicator_id: int, response: HttpResponse):
    binding = _binding_of(_indicator(request, indicator_id))
    set_etag(response, binding)
    return _binding_out(binding)


@router.put(
    "/indicators/{int:indicator_id}/binding",
    response=BindingOut,
    summary="Bind an indicator to the library (or to hand entry) over a target period",
    openapi_extra=WRITE_DOC,
)
def put_binding(
    request: HttpRequest,
    indicator_id: int,
    payload: BindingIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    indicator = _indicator(request, indicator_id)
    existing = IndicatorBinding.objects.filter(indicator=indicator).first()
    binding = services.indicator_binding_save(
        actor=request.user,
        indicator=indicator,
        expected_version=expected_version(if_match, existing) if existing else None,
        **payload.dict(),
    )
    set_etag(response, binding)
    return _binding_out(binding)


@router.delete(
    "/indicators/{int:indicator_id}/binding",
    response={204: None},
    summary="Back to hand entry",
    openapi_extra=WRITE_DOC,
)
def delete_binding(request: HttpRequest, indicator_id: int, if_match: IfMatch = None):
    binding = _binding_of(_indicator(request, indicator_id))
    services.indicator_binding_delete(
        actor=request.user, binding=binding, expected_version=expected_version(if_match, binding)
    )
    return Status(204, None)


def _actual(request: HttpRequest, actual_id: int) -> IndicatorActual:
    actual = IndicatorActual.objects.select_related("indicator__objective").filter(pk=actual_id).first()
    if actual is None:
        raise NotFound("No such figure.")
    partnerships.get_partnership_for_user(user=request.user, pk=actual.indicator.objective.partnership_id)
    return actual


def _evidence_out(evidence: ActualEvidence) -> EvidenceOut:
    return EvidenceOut(
        actual_id=evidence.actual_id,
        link=evidence.link,
        description=evidence.description,
        file=evidence.file.url if evidence.file else "",
        version=evidence.version,
    )


@router.get(
    "/actuals/{int:actual_id}/evidence",
    response=EvidenceOut,
    summary="The evidence of a figure entered by hand",
    openapi_extra=READ_DOC,
)
def get_evidence(request: HttpRequest, actual_id: int, response: HttpResponse):
    evidence = ActualEvidence.objects.filter(actual=_actual(request, actual_id)).first()
    if evidence is None:
        raise NotFound("This figure has no evidence yet.")
    set_etag(response, evidence)
    return _evidence_out(evidence)


@router.put(
    "/actuals/{int:actual_id}/evidence",
    response=EvidenceOut,
    summary="Give a figure entered by hand its evidence (a link; files through the page)",
    openapi_extra=WRITE_DOC,
)
def put_evidence(
    request: HttpRequest,
    actual_id: int,
    payload: EvidenceIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    actual = _actual(request, actual_id)
    existing = ActualEvidence.objects.filter(actual=actual).first()
    evidence = services.actual_evidence_save(
        actor=request.user,
        actual=actual,
        expected_version=expected_version(if_match, existing) if existing else None,
        **payload.dict(),
    )
    set_etag(response, evidence)
    return _evidence_out(evidence)


def _report_out(job: Job) -> ReportOut:
    done = job.status == Job.Status.SUCCEEDED
    return ReportOut(
        id=str(job.pk),
        status=job.status,
        progress=job.progress,
        message=job.message,
        download_url=reverse("evaluation:report-download", args=[job.pk]) if done else "",
    )


@router.post("/reports", response={202: ReportOut}, summary="Make a report in the background")
def create_report(request: HttpRequest, payload: ReportIn):
    job = report_enqueue(
        actor=request.user,
        kind=payload.kind,
        pk=payload.id,
        first_year=payload.from_year,
        last_year=payload.to_year,
        fmt=payload.format,
    )
    return Status(202, _report_out(job))


@router.get("/reports/{uuid:job_id}", response=ReportOut, summary="A report's progress, then its file")
def get_report(request: HttpRequest, job_id: str):
    job = get_job_for_user(user=request.user, job_id=job_id)
    if job.kind != REPORT_JOB:
        raise NotFound("No such report.")
    job.refresh_from_db()
    return _report_out(job)
