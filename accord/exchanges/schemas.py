from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class CallIn(Schema):
    owner: int
    title: str
    description: str = ""
    academic_year: str
    term: str = "full_year"
    mobility_type: str = "student_studies"
    opens_at: datetime
    closes_at: datetime
    max_choices: int = 3
    required_documents: list[str] = []
    weight_grade: float = 1.0
    weight_language: float = 1.0
    weight_motivation: float = 1.0
    priority_bonus: float = 0.0
    review_scale_max: int = 10
    eqf_levels: list[int] = []
    isced_codes: list[str] = []
    min_cefr: str = ""
    min_grade: float | None = None
    min_year_of_study: int | None = None
    tie_break_seed: int = 0


class CallPatch(Schema):
    title: str | None = None
    description: str | None = None
    academic_year: str | None = None
    term: str | None = None
    mobility_type: str | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    max_choices: int | None = None
    required_documents: list[str] | None = None
    weight_grade: float | None = None
    weight_language: float | None = None
    weight_motivation: float | None = None
    priority_bonus: float | None = None
    review_scale_max: int | None = None
    eqf_levels: list[int] | None = None
    isced_codes: list[str] | None = None
    min_cefr: str | None = None
    min_grade: float | None = None
    min_year_of_study: int | None = None
    tie_break_seed: int | None = None


class CallOut(Schema):
    id: int
    version: int = Field(description="Counts the writes; the ETag header carries it.")
    owner_id: int
    title: str
    description: str
    academic_year: str
    term: str
    mobility_type: str
    opens_at: datetime
    closes_at: datetime
    max_choices: int
    required_documents: list[str]
    weight_grade: float
    weight_language: float
    weight_motivation: float
    priority_bonus: float
    review_scale_max: int
    eqf_levels: list[int]
    isced_codes: list[str]
    min_cefr: str
    min_grade: float | None
    min_year_of_study: int | None
    tie_break_seed: int
    status: str


class PlaceIn(Schema):
    name: str
    capacity: int
    receiving_organisation: int | None = None
    source: int | None = None
    reserved: int = 0
    language: str = ""
    min_cefr: str = ""


class PlacePatch(Schema):
    name: str | None = None
    capacity: int | None = None
    reserved: int | None = None
    language: str | None = None
    min_cefr: str | None = None


class PlaceOut(Schema):
    id: int
    version: int = Field(description="Counts the writes; the ETag header carries it.")
    call_id: int
    name: str
    receiving_organisation_id: int
    agreement_id: int | None
    condition_key: str
    capacity: int
    reserved: int
    shared_cap: int | None
    language: str
    min_cefr: str
    isced_codes: list[str]
    eqf_levels: list[int]


class ApplicationIn(Schema):
    grade_average: Decimal
    grading_scale: str
    eqf_level: int
    isced_code: str
    year_of_study: int
    languages: dict[str, str] = {}
    priority: bool = False
    motivation: str = ""
    choices: list[int]


class ApplicationPatch(Schema):
    grade_average: Decimal | None = None
    grading_scale: str | None = None
    eqf_level: int | None = None
    isced_code: str | None = None
    year_of_study: int | None = None
    languages: dict[str, str] | None = None
    priority: bool | None = None
    motivation: str | None = None
    choices: list[int] | None = None


class ApplicationOut(Schema):
    id: int
    version: int = Field(description="Counts the writes; the ETag header carries it.")
    call_id: int
    student_id: int
    student: str
    status: str
    status_reason: str
    grade_average: Decimal
    grading_scale: str
    eqf_level: int
    isced_code: str
    year_of_study: int
    languages: dict[str, str]
    priority: bool
    motivation: str
    choices: list[int]
    submitted_at: datetime | None
    documents: list[str]


class WithdrawIn(Schema):
    reason: str = ""


class BulkIn(Schema):
    application_ids: list[int]
    action: Literal["exclude", "reinstate"]
    reason: str = ""


class BulkOut(Schema):
    changed: int


class ReviewIn(Schema):
    score: Decimal
    comment: str = ""


class ReviewOut(Schema):
    id: int
    application_id: int
    reviewer_id: int
    score: Decimal
    comment: str
    updated_at: datetime
    version: int = Field(description="Counts the writes; the ETag header carries it.")


class DocumentOut(Schema):
    id: int
    application_id: int
    title: str
    size: int
    uploaded_at: datetime
    version: int = Field(description="Counts the files uploaded under this title; the ETag carries it.")


class RunIn(Schema):
    background: bool = False


class AssignmentOut(Schema):
    application_id: int
    student: str
    place_id: int | None
    choice_rank: int | None
    score: float | None
    explanation: str
    override_reason: str


class RunOut(Schema):
    id: int
    call_id: int
    number: int
    kind: str
    created_at: datetime
    published_at: datetime | None
    cutoffs: dict[str, float | None]
    waitlists: dict[str, list[str]]
    stats: dict[str, float]
    blocking_pairs: list[dict]
    assignments: list[AssignmentOut]


class JobOut(Schema):
    job: str
    status: str


class OverrideIn(Schema):
    application: int
    place: int | None = None
    reason: str


class NominationOut(Schema):
    id: int
    application_id: int
    student: str
    sending_organisation: str
    place_id: int
    place: str
    status: str
    reason: str
    created_at: datetime
    decided_at: datetime | None
    mobility_id: int | None = Field(
        None, description="The mobility its acceptance started, seen by both institutions."
    )


class RejectIn(Schema):
    reason: str


class MyResultOut(Schema):
    application_id: int
    place_id: int | None
    place: str | None
    choice_rank: int | None
    explanation: str
