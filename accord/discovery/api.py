"""The discovery API: equivalence suggestions and partner recommendations (reads only), approving an
equivalence. 404 for an organisation or course the user may not see, 422 for bad input."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from accord.algorithms.discovery.partners import DEFAULT_WEIGHTS
from accord.courses import selectors as catalogue
from accord.discovery import selectors, services
from accord.discovery.recommendations import focus_text, recommend_partners
from accord.organisations import selectors as directory

router = Router(tags=["discovery"])


class EquivalentsIn(Schema):
    home_organisation_id: int
    title: str
    description: str = ""
    ects: Decimal | None = None
    isced: str = ""
    eqf: int | None = None
    language: str = ""
    host_organisation_id: int | None = None
    host_code: str = ""
    host_course_id: int | None = None
    limit: int = 5


class SuggestionOut(Schema):
    course_id: int
    code: str
    title: str
    score: float
    reasons: list[str]


class EquivalentsOut(Schema):
    suggestions: list[SuggestionOut]
    semantic: bool
    notes: list[str]


class RecommendationsIn(Schema):
    organisation_id: int
    unit_id: int | None = None
    objective_id: int | None = None
    focus: str = ""
    weights: dict[str, float] = {}
    limit: int = 20


class RecommendationOut(Schema):
    organisation_id: int
    name: str
    score: float
    factors: dict[str, float]
    existing_partner: bool


class RecommendationsOut(Schema):
    recommendations: list[RecommendationOut]
    missing: list[str]
    weights: dict[str, float]


class ApprovalIn(Schema):
    home_course_id: int
    host_title: str
    host_code: str = ""
    host_organisation_id: int | None = None


@router.post("/equivalents", response=EquivalentsOut, summary="Home courses a host course may count as")
def equivalents(request: HttpRequest, payload: EquivalentsIn):
    directory.get_organisation_for_user(user=request.user, pk=payload.home_organisation_id)
    answer = selectors.suggest_equivalents(
        user=request.user, **payload.dict(exclude={"limit"}), limit=max(1, min(payload.limit, 50))
    )
    return {
        "suggestions": [
            {
                "course_id": s.course.pk,
                "code": s.course.code,
                "title": s.course.title,
                "score": s.score,
                "reasons": s.reasons,
            }
            for s in answer.suggestions
        ],
        "semantic": answer.semantic,
        "notes": answer.notes,
    }


@router.post("/partners", response=RecommendationsOut, summary="Partner recommendations with their factors")
def partners(request: HttpRequest, payload: RecommendationsIn):
    organisation = directory.get_organisation_for_user(user=request.user, pk=payload.organisation_id)
    weights = {name: value for name, value in payload.weights.items() if name in DEFAULT_WEIGHTS}
    answer = recommend_partners(
        user=request.user,
        organisation=organisation,
        weights=weights,
        extra_text="\n".join(
            [
                focus_text(
                    user=request.user,
                    organisation=organisation,
                    unit_id=payload.unit_id,
                    objective_id=payload.objective_id,
                ),
                payload.focus,
            ]
        ).strip(),
        limit=max(1, min(payload.limit, 100)),
    )
    return {
        "recommendations": [
            {
                "organisation_id": item.organisation.pk,
                "name": item.organisation.name,
                "score": item.score,
                "factors": dict(item.factors),
                "existing_partner": item.existing_partner,
            }
            for item in answer.recommendations
        ],
        "missing": answer.missing,
        "weights": dict(answer.weights),
    }


@router.post("/equivalences", response={201: dict}, summary="Remember an approved equivalence")
def approve(request: HttpRequest, payload: ApprovalIn):
    course = catalogue.get_course_for_user(user=request.user, pk=payload.home_course_id)
    host = (
        directory.get_organisation_for_user(user=request.user, pk=payload.host_organisation_id)
        if payload.host_organisation_id
        else None
    )
    equivalence = services.equivalence_approve(
        actor=request.user,
        home_course=course,
        host_title=payload.host_title,
        host_code=payload.host_code,
        host_organisation=host,
    )
    return 201, {"id": equivalence.pk}
