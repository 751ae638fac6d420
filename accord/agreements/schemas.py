import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from accord.agreements.choices import AgreementStatus, EventKind, PartnerCopySource

CONTENT_HELP = (
    "The agreement document: partners, cooperation conditions and terms, as described in "
    "accord/algorithms/agreements/content.py. Partners name Accord organisations by id "
    '("organisation_ref": "17"); errors come back under the path of the field at fault, '
    'such as "conditions[0].eqf_levels".'
)
CONTENT_EXAMPLE = {
    "partners": [{"organisation_ref": "1"}, {"organisation_ref": "2"}],
    "conditions": [
        {
            "key": "c1",
            "mobility_type": "student_studies",
            "sending_partner": 0,
            "receiving_partner": 1,
            "first_academic_year": "2026/2027",
            "last_academic_year": "2028/2029",
            "mobilities_per_year": 2,
            "total_months_per_year": "10",
            "subject_areas": [{"isced_code": "0613"}],
            "eqf_levels": [6, 7],
            "language_skills": [{"language": "en", "cefr_level": "B2"}],
        }
    ],
    "terms": {"agreement_type": "erasmus_iia", "tuition_waiver": True},
}


def content_field(**options) -> Any:
    return Field(description=CONTENT_HELP, examples=[CONTENT_EXAMPLE], **options)


class PartyOut(Schema):
    organisation_id: int
    organisation_name: str
    approved_version: int | None = Field(description="The version this party last approved, if any.")
    approved_at: dt.datetime | None
    approval_current: bool = Field(description="Whether that approval is of the version shown.")
    approval_outdated: bool


class VersionSummaryOut(Schema):
    number: int
    conditions_hash: str
    terms_hash: str
    summary: str
    created_at: dt.datetime
    created_by: str | None
    shared_at: dt.datetime | None

    @staticmethod
    def resolve_created_by(version) -> str | None:
        return str(version.created_by) if version.created_by else None


class VersionOut(VersionSummaryOut):
    content: dict[str, Any]


class AgreementPermissionsOut(Schema):
    edit: bool
    approve_for: list[int]


class AgreementFields(Schema):
    id: int
    title: str
    partnership_id: int
    owner_id: int
    status: AgreementStatus
    amendment_pending: bool
    current_version: int | None
    approved_version: int | None
    ends_on: dt.date | None
    party_ids: list[int]


class AgreementSummaryOut(AgreementFields):
    @staticmethod
    def resolve_current_version(agreement) -> int | None:
        return agreement.current_version.number if agreement.current_version else None

    @staticmethod
    def resolve_approved_version(agreement) -> int | None:
        return agreement.approved_version.number if agreement.approved_version else None

    @staticmethod
    def resolve_party_ids(agreement) -> list[int]:
        return [link.organisation_id for link in agreement.party_links.all()]


class AgreementOut(AgreementFields):
    first_shared_at: dt.datetime | None
    terminated_at: dt.datetime | None
    termination_reason: str
    contact_ids: list[int]
    parties: list[PartyOut]
    version: VersionOut | None = Field(
        description="The version you see: the current one for the owner, the latest shared one for partners."
    )
    permissions: AgreementPermissionsOut


class AgreementIn(Schema):
    partnership_id: int
    title: str = Field(max_length=255)
    owner_id: int | None = Field(
        None, description="The drafting party; by default the one member you manage."
    )
    contact_ids: list[int] = []
    summary: str = ""
    content: dict[str, Any] = content_field()


class AgreementPatch(Schema):
    title: str | None = Field(None, max_length=255)
    contact_ids: list[int] | None = None
    content: dict[str, Any] | None = content_field(default=None)
    base_version: int | None = Field(
        None, description="The version your edit starts from; a newer one makes the write fail with 409."
    )
    summary: str = ""


class ConditionIn(Schema):
    condition: dict[str, Any] = Field(
        description="One cooperation condition; it replaces the condition with the same key, or is added."
    )
    base_version: int | None = Field(None, description="The version you start from, unless sent as If-Match.")
    summary: str = ""


class ShareIn(Schema):
    version_number: int | None = Field(
        None, description="The version you share; or send its ETag as If-Match."
    )


class ApproveIn(Schema):
    version_number: int | None = Field(
        None, description="The version you approve; or send its ETag as If-Match."
    )
    conditions_hash: str = Field(description="The conditions hash of the version you read and approve.")
    organisation_id: int | None = Field(None, description="The party you approve for, if you manage several.")


class ApprovalOut(Schema):
    organisation_id: int
    version: int
    conditions_hash: str
    approved_at: dt.datetime

    @staticmethod
    def resolve_version(approval) -> int:
        return approval.version.number


class RenewIn(Schema):
    first_academic_year: str = Field(examples=["2029/2030"])
    last_academic_year: str = Field(examples=["2031/2032"])
    base_version: int | None = Field(None, description="The version you renew; or send its ETag as If-Match.")


class TerminateIn(Schema):
    reason: str


class ChangeOut(Schema):
    path: str
    kind: str
    old: Any
    new: Any
    label: str
    text: str


class EventOut(Schema):
    kind: EventKind
    at: dt.datetime
    actor: str | None
    organisation_id: int | None
    version: int | None
    message: str
    changes: list[dict[str, Any]]

    @staticmethod
    def resolve_actor(event) -> str | None:
        return str(event.actor) if event.actor else None

    @staticmethod
    def resolve_version(event) -> int | None:
        return event.version.number if event.version else None


class QuotaOut(Schema):
    condition_key: str
    condition_index: int
    mobility_type: str
    sending: str
    receiving: str
    academic_year: str
    agreed_mobilities: int
    agreed_months: Decimal | None
    agreed_days: Decimal | None
    used_mobilities: int
    used_months: Decimal
    used_days: Decimal
    over_quota: bool

    @staticmethod
    def resolve_used_mobilities(line) -> int:
        return line.used.mobilities

    @staticmethod
    def resolve_used_months(line) -> Decimal:
        return line.used.months

    @staticmethod
    def resolve_used_days(line) -> Decimal:
        return line.used.days


class PartnerCopyIn(Schema):
    organisation_id: int
    content: dict[str, Any] = content_field()
    remote_id: str = ""
    remote_hash: str = ""


class PartnerCopyOut(Schema):
    organisation_id: int
    source: PartnerCopySource
    remote_id: str
    remote_hash: str
    conditions_hash: str
    received_at: dt.datetime


class CopyComparisonOut(Schema):
    organisation_id: int
    our_version: int
    our_conditions_hash: str
    their_conditions_hash: str
    same_conditions: bool
    changes: list[ChangeOut]


class AttachmentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
