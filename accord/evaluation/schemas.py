"""The input and output shapes of the evaluation API."""

from decimal import Decimal

from ninja import Schema


class DefinitionOut(Schema):
    key: str
    name: str
    counted: str
    counts_when: str
    source: str
    domain: str
    unit: str
    sdg_targets: list[str]
    available: bool
    bindable: bool
    unavailable_reason: str


class RowOut(Schema):
    key: str
    label: str
    value: Decimal | None


class FigureOut(Schema):
    key: str
    name: str
    value: Decimal | None
    unit: str
    message: str
    by_year: dict[int, Decimal | None]
    breakdown: list[RowOut]


class WarningOut(Schema):
    code: str
    severity: str
    text: str


class HealthOut(Schema):
    partnership_id: int
    title: str
    score: int
    activity: int
    suggestion: str
    warnings: list[WarningOut]


class BindingIn(Schema):
    definition: str = ""
    first_year: int
    last_year: int


class BindingOut(Schema):
    indicator_id: int
    definition: str
    first_year: int
    last_year: int
    version: int


class EvidenceIn(Schema):
    link: str = ""
    description: str = ""


class EvidenceOut(Schema):
    actual_id: int
    link: str
    description: str
    file: str
    version: int


class ReportIn(Schema):
    kind: str
    id: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    format: str = "pdf"


class ReportOut(Schema):
    id: str
    status: str
    progress: int
    message: str
    download_url: str
