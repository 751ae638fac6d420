"""One pair of classes, assessed with its reasons: the hard filters, then the score.

This is the reference: what a teacher reads on a proposal, and what :mod:`.matrix` must equal for
every pair of a call. It recomputes every interval, so it is slow for thousands of pairs.
"""

from dataclasses import dataclass
from enum import StrEnum

from accord.algorithms.matching.model import DEFAULT_RULES, ClassProfile, Rules, monday_of, subject_similarity
from accord.algorithms.timewindows import Interval, intersect, total_minutes, week_slots_utc, working_days_utc


class Refusal(StrEnum):
    """Why a pair is not feasible, in the order the filters apply."""

    SAME_INSTITUTION = "same_institution"
    NO_LANGUAGE = "no_language"
    LEVELS = "levels"
    WEEKS = "weeks"
    NO_HOUR = "no_hour"


class Window(StrEnum):
    """Where the pair's synchronous hours come from."""

    SLOTS = "slots"
    WORKING_DAY = "working_day"
    NONE = "none"


@dataclass(frozen=True)
class Assessment:
    """A pair's feasibility and score with the figures behind them (minutes are weekly means over the
    common teaching weeks)."""

    refusals: tuple[Refusal, ...]
    languages: frozenset[str]
    eqf_gap: int
    common_weeks: int
    slot_minutes: float
    working_minutes: float
    subject: float
    calendar: float
    synchronous: float
    score: float

    @property
    def feasible(self) -> bool:
        return not self.refusals

    @property
    def window(self) -> Window:
        if self.slot_minutes > 0:
            return Window.SLOTS
        return Window.WORKING_DAY if self.working_minutes > 0 else Window.NONE


def slot_intervals(profile: ClassProfile) -> list[Interval]:
    """Every meeting of the class in UTC over its teaching weeks, holidays and term edges left out."""
    return [
        interval
        for week in sorted(profile.teaching_weeks)
        for interval in week_slots_utc(profile.slots, profile.tz, monday_of(week), profile.closed_in_term)
    ]


def working_minutes(a: ClassProfile, b: ClassProfile, weeks: frozenset[int], rules: Rules) -> int:
    """Minutes inside both working days, Monday to Friday, over ``weeks`` (each week in its own
    offsets; single holidays inside a teaching week are not taken out here)."""
    return sum(
        total_minutes(
            intersect(
                working_days_utc(a.tz, monday_of(week), rules.working_day),
                working_days_utc(b.tz, monday_of(week), rules.working_day),
            )
        )
        for week in weeks
    )


def scores(
    *, common: int, wished: int, slot_minutes: float, working: float, subject: float, rules: Rules
) -> tuple[float, float, float]:
    """(calendar, synchronous, total score out of 100) from a pair's figures."""
    calendar = min(common, wished) / wished if wished else 0.0
    if slot_minutes > 0:
        synchronous = min(slot_minutes / rules.full_weekly_minutes, 1.0)
    else:
        synchronous = rules.working_day_factor * min(working / rules.full_weekly_minutes, 1.0)
    total = 100 * (
        rules.calendar_weight * calendar
        + rules.synchronous_weight * synchronous
        + rules.subject_weight * subject
    )
    return calendar, synchronous, round(total, 1)


def assess(a: ClassProfile, b: ClassProfile, rules: Rules = DEFAULT_RULES) -> Assessment:
    refusals: list[Refusal] = []
    if a.institution == b.institution:
        refusals.append(Refusal.SAME_INSTITUTION)
    languages = a.languages_at(rules.min_cefr) & b.languages_at(rules.min_cefr)
    if not languages:
        refusals.append(Refusal.NO_LANGUAGE)
    gap = abs(a.eqf - b.eqf)
    if gap > rules.max_eqf_gap:
        refusals.append(Refusal.LEVELS)
    weeks = a.teaching_weeks & b.teaching_weeks
    if len(weeks) < rules.min_weeks:
        refusals.append(Refusal.WEEKS)
    common = len(weeks)
    slot_mean = total_minutes(intersect(slot_intervals(a), slot_intervals(b))) / common if common else 0.0
    work_mean = working_minutes(a, b, weeks, rules) / common if common else 0.0
    if (a.synchronous or b.synchronous) and max(slot_mean, work_mean) < rules.min_weekly_minutes:
        refusals.append(Refusal.NO_HOUR)
    subject = subject_similarity(a.isced, b.isced)
    calendar, synchronous, score = scores(
        common=common,
        wished=min(a.weeks_wished, b.weeks_wished),
        slot_minutes=slot_mean,
        working=work_mean,
        subject=subject,
        rules=rules,
    )
    return Assessment(
        refusals=tuple(refusals),
        languages=languages,
        eqf_gap=gap,
        common_weeks=common,
        slot_minutes=slot_mean,
        working_minutes=work_mean,
        subject=subject,
        calendar=calendar,
        synchronous=synchronous,
        score=score,
    )
