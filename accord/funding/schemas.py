"""The input and output shapes of the funding API. Amounts are decimal strings, never floats."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class BudgetOut(Schema):
    id: int
    name: str
    funder: str
    programme: str | None
    year: int
    currency: str
    amount: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    starts_on: date | None
    ends_on: date | None
    version: int


class BudgetPatch(Schema):
    name: str | None = None
    amount: Decimal | None = None
    reference: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class RuleSetVersionOut(Schema):
    id: int
    number: int
    status: str
    note: str
    data: dict[str, Any]
    version: int


class RuleSetOut(Schema):
    id: int
    key: str
    call_year: int
    programme: str
    versions: list[RuleSetVersionOut]


class RuleSetVersionIn(Schema):
    data: dict[str, Any]
    note: str = ""


class LineOut(Schema):
    label: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    component: str = ""
    cash: bool = True


class ShareOut(Schema):
    budget_id: int
    funder: str
    amount: Decimal
    explanation: str


class PaymentOut(Schema):
    id: int
    label: str
    amount: Decimal
    paid_on: date
    reference: str


class RecalculationOut(Schema):
    at: datetime
    reason: str
    old_total: Decimal
    new_total: Decimal
    difference: Decimal
    paid: Decimal
    balance: Decimal


class GrantOut(Schema):
    id: int
    mobility_id: int
    rule_set: str
    rule_set_version: int
    budget_id: int
    status: str
    activity: str
    start: date
    end: date
    currency: str
    total: Decimal
    paid: Decimal
    distance_km: int | None
    distance_override_km: int | None
    distance_override_reason: str
    fewer_opportunities: bool
    green_travel: bool
    travel_days: int
    lines: list[LineOut]
    version: int


class GrantDetailOut(GrantOut):
    shares: list[ShareOut]
    payments: list[PaymentOut]
    recalculations: list[RecalculationOut]
    schedule: list[dict[str, Any]]


class CoFundingIn(Schema):
    budget: int
    kind: str
    value: Decimal | None = None
    components: list[str] = []


class GrantIn(Schema):
    mobility_id: int
    rule_set_id: int
    budget_id: int
    activity: str = ""
    fewer_opportunities: bool = False
    green_travel: bool = False
    travel_days: int = 0
    distance_override_km: int | None = None
    distance_override_reason: str = ""
    co_funding: list[CoFundingIn] = []


class GrantPatch(Schema):
    fewer_opportunities: bool | None = None
    green_travel: bool | None = None
    travel_days: int | None = None
    distance_override_km: int | None = None
    distance_override_reason: str | None = None
    activity: str | None = None


class PaymentIn(Schema):
    label: str
    amount: Decimal
    paid_on: date
    reference: str = ""
    currency: str | None = None


class CalculateIn(Schema):
    rules: str
    mobilities: list[dict[str, Any]]


class ReportRowOut(Schema):
    key: str
    currency: str
    committed: Decimal
    paid: Decimal
    to_pay: Decimal
