"""The input and output shapes of the virtual exchange API."""

from datetime import date, datetime, time
from decimal import Decimal

from ninja import Schema


class LanguageIn(Schema):
    language: str
    cefr: str


class SlotIn(Schema):
    weekday: int
    start: str
    end: str


class HolidayIn(Schema):
    start: date
    end: date


class ClassIn(Schema):
    organisation_id: int
    title: str = ""
    subject: str = ""
    isced_code: str = ""
    eqf_level: int | None = None
    languages: list[LanguageIn] = []
    term_start: date | None = None
    term_end: date | None = None
    time_zone: str = ""
    slots: list[SlotIn] = []
    holidays: list[HolidayIn] = []
    students: int | None = None
    weeks_wished: int = 6
    mode: str = "synchronous"
    themes: list[str] = []
    visibility: str = "partners"
    network_ids: list[int] = []


class ClassPatch(Schema):
    title: str | None = None
    subject: str | None = None
    isced_code: str | None = None
    eqf_level: int | None = None
    languages: list[LanguageIn] | None = None
    term_start: date | None = None
    term_end: date | None = None
    time_zone: str | None = None
    slots: list[SlotIn] | None = None
    holidays: list[HolidayIn] | None = None
    students: int | None = None
    weeks_wished: int | None = None
    mode: str | None = None
    themes: list[str] | None = None
    visibility: str | None = None
    network_ids: list[int] | None = None


class ClassOut(Schema):
    id: int
    organisation_id: int
    teacher_id: int
    title: str
    subject: str
    isced_code: str
    eqf_level: int
    languages: list[dict]
    term_start: date
    term_end: date
    time_zone: str
    slots: list[dict]
    holidays: list[dict]
    students: int
    weeks_wished: int
    mode: str
    themes: list[str]
    visibility: str
    status: str
    version: int


class AssessmentOut(Schema):
    feasible: bool
    refusals: list[str]
    languages: list[str]
    common_weeks: int
    slot_minutes: float
    working_minutes: float
    window: str
    subject: float
    score: float


class SuggestionOut(Schema):
    class_id: int
    title: str
    organisation: str
    time_zone: str
    assessment: AssessmentOut
    reasons: list[str]


class SuggestionsOut(Schema):
    partners: list[SuggestionOut]
    alone_reason: str
    alone: str


class InvitationIn(Schema):
    to_class_id: int
    message: str = ""


class DecisionIn(Schema):
    accept: bool
    reason: str = ""


class ProposalOut(Schema):
    id: int
    call_id: int | None
    first_id: int
    second_id: int
    score: Decimal
    reasons: dict
    status: str
    invited_from_id: int | None
    message: str
    reason: str
    exchange_id: int | None
    version: int

    @staticmethod
    def resolve_exchange_id(obj) -> int | None:
        exchange = getattr(obj, "exchange", None) if obj.status == "accepted" else None
        return exchange.pk if exchange is not None else None


class SessionIn(Schema):
    title: str
    weekday: int
    start: time
    minutes: int
    time_zone: str = ""


class SessionOut(Schema):
    id: int
    title: str
    weekday: int
    start: time
    minutes: int
    time_zone: str
    version: int


class TaskIn(Schema):
    week: int
    title: str
    description: str = ""


class TaskOut(Schema):
    id: int
    week: int
    title: str
    description: str
    version: int


class MessageIn(Schema):
    body: str


class MessageOut(Schema):
    id: int
    author_id: int
    body: str
    attachment: str
    created_at: datetime

    @staticmethod
    def resolve_attachment(obj) -> str:
        return obj.attachment.name or ""


class StudentsIn(Schema):
    class_id: int
    person_ids: list[int]


class ExchangePatch(Schema):
    title: str | None = None
    start: date | None = None
    weeks: int | None = None
    hours: Decimal | None = None
    ects: Decimal | None = None
    certificate: str | None = None


class ExchangeOut(Schema):
    id: int
    proposal_id: int
    first_id: int
    second_id: int
    title: str
    start: date
    weeks: int
    hours: Decimal
    ects: Decimal | None
    certificate: str
    status: str
    schedule_sequence: int
    sessions: list[SessionOut]
    tasks: list[TaskOut]
    version: int

    @staticmethod
    def resolve_sessions(obj) -> list:
        return list(obj.sessions.all())

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(obj.tasks.all())


class CallIn(Schema):
    organiser_id: int
    title: str
    description: str = ""
    two_sided: bool = False


class CallOut(Schema):
    id: int
    organiser_id: int
    title: str
    description: str
    two_sided: bool
    status: str
    matched_at: datetime | None
    matched_optimal: bool
    version: int


class EntryIn(Schema):
    class_id: int
    side: int = 0


class EntryOut(Schema):
    id: int
    profile_id: int
    side: int
    alone_reason: str


class ConstraintIn(Schema):
    first_id: int
    second_id: int
    kind: str | None


class IntervalOut(Schema):
    start: datetime
    end: datetime
    minutes: int


class CommonHoursOut(Schema):
    date: date
    zones: list[str]
    day: str
    intervals: list[IntervalOut]
