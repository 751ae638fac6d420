"""Every write to a course catalogue: one course at a time, or a whole file (``course_import``).

Each service checks the actor may manage the organisation's catalogue before it reads the input,
validates every field with ``course_problems`` (the same rules for the page, the API and the
import), and publishes ``CoursesChanged`` so that the discovery index re-reads only those courses.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accord.core.concurrency import lock, require_version, save_changes
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.courses.choices import CourseMode
from accord.courses.events import CoursesChanged
from accord.courses.models import Course
from accord.courses.querysets import may_manage_catalogue
from accord.reference.eqf import is_eqf
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "translations",
    "ects",
    "isced_code",
    "eqf_level",
    "language",
    "term",
    "mode",
    "learning_outcomes",
    "open_to_partners",
    "unit",
)
MAX_ECTS = Decimal(60)


def require_manage(actor, organisation) -> None:
    if not may_manage_catalogue(actor, organisation.pk):
        raise PermissionDenied(_("Only the organisation's admins and coordinators may change its catalogue."))


def parse_ects(value: Any) -> Decimal | None:
    try:
        ects = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return ects if ects.is_finite() else None


def course_problems(values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with the course ``values`` (field → sentence); only the fields given are checked."""
    problems: dict[str, str] = {}
    for name, message in (
        ("code", _("Give the course a code.")),
        ("title", _("Give the course a title.")),
        ("description", _("Describe the course: suggestions and partners read the description.")),
        ("language", _("Give the language of instruction.")),
    ):
        if name in values and not str(values[name] or "").strip():
            problems[name] = message
    if "ects" in values:
        ects = parse_ects(values["ects"])
        if ects is None:
            problems["ects"] = _("'%(value)s' is not a number of ECTS credits.") % {"value": values["ects"]}
        elif ects <= 0 or ects > MAX_ECTS or ects * 2 != int(ects * 2):
            problems["ects"] = _("ECTS credits are counted in halves, from 0.5 to 60.")
    if values.get("isced_code") and not is_isced(str(values["isced_code"])):
        problems["isced_code"] = _("'%(code)s' is not an ISCED-F 2013 field.") % {
            "code": values["isced_code"]
        }
    level = values.get("eqf_level")
    if level not in (None, ""):
        try:
            valid = is_eqf(int(str(level)))
        except (TypeError, ValueError):
            valid = False
        if not valid:
            problems["eqf_level"] = _("'%(level)s' is not an EQF level (1 to 8).") % {"level": level}
    if values.get("language") and not is_language(str(values["language"])):
        problems["language"] = _("'%(code)s' is not a language code.") % {"code": values["language"]}
    if values.get("mode") and values["mode"] not in CourseMode.values:
        problems["mode"] = _("The mode is on_site, online or blended.")
    translations = values.get("translations")
    if translations and (
        not isinstance(translations, dict)
        or not all(isinstance(text, dict) and is_language(str(code)) for code, text in translations.items())
    ):
        problems["translations"] = _(
            "Translations are given per language code, each with a title and a description."
        )
    return problems


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("code", "title", "description", "language", "term", "isced_code", "learning_outcomes"):
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = str(cleaned[name]).strip()
    if "ects" in cleaned:
        cleaned["ects"] = parse_ects(cleaned["ects"])
    if "eqf_level" in cleaned:
        cleaned["eqf_level"] = int(cleaned["eqf_level"]) if cleaned["eqf_level"] not in (None, "") else None
    if "language" in cleaned:
        cleaned["language"] = cleaned["language"].lower()
    return cleaned


def _check_unit(organisation, unit) -> None:
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationFailed({"unit": _("The unit belongs to another organisation.")})


@transaction.atomic
def course_create(
    *, actor, organisation, code: str, title: str, description: str, ects, language: str, **extra: Any
) -> Course:
    require_manage(actor, organisation)
    unknown = set(extra) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    values = {
        "code": code,
        "title": title,
        "description": description,
        "ects": ects,
        "language": language,
        **extra,
    }
    problems = course_problems(values)
    if problems:
        raise ValidationFailed(problems)
    _check_unit(organisation, values.get("unit"))
    values = _clean(values)
    if Course.objects.filter(organisation=organisation, code=values["code"]).exists():
        raise ValidationFailed({"code": _("This organisation already has a course with this code.")})
    try:
        with transaction.atomic():
            course = Course.objects.create(organisation=organisation, updated_by=actor, **values)
    except IntegrityError as exc:
        raise Conflict(_("Someone added a course with this code meanwhile."), field="code") from exc
    publish(CoursesChanged(organisation_id=organisation.pk, course_ids=(course.pk,)))
    return course


@transaction.atomic
def course_update(*, actor, course: Course, expected_version: int | None = None, **changes: Any) -> Course:
    require_manage(actor, course.organisation)
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    problems = course_problems(changes)
    if problems:
        raise ValidationFailed(problems)
    if "unit" in changes:
        _check_unit(course.organisation, changes["unit"])
    # Locked here, not only in save_changes, so that the code is checked against what is committed.
    lock(course)
    require_version(course, expected_version, changes)
    if (
        "code" in changes
        and changes["code"].strip() != course.code
        and Course.objects.filter(
            organisation_id=course.organisation_id, code=changes["code"].strip()
        ).exists()
    ):
        raise ValidationFailed({"code": _("This organisation already has a course with this code.")})
    try:
        with transaction.atomic():
            changed = save_changes(course, _clean(changes), actor=actor, expected_version=expected_version)
    except IntegrityError as exc:
        raise Conflict(_("Someone gave another course this code meanwhile."), field="code") from exc
    if changed:
        publish(CoursesChanged(organisation_id=course.organisation_id, course_ids=(course.pk,)))
    return course


@transaction.atomic
def course_delete(*, actor, course: Course, expected_version: int | None = None) -> None:
    require_manage(actor, course.organisation)
    lock(course)
    require_version(course, expected_version)
    pk, organisation_id = course.pk, course.organisation_id
    course.delete()
    publish(CoursesChanged(organisation_id=organisation_id, course_ids=(pk,), deleted=True))
