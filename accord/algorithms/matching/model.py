"""A class profile as the matching sees it, the rules of feasibility and score, and teaching weeks."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from accord.algorithms.timewindows import LocalWindow, WeeklySlot
from accord.algorithms.timewindows.weekly import WORKING_DAY
from accord.reference.cefr import cefr_at_least

# Weeks are numbered from this Monday, so that every class of a call shares one numbering.
EPOCH = date(2000, 1, 3)


def week_number(day: date) -> int:
    return (day - EPOCH).days // 7


def monday_of(week: int) -> date:
    return EPOCH + timedelta(weeks=week)


@dataclass(frozen=True)
class Rules:
    """What makes a pair feasible, and how its score is weighed (the weights add up to 1)."""

    min_cefr: str = "B1"
    max_eqf_gap: int = 1
    min_weeks: int = 4
    # "A shared hour": on average over the common teaching weeks, at least this many minutes a week.
    min_weekly_minutes: int = 60
    # Weekly shared minutes worth the whole synchronous part of the score.
    full_weekly_minutes: int = 120
    working_day: LocalWindow = WORKING_DAY
    calendar_weight: float = 0.4
    synchronous_weight: float = 0.35
    subject_weight: float = 0.25
    # A window only inside both working days (not inside both classes' slots) counts this much.
    working_day_factor: float = 0.5


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class ClassProfile:
    """A class offered for virtual exchange: who, what, at which level, in which languages, when.

    ``languages`` pairs ISO 639-1 codes with the CEFR level the students have; ``holidays`` are
    inclusive date ranges of the institution's closures; ``slots`` are weekly meetings in ``zone``.
    """

    key: int
    institution: int
    zone: str
    isced: str
    eqf: int
    languages: tuple[tuple[str, str], ...]
    term_start: date
    term_end: date
    slots: tuple[WeeklySlot, ...] = ()
    holidays: tuple[tuple[date, date], ...] = ()
    students: int = 20
    weeks_wished: int = 6
    synchronous: bool = True
    themes: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @cached_property
    def closed(self) -> frozenset[date]:
        """The days outside the term or inside a holiday."""
        days: set[date] = set()
        for first, last in self.holidays:
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        return frozenset(days)

    def is_open(self, day: date) -> bool:
        return self.term_start <= day <= self.term_end and day not in self.closed

    @cached_property
    def closed_in_term(self) -> frozenset[date]:
        """The closed days of the teaching weeks, term edges included (the days of the first and last
        weeks that fall before the start or after the end of the term)."""
        first = self.term_start - timedelta(days=self.term_start.weekday())
        last = self.term_end - timedelta(days=self.term_end.weekday())
        edges = [first + timedelta(days=n) for n in range(7)] + [last + timedelta(days=n) for n in range(7)]
        return self.closed | {day for day in edges if not self.term_start <= day <= self.term_end}

    @cached_property
    def teaching_weeks(self) -> frozenset[int]:
        """The weeks in which the class meets at least once: one of its slot days (any weekday when it
        has no slots) is inside the term and not a holiday."""
        weekdays = sorted({slot.weekday for slot in self.slots}) or list(range(5))
        return frozenset(
            week
            for week in range(week_number(self.term_start), week_number(self.term_end) + 1)
            if any(self.is_open(monday_of(week) + timedelta(days=day)) for day in weekdays)
        )

    def languages_at(self, minimum: str) -> frozenset[str]:
        return frozenset(code for code, level in self.languages if cefr_at_least(level, minimum))


def subject_similarity(first: str, second: str) -> float:
    """ISCED-F 2013 codes: the same detailed field 1, the same narrow field 0.75, the same broad field
    0.5, else 0 (codes of 2 or 3 digits compare on the digits they have)."""
    common = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        common += 1
    return {4: 1.0, 3: 0.75, 2: 0.5}.get(common, 0.0)
