import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from accord.mobilities.choices import MobilityStatus, MobilityType, SignerRole

COMPONENTS_HELP = (
    'Components as in accord/algorithms/mobility/learning_agreement.py: [{"ref", "section" (studied, '
    'recognised, virtual, blended, doctoral, activity), "title", "code", "credits", "term" ("1/2"), '
    '"hours"}]. Errors come back under paths such as "components[2].credits".'
)


class MobilityIn(Schema):
    participant_id: int
    mobility_type: MobilityType
    sending_organisation_id: int
    receiving_organisation_id: int
    sending_unit_id: int | None = None
    receiving_unit_id: int | None = None
    agreement_id: int | None = None
    condition_key: str = ""
    academic_year: str = Field(examples=["2026/2027"])
    planned_start: dt.date
    planned_end: dt.date
    eqf_level: int | None = None
    isced_code: str = ""
    language: str = ""
    cefr_level: str = ""


class MobilityOut(Schema):
    id: int
    version: int
    participant_id: int
    participant_name: str
    mobility_type: MobilityType
    status: MobilityStatus
    sending_organisation_id: int
    receiving_organisation_id: int
    agreement_id: int | None
    condition_key: str
    academic_year: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    duration_days: int
    duration_months: Decimal
    eqf_level: int | None
    isced_code: str
    language: str
    cefr_level: str
    planned_credits: Decimal
    source: str
    source_id: int | None

    @staticmethod
    def resolve_participant_name(mobility) -> str:
        return str(mobility.participant)


class TransitionIn(Schema):
    status: MobilityStatus
    reason: str = ""


class MobilityPlanIn(Schema):
    """The planned fields to change; those left out (or null, but for the EQF level) keep their value."""

    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    eqf_level: int | None = None
    isced_code: str | None = None
    language: str | None = None
    cefr_level: str | None = None


class DatesIn(Schema):
    actual_start: dt.date
    actual_end: dt.date | None = None


class ParticipantDetailsIn(Schema):
    birth_date: dt.date
    nationality: str = Field(description="ISO 3166-1 alpha-2 country code.")
    gender: int = Field(description="ISO/IEC 5218: 0 not known, 1 male, 2 female, 9 not applicable.")
    global_id: str = Field(description="European Student Identifier (urn:schac:personalUniqueCode:…).")


class ParticipantDetailsOut(ParticipantDetailsIn):
    updated_at: dt.datetime
    version: int


class ProposeIn(Schema):
    components: list[dict[str, Any]] = Field(description=COMPONENTS_HELP)
    reasons: list[dict[str, Any]] = Field(
        default_factory=list,
        description='Reasons for changes after approval: [{"ref", "reason_code", "reason_text"}].',
    )
    summary: str = ""
    base_version: int | None = Field(None, description="The version you started from; 0 for none.")


class SignIn(Schema):
    components_hash: str = Field(description="The components_hash of the version you read.")
    role: SignerRole | None = None
    position: str = ""


class CommentIn(Schema):
    text: str


class DelegationIn(Schema):
    role: SignerRole
    delegate_id: int


class SignatureOut(Schema):
    role: SignerRole
    signer_name: str
    signer_position: str
    signer_email: str
    signed_at: dt.datetime
    delegated: bool
    components_hash: str


class VersionOut(Schema):
    number: int
    status: str
    components: list[dict[str, Any]]
    components_hash: str
    changes: list[dict[str, Any]]
    summary: str
    created_at: dt.datetime
    signatures: list[SignatureOut]
    totals: dict[str, Decimal]


class RuleResultOut(Schema):
    kind: str
    value: Decimal
    blocking: bool
    met: bool
    detail: str


class LearningAgreementOut(Schema):
    kind: str | None
    current_version: int | None
    approved_version: int | None
    first_approved_version: int | None
    awaiting: list[str]
    you_may_sign_as: list[str]
    credit_rules: list[RuleResultOut]
    versions: list[VersionOut]


class DiffLineOut(Schema):
    kind: str
    ref: str
    label: str
    section: str
    fields: list[tuple[str, str, str]]


class EntryIn(Schema):
    code: str = ""
    title: str
    credits: Decimal | str
    grade: str
    term: str = ""


class TranscriptIn(Schema):
    scale_id: int
    issued_on: dt.date
    entries: list[EntryIn]


class ConversionOut(Schema):
    host_grade: str
    home_grade: str
    method: str
    policy: str
    explanation: str
    tables_used: str = Field(description="Which reference group the tables describe, in words.")
    reason: str


class EntryOut(Schema):
    id: int
    component_ref: str
    code: str
    title: str
    credits: Decimal
    grade: str
    term: str
    passed: bool
    conversion: ConversionOut | None = None

    @staticmethod
    def resolve_conversion(entry):
        return getattr(entry, "conversion", None)


class TranscriptOut(Schema):
    scale: str
    issued_on: dt.date
    entries: list[EntryOut]


class ConversionIn(Schema):
    policy: str | None = Field(
        None, description="lowest, middle, highest or largest_overlap; default: yours."
    )
    home_grade: str | None = Field(None, description="Convert by hand (no table): the home grade…")
    reason: str = Field("", description="…and why no table is used.")


class RecognitionItemIn(Schema):
    title: str
    credits: Decimal | str
    code: str = ""
    home_grade: str = ""
    entry_id: int | None = None
    component_ref: str = ""


class RecognitionIn(Schema):
    items: list[RecognitionItemIn]
    complete: bool = False


class RateOut(Schema):
    key: int | None
    label: str
    mobilities: int
    planned_credits: Decimal
    recognised_credits: Decimal
    rate: Decimal | None


class WorkItemOut(Schema):
    mobility_id: int
    participant_name: str
    detail: str
