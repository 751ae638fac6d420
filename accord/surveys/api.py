"""The surveys API: templates and schedules (ETag, If-Match, 412), and results as aggregates of at
least five respondents. 404 for what the user may not see, 403 for what they may see but not change."""

import dataclasses

from django.http import HttpRequest, HttpResponse
from ninja import Router

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.surveys import selectors, services
from accord.surveys.choices import Audience
from accord.surveys.schemas import CohortOut, ResultsOut, SchedulePatch, SurveyOut, TemplateOut, TemplatePatch
from accord.surveys.selectors.results import CohortResult, cohort_results, round_results

router = Router(tags=["surveys"])


@router.get("/templates", response=list[TemplateOut], summary="Survey templates you can use")
def list_templates(request: HttpRequest):
    return selectors.template_list(user=request.user)


@router.get(
    "/templates/{int:template_id}", response=TemplateOut, summary="A template", openapi_extra=READ_DOC
)
def get_template(request: HttpRequest, template_id: int, response: HttpResponse):
    template = selectors.get_template_for_user(user=request.user, pk=template_id)
    set_etag(response, template)
    return template


@router.patch(
    "/templates/{int:template_id}",
    response=TemplateOut,
    summary="Rename, (de)activate or change questions",
    openapi_extra=WRITE_DOC,
)
def update_template(
    request: HttpRequest,
    template_id: int,
    payload: TemplatePatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    template = selectors.get_template_for_user(user=request.user, pk=template_id)
    services.template_update(
        actor=request.user,
        template=template,
        expected_version=expected_version(if_match, template),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, template)
    return template


@router.get("/", response=list[SurveyOut], summary="The survey rounds you coordinate")
def list_surveys(request: HttpRequest, period: str = ""):
    return list(selectors.survey_list(user=request.user, period=period))


@router.get(
    "/{int:survey_id}", response=SurveyOut, summary="A survey round and its schedule", openapi_extra=READ_DOC
)
def get_survey(request: HttpRequest, survey_id: int, response: HttpResponse):
    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    set_etag(response, survey)
    return survey


@router.patch("/{int:survey_id}", response=SurveyOut, summary="Change the schedule", openapi_extra=WRITE_DOC)
def update_survey(
    request: HttpRequest,
    survey_id: int,
    payload: SchedulePatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    services.survey_update(
        actor=request.user,
        survey=survey,
        expected_version=expected_version(if_match, survey),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, survey)
    return survey


def _cohort(result: CohortResult) -> dict:
    return {
        "pre_respondents": result.pre_respondents,
        "post_respondents": result.post_respondents,
        "pairs": result.pairs,
        "needed": result.needed,
        "dimensions": [
            {
                "dimension": d.dimension,
                "label": str(d.label),
                "pairs": d.pairs,
                "needed": d.needed,
                "change": dataclasses.asdict(d.change) if d.change else None,
            }
            for d in result.dimensions
        ],
    }


@router.get(
    "/{int:survey_id}/results", response=ResultsOut, summary="Aggregate results (5 respondents or more)"
)
def get_results(request: HttpRequest, survey_id: int):
    result = round_results(selectors.get_survey_for_user(user=request.user, pk=survey_id))
    return {
        "survey_id": survey_id,
        "invited": result.invited,
        "respondents": result.respondents,
        "needed": result.needed,
        "items": [
            {
                "code": i.code,
                "text": str(i.text),
                "answered": i.answered,
                "counts": list(i.counts),
                "mean": i.mean,
            }
            for i in result.items
        ],
        "open_answers": [
            {"code": o.code, "text": str(o.text), "answers": o.answers} for o in result.open_answers
        ],
        "cohort": _cohort(result.cohort),
    }


@router.get("/cohort", response=CohortOut, summary="Pre/post change of your institutions' participants")
def get_cohort(
    request: HttpRequest,
    partnership_id: int | None = None,
    period: str = "",
    audience: Audience = Audience.STUDENT,
):
    organisation_ids = (
        None if is_platform_staff(request.user) else organisation_ids_with_roles(request.user, MANAGING_ROLES)
    )
    result = cohort_results(
        organisation_ids=organisation_ids,
        partnership_id=partnership_id,
        period=period or None,
        audience=audience,
    )
    return _cohort(result)
