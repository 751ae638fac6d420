import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from accord.partnerships.choices import (
    ActionItemStatus,
    ActualSource,
    IndicatorDirection,
    MeetingMode,
    MemberRole,
    PartnershipModel,
    PartnershipStatus,
)

# --- partnerships --------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    country_code: str
    role: MemberRole

    @staticmethod
    def resolve_organisation_name(member) -> str:
        return member.organisation.name

    @staticmethod
    def resolve_country_code(member) -> str:
        return member.organisation.country_code


class ResponsibleContactOut(Schema):
    """A contact named responsible for the partnership is shared with everyone who may see it."""

    id: int
    organisation_id: int
    given_name: str
    family_name: str
    email: str
    phone: str
    position: str


class PartnershipSummaryOut(Schema):
    id: int
    title: str
    model: PartnershipModel
    status: PartnershipStatus
    start_date: dt.date | None
    end_date: dt.date | None
    members: list[MemberOut]


class PartnershipPermissionsOut(Schema):
    contribute: bool
    change: bool


class PartnershipOut(PartnershipSummaryOut):
    description: str
    responsible_contacts: list[ResponsibleContactOut]
    allowed_next_statuses: list[PartnershipStatus]
    permissions: PartnershipPermissionsOut
    created_at: dt.datetime
    updated_at: dt.datetime


class MemberIn(Schema):
    organisation_id: int
    role: MemberRole = MemberRole.PARTNER


class MemberPatch(Schema):
    role: MemberRole


class PartnershipIn(Schema):
    title: str = Field(..., min_length=1, max_length=255)
    model: PartnershipModel
    description: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    members: list[MemberIn] = Field(..., description="Exactly one member must be the coordinator.")
    responsible_contact_ids: list[int] = []


class PartnershipPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=255)
    model: PartnershipModel | None = None
    description: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    responsible_contact_ids: list[int] | None = None


class TransitionIn(Schema):
    to_status: str
    reason: str = ""


class TransitionOut(Schema):
    id: int
    from_status: str = Field(description="Empty for the creation of the partnership.")
    to_status: PartnershipStatus
    actor_id: int | None
    actor_name: str | None
    at: dt.datetime
    reason: str

    @staticmethod
    def resolve_actor_name(transition) -> str | None:
        return str(transition.actor) if transition.actor else None


# --- objectives ----------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    year: int
    target_value: float


class ActualOut(Schema):
    id: int
    year: int
    value: float
    source: ActualSource
    note: str
    recorded_by_id: int | None
    recorded_at: dt.datetime


class IndicatorOut(Schema):
    id: int
    objective_id: int
    name: str
    unit: str
    direction: IndicatorDirection
    baseline_value: float | None
    baseline_year: int | None
    targets: list[TargetOut]
    actuals: list[ActualOut]


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    owner_id: int | None
    order: int
    indicators: list[IndicatorOut]


class ObjectiveIn(Schema):
    title: str = Field(..., min_length=1, max_length=255)
    description: str = ""
    owner_id: int | None = None
    order: int | None = Field(None, ge=0)


class ObjectivePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = None
    owner_id: int | None = None
    order: int | None = Field(None, ge=0)


class IndicatorIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    unit: str = Field(..., min_length=1, max_length=32)
    direction: IndicatorDirection = IndicatorDirection.INCREASE
    baseline_value: Decimal | None = None
    baseline_year: int | None = None


class IndicatorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=255)
    unit: str | None = Field(None, min_length=1, max_length=32)
    direction: IndicatorDirection | None = None
    baseline_value: Decimal | None = None
    baseline_year: int | None = None


class TargetIn(Schema):
    year: int
    target_value: Decimal


class TargetPatch(Schema):
    year: int | None = None
    target_value: Decimal | None = None


class ActualIn(Schema):
    year: int
    value: Decimal
    note: str = ""


class ActualPatch(Schema):
    year: int | None = None
    value: Decimal | None = None
    note: str | None = None


class ProgressYearOut(Schema):
    year: int
    target: float | None
    actual: float | None
    progress: float | None = Field(
        description="Share of the way from baseline to target: 1 reached, above 1 exceeded, below 0 worse."
    )


class IndicatorProgressOut(Schema):
    objective_id: int
    objective: str
    indicator_id: int
    indicator: str
    unit: str
    direction: IndicatorDirection
    baseline_value: float | None
    baseline_year: int | None
    years: list[ProgressYearOut]


# --- collaboration log ---------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    date: dt.date
    mode: MeetingMode
    title: str
    location: str
    attendee_ids: list[int]
    external_attendees: str
    minutes: str
    recorded_by_id: int | None

    @staticmethod
    def resolve_attendee_ids(meeting) -> list[int]:
        return sorted(person.pk for person in meeting.attendees.all())


class MeetingIn(Schema):
    date: dt.date
    title: str = Field(..., min_length=1, max_length=255)
    mode: MeetingMode = MeetingMode.VIDEO
    location: str = ""
    attendee_ids: list[int] = []
    external_attendees: str = ""
    minutes: str = ""


class MeetingPatch(Schema):
    date: dt.date | None = None
    title: str | None = Field(None, min_length=1, max_length=255)
    mode: MeetingMode | None = None
    location: str | None = None
    attendee_ids: list[int] | None = None
    external_attendees: str | None = None
    minutes: str | None = None


class DecisionOut(Schema):
    id: int
    meeting_id: int | None
    text: str
    decided_on: dt.date
    recorded_by_id: int | None


class DecisionIn(Schema):
    text: str = Field(..., min_length=1)
    decided_on: dt.date | None = None
    meeting_id: int | None = None


class DecisionPatch(Schema):
    text: str | None = Field(None, min_length=1)
    decided_on: dt.date | None = None
    meeting_id: int | None = None


class ActionItemOut(Schema):
    id: int
    partnership_id: int
    meeting_id: int | None
    title: str
    owner_id: int | None
    due_date: dt.date | None
    status: ActionItemStatus
    completed_at: dt.datetime | None
    recorded_by_id: int | None


class ActionItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=255)
    owner_id: int
    due_date: dt.date | None = None
    meeting_id: int | None = None


class ActionItemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=255)
    owner_id: int | None = None
    due_date: dt.date | None = None
    status: ActionItemStatus | None = None
    meeting_id: int | None = None
