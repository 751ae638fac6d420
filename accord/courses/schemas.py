"""The input and output shapes of the course catalogue API."""

from decimal import Decimal

from ninja import Schema


class CourseIn(Schema):
    organisation_id: int
    unit_id: int | None = None
    code: str
    title: str
    description: str
    translations: dict[str, dict[str, str]] = {}
    ects: Decimal
    isced_code: str = ""
    eqf_level: int | None = None
    language: str
    term: str = ""
    mode: str = "on_site"
    learning_outcomes: str = ""
    open_to_partners: bool = True


class CoursePatch(Schema):
    unit_id: int | None = None
    code: str | None = None
    title: str | None = None
    description: str | None = None
    translations: dict[str, dict[str, str]] | None = None
    ects: Decimal | None = None
    isced_code: str | None = None
    eqf_level: int | None = None
    language: str | None = None
    term: str | None = None
    mode: str | None = None
    learning_outcomes: str | None = None
    open_to_partners: bool | None = None


class CourseOut(Schema):
    id: int
    organisation_id: int
    unit_id: int | None
    code: str
    title: str
    description: str
    translations: dict
    ects: Decimal
    isced_code: str
    eqf_level: int | None
    language: str
    term: str
    mode: str
    learning_outcomes: str
    open_to_partners: bool
    version: int


class CourseImportOut(Schema):
    rows: int
    created: int
    updated: int
