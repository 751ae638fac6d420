"""The input and output shapes of the BIP API."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class BipIn(Schema):
    title: str
    coordinator_id: int
    host_id: int | None = None
    partner_ids: list[int] = []
    description: str = ""
    isced_code: str = ""
    language: str = ""
    ects: Decimal
    capacity: int


class BipPatch(Schema):
    title: str | None = None
    description: str | None = None
    host_id: int | None = None
    isced_code: str | None = None
    language: str | None = None
    ects: Decimal | None = None
    capacity: int | None = None


class BipOut(Schema):
    id: int
    title: str
    description: str
    status: str
    coordinator_id: int
    host_id: int
    isced_code: str
    language: str
    ects: Decimal
    capacity: int
    version: int


class TransitionIn(Schema):
    to_status: str
    reason: str = ""


class PartnerIn(Schema):
    organisation_id: int
    quota: int | None = None


class PartnerPatch(Schema):
    quota: int | None = None


class PartnerOut(Schema):
    id: int
    organisation_id: int
    quota: int | None
    version: int


class ComponentIn(Schema):
    kind: str
    start: date
    end: date
    timing: str = ""
    title: str = ""


class ComponentOut(Schema):
    id: int
    kind: str
    timing: str
    title: str
    start: date
    end: date
    version: int


class NominationIn(Schema):
    organisation_id: int
    person_id: int
    kind: str
    eqf_level: int | None = None


class WithdrawalIn(Schema):
    reason: str


class DecisionIn(Schema):
    accept: bool
    reason: str = ""


class ParticipantOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    kind: str
    status: str
    reason: str
    mobility_id: int | None
    decided_at: datetime | None
    version: int

    @staticmethod
    def resolve_organisation_id(obj) -> int:
        return obj.partner.organisation_id


class MarkIn(Schema):
    participant_id: int
    component_id: int
    attended: bool
    version: int | None = None


class AttendanceOut(Schema):
    participant_id: int
    component_id: int
    attended: bool
    version: int


class FundingLineOut(Schema):
    code: str
    count: int
    amount: Decimal | None


class FundingOut(Schema):
    accepted: int
    not_mobile: int
    mobile: int
    funded: int
    organisational_support: Decimal
    currency: str
    lines: list[FundingLineOut]
