"""What the virtual exchange services share: access checks and the validation of a class profile."""

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, Role
from accord.algorithms.timewindows import WeeklySlot, slot_overlaps
from accord.core.errors import PermissionDenied
from accord.reference.cefr import is_cefr
from accord.reference.eqf import is_eqf
from accord.reference.isced import is_isced
from accord.reference.languages import is_language
from accord.virtual_exchange.choices import WEEKDAYS, Mode, Visibility
from accord.virtual_exchange.models import ClassProfile, Exchange

TEACHING_ROLES = MANAGING_ROLES | {Role.TEACHER}
PROFILE_FIELDS = (
    "title",
    "subject",
    "isced_code",
    "eqf_level",
    "languages",
    "term_start",
    "term_end",
    "time_zone",
    "slots",
    "holidays",
    "students",
    "weeks_wished",
    "mode",
    "themes",
    "visibility",
)
REQUIRED = (
    "title",
    "isced_code",
    "eqf_level",
    "languages",
    "term_start",
    "term_end",
    "time_zone",
    "students",
)


def may_change_profile(actor, profile: ClassProfile) -> bool:
    return (
        is_platform_staff(actor)
        or profile.teacher_id == actor.pk
        or profile.organisation_id in organisation_ids_with_roles(actor, MANAGING_ROLES)
    )


def require_profile_change(actor, profile: ClassProfile) -> None:
    if not may_change_profile(actor, profile):
        raise PermissionDenied(_("Only the class's teacher and its institution's coordinators can do this."))


def require_exchange_change(actor, exchange: Exchange) -> None:
    if not (may_change_profile(actor, exchange.first) or may_change_profile(actor, exchange.second)):
        raise PermissionDenied(_("Only the teachers and coordinators of the two classes can do this."))


def is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def _as_time(value: Any) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _languages(values: Any, errors: dict) -> list[dict]:
    cleaned = []
    for entry in values or []:
        code = str(entry.get("language", "")).strip().lower()
        level = str(entry.get("cefr", "")).strip().upper()
        if not is_language(code):
            errors["languages"] = _("'%(code)s' is not a language code: write two letters, such as es.") % {
                "code": code
            }
        elif not is_cefr(level):
            errors["languages"] = _("'%(level)s' is not a CEFR level: write A1 to C2.") % {"level": level}
        else:
            cleaned.append({"language": code, "cefr": level})
    if not cleaned and "languages" not in errors:
        errors["languages"] = _("Give at least one language of collaboration with the students' CEFR level.")
    return cleaned


def _slots(values: Any, errors: dict) -> list[dict]:
    slots: list[WeeklySlot] = []
    for entry in values or []:
        try:
            slots.append(WeeklySlot(int(entry["weekday"]), _as_time(entry["start"]), _as_time(entry["end"])))
        except (KeyError, TypeError, ValueError):
            errors["slots"] = _(
                "Each slot needs a weekday and a start and end time, the end after the start."
            )
            return []
    names = dict(WEEKDAYS)
    for first, second in slot_overlaps(slots):
        a, b = slots[first], slots[second]
        errors["slots"] = _("The slots %(first)s and %(second)s overlap.") % {
            "first": f"{names[a.weekday]} {a.start:%H:%M}–{a.end:%H:%M}",
            "second": f"{names[b.weekday]} {b.start:%H:%M}–{b.end:%H:%M}",
        }
    return [
        {"weekday": s.weekday, "start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}"} for s in sorted(slots)
    ]


def _holidays(values: Any, errors: dict) -> list[dict]:
    cleaned = []
    for entry in values or []:
        try:
            start, end = _as_date(entry["start"]), _as_date(entry["end"])
        except (KeyError, TypeError, ValueError):
            errors["holidays"] = _("Each holiday needs a first and a last day.")
            return []
        if end < start:
            errors["holidays"] = _("A holiday cannot end before it starts.")
            return []
        cleaned.append({"start": start.isoformat(), "end": end.isoformat()})
    return sorted(cleaned, key=lambda span: span["start"])


def clean_profile(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The profile's fields normalised, and the errors by field (nothing saved when there are any)."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    if not any(values.get(name) not in (None, "", [], ()) for name in REQUIRED):
        errors["title"] = _("The profile is empty: describe the class, its term, languages and students.")
    for name in REQUIRED:
        if values.get(name) in (None, "", [], ()) and name not in errors:
            errors[name] = _("This field is required.")
    cleaned["title"] = str(values.get("title") or "").strip()
    cleaned["subject"] = str(values.get("subject") or "").strip()
    code = str(values.get("isced_code") or "").strip()
    if code and not is_isced(code):
        errors["isced_code"] = _(
            "'%(code)s' is not an ISCED-F 2013 field: give 2, 3 or 4 digits, such as 0413."
        ) % {"code": code}
    cleaned["isced_code"] = code
    eqf = values.get("eqf_level")
    if eqf is not None and not is_eqf(int(eqf)):
        errors["eqf_level"] = _("EQF levels run from 1 to 8.")
    cleaned["languages"] = _languages(values.get("languages"), errors) if values.get("languages") else []
    start, end = values.get("term_start"), values.get("term_end")
    if start and end and _as_date(end) < _as_date(start):
        errors["term_end"] = _("The term cannot end before it starts.")
    zone = str(values.get("time_zone") or "").strip()
    if zone and not is_zone(zone):
        errors["time_zone"] = _("'%(zone)s' is not a time zone: choose one such as Europe/Paris.") % {
            "zone": zone
        }
    cleaned["time_zone"] = zone
    cleaned["slots"] = _slots(values.get("slots"), errors)
    cleaned["holidays"] = _holidays(values.get("holidays"), errors)
    students = values.get("students")
    if students is not None and int(students) < 1:
        errors["students"] = _("A class has at least one student.")
    weeks = values.get("weeks_wished", 6)
    if weeks is None or not 4 <= int(weeks) <= 15:
        errors["weeks_wished"] = _("A project lasts 4 to 15 weeks.")
    cleaned["weeks_wished"] = weeks
    if values.get("mode", Mode.SYNCHRONOUS) not in Mode.values:
        errors["mode"] = _("Choose synchronous or asynchronous.")
    if values.get("visibility", Visibility.PARTNERS) not in Visibility.values:
        errors["visibility"] = _("Choose who may see the class.")
    cleaned["themes"] = sorted(
        {str(theme).strip() for theme in values.get("themes") or [] if str(theme).strip()}
    )
    return cleaned, errors
