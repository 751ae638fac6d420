"""Importing a course catalogue from CSV or XLSX, all or nothing.

The file is read by the directory's reader (``organisations.transfer.reading``: UTF-8 CSV with ``,``
or ``;``, or the first sheet of an XLSX workbook; rows numbered as a spreadsheet shows them). Every
row is checked with the rules of ``services.course_problems`` before anything is saved; if any row
has a problem, ``ImportFailed`` lists them all (row, column, sentence) and nothing is written.
A row whose code the catalogue already has updates that course; the others are created.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accord.core.concurrency import save_changes
from accord.core.events import publish
from accord.courses.choices import CourseMode
from accord.courses.events import CoursesChanged
from accord.courses.models import Course
from accord.courses.services import course_problems, parse_ects, require_manage
from accord.organisations.transfer.columns import ImportFailed, Problem
from accord.organisations.transfer.reading import read_table

REQUIRED = ("code", "title", "description", "ects", "isced", "eqf", "language")
TRANSLATED = ("en", "fr", "es", "de", "pt", "it", "pl", "nl", "zh", "ar")
OPTIONAL = (
    "term",
    "mode",
    "learning_outcomes",
    "open_to_partners",
    "unit_code",
    *(f"{part}_{language}" for language in TRANSLATED for part in ("title", "description")),
)
COLUMNS = REQUIRED + OPTIONAL
# Columns named as in the file → the course field each one fills.
_FIELD_OF = {"isced": "isced_code", "eqf": "eqf_level"}
_YES = {"yes", "y", "true", "1", "oui", "ja", "sí", "si", "sim", ""}
_NO = {"no", "n", "false", "0", "non", "nein", "não", "nao"}

Progress = Callable[[int, int, str], None]


@dataclass
class CourseImportOutcome:
    rows: int
    created: int = 0
    updated: int = 0


def _row_values(values: dict[str, str], units: dict[str, object]) -> tuple[dict, list[tuple[str, str]]]:
    data: dict = {}
    problems: list[tuple[str, str]] = []
    for column in (
        "code",
        "title",
        "description",
        "ects",
        "isced",
        "eqf",
        "language",
        "term",
        "learning_outcomes",
    ):
        if column in values:
            data[_FIELD_OF.get(column, column)] = values[column]
    if values.get("mode"):
        data["mode"] = values["mode"].strip().lower().replace(" ", "_").replace("-", "_")
    if "open_to_partners" in values:
        answer = values["open_to_partners"].strip().lower()
        if answer in _YES:
            data["open_to_partners"] = True
        elif answer in _NO:
            data["open_to_partners"] = False
        else:
            problems.append(("open_to_partners", _("Write yes or no.")))
    if values.get("unit_code"):
        unit = units.get(values["unit_code"])
        if unit is None:
            problems.append(("unit_code", _("The organisation has no unit with this code.")))
        data["unit"] = unit
    translations = {}
    for language in TRANSLATED:
        title, description = values.get(f"title_{language}", ""), values.get(f"description_{language}", "")
        if title or description:
            translations[language] = {"title": title, "description": description}
    if translations:
        data["translations"] = translations
    return data, problems


def course_import(
    *, actor, organisation, data: bytes, progress: Progress | None = None, max_bytes: int | None = None
) -> CourseImportOutcome:
    """Import ``data`` into ``organisation``'s catalogue, or raise ``ImportFailed`` (nothing saved)."""
    require_manage(actor, organisation)
    report = progress or (lambda done, total, message: None)
    table = read_table(
        data,
        columns=COLUMNS,
        required=REQUIRED,
        max_bytes=settings.ACCORD_MAX_IMPORT_BYTES if max_bytes is None else max_bytes,
    )
    units = {unit.code: unit for unit in organisation.units.exclude(code="")}
    existing = {course.code: course for course in Course.objects.filter(organisation=organisation)}
    plans: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    total = len(table.rows)
    for done, (number, values) in enumerate(table.rows, start=1):
        row, row_problems = _row_values(values, units)
        for field, message in course_problems(row).items():
            column = {value: key for key, value in _FIELD_OF.items()}.get(field, field)
            row_problems.append((column, message))
        code = row.get("code", "").strip()
        if code in seen:
            row_problems.append(("code", _("Row %(row)s already has this code.") % {"row": seen[code]}))
        seen.setdefault(code, number)
        problems.extend(Problem(number, column, str(message)) for column, message in row_problems)
        plans.append((number, row))
        report(done, total + 1, _("Checked %(done)s of %(total)s rows.") % {"done": done, "total": total})
    if problems:
        raise ImportFailed(problems)

    outcome = CourseImportOutcome(rows=total)
    try:
        _save(actor, organisation, plans, existing, outcome)
    except IntegrityError as exc:
        meanwhile = _("Someone changed the catalogue while it was imported; nothing was saved. Import again.")
        raise ImportFailed([Problem(None, None, str(meanwhile))]) from exc
    report(total + 1, total + 1, _("Imported %(count)s courses.") % {"count": total})
    return outcome


@transaction.atomic
def _save(
    actor, organisation, plans: list[tuple[int, dict]], existing: dict, outcome: CourseImportOutcome
) -> None:
    touched: list[int] = []
    for _number, row in plans:
        row = {
            **row,
            "code": row["code"].strip(),
            "ects": parse_ects(row["ects"]),
            "eqf_level": int(row["eqf_level"]) if row.get("eqf_level") else None,
            "language": row["language"].strip().lower(),
            "mode": row.get("mode") or CourseMode.ON_SITE,
        }
        course = existing.get(row["code"])
        if course is None:
            course = Course.objects.create(organisation=organisation, updated_by=actor, **row)
            outcome.created += 1
        else:
            save_changes(course, row, actor=actor)
            outcome.updated += 1
        touched.append(course.pk)
    publish(CoursesChanged(organisation_id=organisation.pk, course_ids=tuple(touched)))
