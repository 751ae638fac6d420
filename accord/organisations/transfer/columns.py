"""The column sets of organisation and contact files, and the problems an import reports.

Exports write exactly these columns, in this order, so that an exported file imports again
unchanged. Pure Python, no Django (``accord.core.errors`` is plain Python too).
"""

from dataclasses import dataclass
from enum import StrEnum

from accord.core.errors import ValidationFailed


class Target(StrEnum):
    """What a file holds."""

    ORGANISATIONS = "organisations"
    CONTACTS = "contacts"


class Mode(StrEnum):
    """``create`` refuses rows that match an existing record; ``upsert`` updates the match instead."""

    CREATE = "create"
    UPSERT = "upsert"


ORGANISATION_COLUMNS: tuple[str, ...] = (
    "kind",
    "name",
    "abbreviation",
    "schac_code",
    "erasmus_code",
    "pic",
    "ror_id",
    "country_code",
    "city",
    "street_address",
    "postal_code",
    "website",
    "languages",
    "fields",
    "mission",
    "offers",
    "seeks",
)
ORGANISATION_REQUIRED: tuple[str, ...] = ("kind", "name", "country_code")

CONTACT_COLUMNS: tuple[str, ...] = (
    "organisation",
    "given_name",
    "family_name",
    "email",
    "phone",
    "role",
    "position",
    "unit_code",
    "visibility",
)
CONTACT_REQUIRED: tuple[str, ...] = ("organisation", "given_name", "family_name")

COLUMNS = {Target.ORGANISATIONS: ORGANISATION_COLUMNS, Target.CONTACTS: CONTACT_COLUMNS}
REQUIRED = {Target.ORGANISATIONS: ORGANISATION_REQUIRED, Target.CONTACTS: CONTACT_REQUIRED}

# What each column holds, for the import page and the command's help.
COLUMN_HELP: dict[str, str] = {
    "kind": "hei, school, ngo, agency, company or network (required)",
    "name": "the organisation's name (required)",
    "abbreviation": "a short name, e.g. UW",
    "schac_code": "the SCHAC code (EWP hei-id): the institution's domain, e.g. uw.edu.pl",
    "erasmus_code": "the Erasmus code, e.g. PL WARSZAW01",
    "pic": "the 9-digit Participant Identification Code",
    "ror_id": "the ROR id, e.g. 04m01e293 or https://ror.org/04m01e293",
    "country_code": "the ISO 3166-1 alpha-2 country code, e.g. PL (required)",
    "city": "a city name within the country (e.g. Kraków), or its GeoNames id",
    "street_address": "street and number",
    "postal_code": "postal code",
    "website": "the home page, https://…",
    "languages": "languages of instruction as ISO 639 codes separated by ; or | (e.g. pl;en)",
    "fields": "fields of strength as ISCED-F 2013 codes separated by ; or | (e.g. 0413;0610)",
    "mission": "the mission statement",
    "offers": "what the organisation offers partners",
    "seeks": "what it seeks in partners",
    "organisation": "the SCHAC code or Erasmus code of the contact's organisation (required)",
    "given_name": "given name (required)",
    "family_name": "family name (required)",
    "email": "e-mail address; in upsert mode it identifies the contact within the organisation",
    "phone": "international number, e.g. +48221234567",
    "role": "international_office, academic_coordinator, admissions, signatory, "
    "erasmus_coordinator, housing or other (default international_office)",
    "position": "job title",
    "unit_code": "the code of the organisational unit the person works in",
    "visibility": "public (everyone signed in) or members (the organisation's members; default)",
}

# A list cell ("pl;en" or "pl|en") is split on either separator; exports use ";".
LIST_SEPARATORS = (";", "|")
EXPORT_LIST_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file: ``row`` as spreadsheets number it (header = 1), ``None`` for the file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "", self.column or "") if part)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def split_list(cell: str) -> list[str]:
    for separator in LIST_SEPARATORS[1:]:
        cell = cell.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in cell.split(LIST_SEPARATORS[0]) if part.strip()]


# A job's result is read on every poll of its page: keep the stored report to a readable size.
MAX_REPORTED_PROBLEMS = 1000


class ImportFailed(ValidationFailed):
    """The file was refused; nothing was saved. ``problems`` lists every row and column at fault.

    ``as_dict()`` (what the API and a failed job store) carries the problems as a list of
    ``{"row", "column", "message"}``, at most ``MAX_REPORTED_PROBLEMS`` of them.
    """

    code = "import_failed"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0]
        count = len(self.problems)
        summary = (
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file. First: {first}"
        )
        super().__init__({first.column or "file": first.message}, message=summary)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "errors": [problem.as_dict() for problem in self.problems[:MAX_REPORTED_PROBLEMS]],
            "error_count": len(self.problems),
            "truncated": len(self.problems) > MAX_REPORTED_PROBLEMS,
        }

    def report(self) -> str:
        """The problems as text, one per line (for the command line)."""
        return "\n".join(str(problem) for problem in self.problems)


def refuse(message: str, *, row: int | None = None, column: str | None = None) -> ImportFailed:
    return ImportFailed([Problem(row, column, message)])
