"""Staff mobility agreements as plain data: the programme, the Erasmus+ rules it must meet, its hash.

Pure Python, no Django import (decision 1). The Django layer stores each version's programme, checks
it with :func:`check_programme` against a :class:`StaffRules` table and binds every signature to
:func:`programme_hash`, so that a signature means exactly the programme the signer read.

Documented rules (Erasmus+ Programme Guide, staff mobility of higher education institutions)
---------------------------------------------------------------------------------------------
* A physical staff mobility lasts from 2 to 60 days, travel excluded; both dates count.
* Teaching needs at least 8 teaching hours per week; teaching combined with training at least 4.
  Training asks for no teaching hours.
* A stay shorter than a week owes a whole week's minimum. In a longer stay the incomplete week owes
  the minimum pro rata to its days: 10 days of teaching (a week and 3 days) owe 8 + 8·3/7 hours,
  rounded up to the tenth of an hour so that a programme meeting the rule never reads as short.

The figures are the fields of :class:`StaffRules`, not literals in the checks: a new Programme Guide
is a new table (:data:`ERASMUS_PLUS_2021`), and tests run the checks on tables of their own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

__all__ = [
    "ERASMUS_PLUS_2021",
    "Breach",
    "BreachKind",
    "Programme",
    "StaffActivity",
    "StaffRules",
    "check_attendance",
    "check_programme",
    "programme_hash",
    "required_teaching_hours",
    "stay_days",
]

TENTH = Decimal("0.1")


class StaffActivity(StrEnum):
    TEACHING = "teaching"
    TRAINING = "training"
    COMBINED = "combined"


@dataclass(frozen=True, slots=True)
class StaffRules:
    """The thresholds of one edition of the rules. ``weekly_teaching_hours`` maps each activity to
    its minimum per week (an activity absent from it owes none)."""

    min_days: int
    max_days: int
    days_per_week: int
    weekly_teaching_hours: dict[StaffActivity, Decimal] = field(default_factory=dict)


ERASMUS_PLUS_2021 = StaffRules(
    min_days=2,
    max_days=60,
    days_per_week=7,
    weekly_teaching_hours={StaffActivity.TEACHING: Decimal(8), StaffActivity.COMBINED: Decimal(4)},
)


class BreachKind(StrEnum):
    END_BEFORE_START = "end_before_start"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TEACHING_HOURS_MISSING = "teaching_hours_missing"
    TOO_FEW_TEACHING_HOURS = "too_few_teaching_hours"


@dataclass(frozen=True, slots=True)
class Breach:
    """A rule the programme (or the attendance) does not meet: which field, which rule, the figure
    required and the figure found, for the Django layer to put into a sentence."""

    field: str
    kind: BreachKind
    required: Decimal
    found: Decimal


@dataclass(frozen=True, slots=True)
class Programme:
    """What a staff member will do abroad, as the Erasmus+ Mobility Agreement asks: the objectives,
    the activities, the expected outcomes and impact, the teaching hours (teaching and combined
    mobility), the planned dates, and a contact person at each institution."""

    activity: StaffActivity
    objectives: str
    activities: str
    outcomes: str
    planned_start: date
    planned_end: date
    teaching_hours: Decimal | None = None
    sending_contact_name: str = ""
    sending_contact_email: str = ""
    receiving_contact_name: str = ""
    receiving_contact_email: str = ""


def stay_days(start: date, end: date) -> int:
    """Days of a stay, both dates included (0 when the end is before the start)."""
    return max((end - start).days + 1, 0)


def required_teaching_hours(
    activity: StaffActivity, start: date, end: date, rules: StaffRules = ERASMUS_PLUS_2021
) -> Decimal:
    """The minimum teaching hours of a stay from ``start`` to ``end`` for ``activity``."""
    weekly = rules.weekly_teaching_hours.get(activity, Decimal(0))
    days = stay_days(start, end)
    if weekly == 0 or days == 0:
        return Decimal(0)
    if days <= rules.days_per_week:
        return weekly
    weeks, rest = divmod(days, rules.days_per_week)
    owed = weekly * weeks + weekly * rest / rules.days_per_week
    return owed.quantize(TENTH, rounding=ROUND_CEILING)


def _period_breaches(start: date, end: date, rules: StaffRules, field_name: str) -> list[Breach]:
    if end < start:
        return [Breach(field_name, BreachKind.END_BEFORE_START, Decimal(0), Decimal(stay_days(start, end)))]
    days = Decimal(stay_days(start, end))
    if days < rules.min_days:
        return [Breach(field_name, BreachKind.TOO_SHORT, Decimal(rules.min_days), days)]
    if days > rules.max_days:
        return [Breach(field_name, BreachKind.TOO_LONG, Decimal(rules.max_days), days)]
    return []


def _hours_breaches(
    activity: StaffActivity, start: date, end: date, hours: Decimal | None, rules: StaffRules
) -> list[Breach]:
    required = required_teaching_hours(activity, start, end, rules)
    if required == 0 or end < start:
        return []
    if hours is None:
        return [Breach("teaching_hours", BreachKind.TEACHING_HOURS_MISSING, required, Decimal(0))]
    if hours < required:
        return [Breach("teaching_hours", BreachKind.TOO_FEW_TEACHING_HOURS, required, hours)]
    return []


def check_programme(programme: Programme, rules: StaffRules = ERASMUS_PLUS_2021) -> list[Breach]:
    """Every rule of ``rules`` the planned programme breaks (none: it may be proposed)."""
    start, end = programme.planned_start, programme.planned_end
    return [
        *_period_breaches(start, end, rules, "planned_end"),
        *_hours_breaches(programme.activity, start, end, programme.teaching_hours, rules),
    ]


def check_attendance(
    activity: StaffActivity,
    start: date,
    end: date,
    hours: Decimal | None,
    rules: StaffRules = ERASMUS_PLUS_2021,
) -> list[Breach]:
    """The same rules on what the receiving institution certifies actually happened."""
    return [
        *_period_breaches(start, end, rules, "actual_end"),
        *_hours_breaches(activity, start, end, hours, rules),
    ]


def _canonical(programme: Programme) -> dict[str, object]:
    values = asdict(programme)
    values["activity"] = programme.activity.value
    values["planned_start"] = programme.planned_start.isoformat()
    values["planned_end"] = programme.planned_end.isoformat()
    hours = programme.teaching_hours
    values["teaching_hours"] = None if hours is None else format(hours.normalize(), "f")
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    return values


def programme_hash(programme: Programme) -> str:
    """SHA-256 of the programme's canonical JSON: equal programmes hash equally, whatever the
    surrounding white space or the way an hour count is written (8, 8.0)."""
    text = json.dumps(_canonical(programme), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
