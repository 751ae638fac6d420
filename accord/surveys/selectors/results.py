"""Survey results as aggregates of at least ``MIN_GROUP`` respondents, and nothing finer.

Everything here reads responses by survey round and pseudonym; no query joins a response to a
person (there is no column to join on). A group below the minimum yields counts and the number of
answers still needed, never a distribution, a mean or a text.

``cohort_results`` is the entry point for other apps (evaluation's indicators and health warnings):
the pre/post change per dimension of one institution's participants, optionally narrowed to a
partnership and an academic year.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from accord.algorithms.surveys import (
    MIN_GROUP,
    PairedChange,
    distribution,
    paired_change,
    scale_score,
    shortfall,
)
from accord.surveys import bank
from accord.surveys.choices import Audience, Phase
from accord.surveys.models import PairLink, Response, Survey


@dataclass(frozen=True)
class ItemResult:
    code: str
    text: Promise
    dimension: str
    anchors: tuple[Promise, ...]
    counts: tuple[int, ...]
    answered: int
    mean: float | None

    @property
    def shares(self) -> list[tuple[Promise, int, int]]:
        """Each anchor with its count and its rounded percentage of the answers."""
        return [
            (anchor, count, round(100 * count / self.answered) if self.answered else 0)
            for anchor, count in zip(self.anchors, self.counts, strict=True)
        ]


@dataclass(frozen=True)
class OpenAnswers:
    code: str
    text: Promise
    answers: list[str]


@dataclass(frozen=True)
class DimensionChange:
    dimension: str
    label: Promise
    pairs: int
    change: PairedChange | None
    needed: int


@dataclass(frozen=True)
class CohortResult:
    """The pre/post change of a cohort: how many answered before, after, and both times (pairs)."""

    pre_respondents: int
    post_respondents: int
    pairs: int
    dimensions: list[DimensionChange] = field(default_factory=list)

    @property
    def needed(self) -> int:
        return shortfall(self.pairs)


@dataclass(frozen=True)
class RoundResult:
    survey: Survey
    invited: int
    respondents: int
    needed: int
    items: list[ItemResult]
    open_answers: list[OpenAnswers]
    cohort: CohortResult


def _cohort_surveys(
    *,
    organisation_ids: Iterable[int] | None,
    partnership_id: int | None,
    without_partnership: bool,
    period: str | None,
    audience: str,
):
    surveys = Survey.objects.filter(template__audience=audience)
    if organisation_ids is not None:
        surveys = surveys.filter(organisation_id__in=list(organisation_ids))
    if without_partnership:
        surveys = surveys.filter(partnership__isnull=True)
    elif partnership_id is not None:
        surveys = surveys.filter(partnership_id=partnership_id)
    if period:
        surveys = surveys.filter(period=period)
    return surveys


def cohort_results(
    *,
    organisation_ids: Iterable[int] | None = None,
    partnership_id: int | None = None,
    without_partnership: bool = False,
    period: str | None = None,
    audience: str = Audience.STUDENT,
) -> CohortResult:
    """The paired pre/post change per dimension of the cohort (three queries). Each filter given
    narrows it (``without_partnership``: only participants outside any partnership). Callers scope
    ``organisation_ids`` to what their reader may see; a dimension with fewer than ``MIN_GROUP``
    pairs has no change, only the number of pairs still needed."""
    surveys = {
        survey.pk: survey
        for survey in _cohort_surveys(
            organisation_ids=organisation_ids,
            partnership_id=partnership_id,
            without_partnership=without_partnership,
            period=period,
            audience=audience,
        ).select_related("template")
    }
    rows = list(
        Response.objects.filter(survey_id__in=list(surveys)).values_list("survey_id", "pseudonym", "scores")
    )
    phase_of = {pk: survey.template.phase for pk, survey in surveys.items()}
    scores = {pseudonym: (phase_of[survey_id], answers) for survey_id, pseudonym, answers in rows}
    links = PairLink.objects.filter(pseudonym__in=list(scores)).values_list("key", "phase", "pseudonym")
    by_key: dict[str, dict[str, str]] = {}
    for key, phase, pseudonym in links:
        by_key.setdefault(key, {})[phase] = pseudonym
    pairs = [(found[Phase.PRE], found[Phase.POST]) for found in by_key.values() if len(found) == 2]
    asked = {
        phase: set().union(*(s.template.items for s in surveys.values() if s.template.phase == phase))
        for phase in (Phase.PRE, Phase.POST)
    }
    dimensions = []
    for dimension in bank.PAIRED_DIMENSIONS:
        codes = [
            code
            for code, item in bank.ITEMS.items()
            if item.dimension == dimension and code in asked[Phase.PRE] and code in asked[Phase.POST]
        ]
        if not codes:
            continue
        before, after = [], []
        for pre, post in pairs:
            pre_score = scale_score(scores[pre][1], codes)
            post_score = scale_score(scores[post][1], codes)
            if pre_score is not None and post_score is not None:
                before.append(pre_score)
                after.append(post_score)
        enough = len(before) >= MIN_GROUP
        dimensions.append(
            DimensionChange(
                dimension=dimension,
                label=bank.DIMENSIONS[dimension],
                pairs=len(before),
                change=paired_change(before, after) if enough else None,
                needed=shortfall(len(before)),
            )
        )
    counts = [phase for phase, _answers in scores.values()]
    return CohortResult(
        pre_respondents=counts.count(Phase.PRE),
        post_respondents=counts.count(Phase.POST),
        pairs=len(pairs),
        dimensions=dimensions,
    )


def round_results(survey: Survey) -> RoundResult:
    """A round's page: per question the spread of answers, the open answers (in no order that could
    follow the order of answering), and its cohort's pre/post change."""
    responses = list(survey.responses.order_by("pseudonym").values_list("scores", "texts"))
    respondents = len(responses)
    enough = respondents >= MIN_GROUP
    items: list[ItemResult] = []
    open_answers: list[OpenAnswers] = []
    for item in bank.items_of(list(survey.template.items)) if enough else []:
        if item.scale is None:
            texts = [texts[item.code] for _scores, texts in responses if texts.get(item.code)]
            open_answers.append(OpenAnswers(item.code, item.text, texts))
            continue
        values = [scores[item.code] for scores, _texts in responses if item.code in scores]
        items.append(
            ItemResult(
                code=item.code,
                text=item.text,
                dimension=item.dimension,
                anchors=item.scale.anchors,
                counts=distribution(values, item.scale.points),
                answered=len(values),
                mean=sum(values) / len(values) if values else None,
            )
        )
    cohort = cohort_results(
        organisation_ids=[survey.organisation_id],
        partnership_id=survey.partnership_id,
        without_partnership=survey.partnership_id is None,
        period=survey.period,
        audience=survey.template.audience,
    )
    return RoundResult(
        survey=survey,
        invited=survey.invitations.count(),
        respondents=respondents,
        needed=shortfall(respondents),
        items=items,
        open_answers=open_answers,
        cohort=cohort,
    )
