"""Input and output schemas of the surveys API."""

from datetime import date

from ninja import Schema


class TemplateOut(Schema):
    id: int
    organisation_id: int | None
    name: str
    audience: str
    phase: str
    items: list[str]
    bank_version: int
    is_active: bool
    version: int


class TemplatePatch(Schema):
    name: str | None = None
    items: list[str] | None = None
    is_active: bool | None = None


class SurveyOut(Schema):
    id: int
    template_id: int
    organisation_id: int
    partnership_id: int | None
    period: str
    closes_on: date | None
    reminder_every_days: int
    max_reminders: int
    version: int


class SchedulePatch(Schema):
    closes_on: date | None = None
    reminder_every_days: int | None = None
    max_reminders: int | None = None


class ChangeOut(Schema):
    n: int
    mean_pre: float
    mean_post: float
    mean_change: float
    ci_low: float
    ci_high: float
    confidence: float
    effect_size: float | None


class DimensionOut(Schema):
    dimension: str
    label: str
    pairs: int
    needed: int
    change: ChangeOut | None


class CohortOut(Schema):
    pre_respondents: int
    post_respondents: int
    pairs: int
    needed: int
    dimensions: list[DimensionOut]


class ItemOut(Schema):
    code: str
    text: str
    answered: int
    counts: list[int]
    mean: float | None


class OpenOut(Schema):
    code: str
    text: str
    answers: list[str]


class ResultsOut(Schema):
    survey_id: int
    invited: int
    respondents: int
    needed: int
    items: list[ItemOut]
    open_answers: list[OpenOut]
    cohort: CohortOut
