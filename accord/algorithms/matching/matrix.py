"""Every pair of a call assessed at once: the same figures as :func:`.pair.assess`, as matrices.

A call of 2,000 classes has two million pairs; assessed one by one in Python that takes hours. Here
each filter is a NumPy comparison or product over all pairs:

* shared languages and common teaching weeks are products of 0/1 matrices (class × language,
  class × week);
* the minutes inside both classes' slots are a sparse product: each class is the set of time units
  (of ``quantum`` minutes, the largest step that divides every slot boundary and every zone offset, so
  the count is exact) at which it meets, in UTC, over its teaching weeks;
* the minutes inside both working days depend only on the two zones and the week: they are computed
  once per pair of zones and week, then summed over each pair's common weeks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from math import gcd
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from accord.algorithms.matching.model import DEFAULT_RULES, EPOCH, ClassProfile, Rules, monday_of
from accord.algorithms.matching.pair import Refusal
from accord.algorithms.timewindows import Interval, local_window_utc, working_days_utc
from accord.algorithms.timewindows.local import changes_in_year, constant_stretches

Bools = NDArray[np.bool_]
Floats = NDArray[np.float64]
_EPOCH_UTC = datetime.combine(EPOCH, datetime.min.time(), tzinfo=UTC)
_EPOCH_ORDINAL = EPOCH.toordinal()


@dataclass(frozen=True)
class CallMatrices:
    """Pair figures indexed ``[i, j]`` by the classes' positions (symmetric; the diagonal is never
    feasible)."""

    refusals: dict[Refusal, Bools]
    common_weeks: Floats
    slot_minutes: Floats
    working_minutes: Floats
    subject: Floats
    score: Floats

    @cached_property
    def feasible(self) -> Bools:
        refused = np.zeros_like(self.score, dtype=bool)
        for matrix in self.refusals.values():
            refused |= matrix
        np.fill_diagonal(refused, True)
        return ~refused

    def why_alone(self, index: int) -> Refusal | None:
        """The filter that leaves class ``index`` without any partner (None: it has one): the first,
        in the filters' order, after which no candidate remains."""
        remaining = np.ones(self.score.shape[0], dtype=bool)
        remaining[index] = False
        for refusal in Refusal:
            remaining &= ~self.refusals[refusal][index]
            if not remaining.any():
                return refusal
        return None


def _minutes(delta: timedelta) -> int:
    return int(delta // timedelta(minutes=1))


def _quantum(profiles: Sequence[ClassProfile], start: datetime, end: datetime) -> int:
    """The largest number of minutes dividing every slot boundary and every offset met."""
    step = 60
    for profile in profiles:
        for slot in profile.slots:
            for moment in (slot.start, slot.end):
                step = gcd(step, moment.hour * 60 + moment.minute)
    for zone in {profile.tz for profile in profiles}:
        for _interval, offset in constant_stretches(zone, start, end):
            step = gcd(step, _minutes(offset) % 60)
    return step or 60


def _units(intervals: list[Interval], quantum: int) -> NDArray[np.int64]:
    if not intervals:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(
        [
            np.arange(
                _minutes(i.start - _EPOCH_UTC) // quantum,
                _minutes(i.end - _EPOCH_UTC) // quantum,
                dtype=np.int64,
            )
            for i in intervals
        ]
    )


@lru_cache(maxsize=1024)
def _zone_days(zone: str, year: int) -> tuple[dict[int, int], frozenset[int]]:
    """The UTC offset in minutes at local noon of each date (by ordinal) of ``year`` in ``zone``, and
    the dates on which the offset changes (with the days around them), where it is not constant."""
    tz = ZoneInfo(zone)
    first = date(year, 1, 1).toordinal()
    offsets = {}
    for ordinal in range(first, date(year + 1, 1, 1).toordinal()):
        offset = datetime.combine(date.fromordinal(ordinal), time(12), tzinfo=tz).utcoffset()
        assert offset is not None
        offsets[ordinal] = _minutes(offset)
    unsafe = set()
    for changes in (changes_in_year(tz, year - 1), changes_in_year(tz, year), changes_in_year(tz, year + 1)):
        for instant, _offset in changes:
            local = instant.astimezone(tz).date().toordinal()
            unsafe |= {local - 1, local, local + 1}
    return offsets, frozenset(unsafe)


def _meeting_units(profile: ClassProfile, quantum: int) -> NDArray[np.int64]:
    """The time units at which the class meets (as :func:`.pair.slot_intervals`, which it equals):
    on a day when the zone's offset is constant, the slot shifted by that offset; on the days around
    a change, the exact local window."""
    closed = {day.toordinal() for day in profile.closed_in_term}
    pieces = []
    for week in sorted(profile.teaching_weeks):
        monday = monday_of(week)
        for slot in profile.slots:
            day = monday + timedelta(days=slot.weekday)
            ordinal = day.toordinal()
            if ordinal in closed:
                continue
            offsets, unsafe = _zone_days(profile.zone, day.year)
            if ordinal in unsafe:
                pieces.append(_units(local_window_utc(day, slot.window, profile.tz), quantum))
                continue
            base = (ordinal - _EPOCH_ORDINAL) * 1440 - offsets[ordinal]
            start = base + slot.start.hour * 60 + slot.start.minute
            end = base + slot.end.hour * 60 + slot.end.minute
            pieces.append(np.arange(start // quantum, end // quantum, dtype=np.int64))
    return np.unique(np.concatenate(pieces)) if pieces else np.zeros(0, dtype=np.int64)


def _slot_minutes(profiles: Sequence[ClassProfile], quantum: int) -> Floats:
    units = [_meeting_units(profile, quantum) for profile in profiles]
    rows = np.repeat(np.arange(len(profiles)), [len(u) for u in units])
    columns = np.concatenate(units) if units else np.zeros(0, dtype=np.int64)
    used, compact = np.unique(columns, return_inverse=True)
    meets = sparse.csr_matrix(
        (np.ones(len(columns), dtype=np.float64), (rows, compact)), shape=(len(profiles), len(used))
    )
    shared = (meets @ meets.T).toarray()
    return np.asarray(shared, dtype=np.float64) * quantum


def _zone_week_minutes(zones: list[str], first_week: int, weeks: int, rules: Rules, quantum: int) -> Floats:
    """``[a, b, w]``: minutes inside the working days of zones ``a`` and ``b`` in week ``w``."""
    result = np.zeros((len(zones), len(zones), weeks))
    span = 9 * 1440 // quantum
    for w in range(weeks):
        monday = monday_of(first_week + w)
        origin = datetime.combine(monday, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
        vectors = np.zeros((len(zones), span))
        for z, name in enumerate(zones):
            for interval in working_days_utc(ZoneInfo(name), monday, rules.working_day):
                vectors[
                    z,
                    _minutes(interval.start - origin) // quantum : _minutes(interval.end - origin) // quantum,
                ] = 1
        result[:, :, w] = vectors @ vectors.T * quantum
    return result


def assess_all(profiles: Sequence[ClassProfile], rules: Rules = DEFAULT_RULES) -> CallMatrices:
    n = len(profiles)
    institutions = np.array([p.institution for p in profiles])
    languages = sorted({code for p in profiles for code in p.languages_at(rules.min_cefr)})
    speaks = np.array(
        [[code in p.languages_at(rules.min_cefr) for code in languages] for p in profiles], dtype=np.float64
    ).reshape(n, len(languages))
    eqf = np.array([p.eqf for p in profiles])
    first_week = min((min(p.teaching_weeks) for p in profiles if p.teaching_weeks), default=0)
    last_week = max((max(p.teaching_weeks) for p in profiles if p.teaching_weeks), default=0)
    weeks = last_week - first_week + 1
    teaching = np.zeros((n, weeks))
    for i, p in enumerate(profiles):
        teaching[i, [w - first_week for w in p.teaching_weeks]] = 1
    common = teaching @ teaching.T

    start = datetime.combine(monday_of(first_week), datetime.min.time(), tzinfo=UTC) - timedelta(days=2)
    quantum = _quantum(profiles, start, start + timedelta(weeks=weeks, days=4))
    with np.errstate(divide="ignore", invalid="ignore"):
        slot_mean = np.where(common > 0, _slot_minutes(profiles, quantum) / common, 0.0)
    zones = sorted({p.zone for p in profiles})
    zone_of = np.array([zones.index(p.zone) for p in profiles])
    per_week = _zone_week_minutes(zones, first_week, weeks, rules, quantum)
    working = np.zeros((n, n))
    for a in range(len(zones)):
        rows = np.flatnonzero(zone_of == a)
        weighted = teaching[rows][:, None, :] * per_week[a][None, :, :]
        for b in range(len(zones)):
            columns = np.flatnonzero(zone_of == b)
            working[np.ix_(rows, columns)] = weighted[:, b, :] @ teaching[columns].T
    with np.errstate(divide="ignore", invalid="ignore"):
        work_mean = np.where(common > 0, working / common, 0.0)

    synchronous = np.array([p.synchronous for p in profiles])
    refusals = {
        Refusal.SAME_INSTITUTION: institutions[:, None] == institutions[None, :],
        Refusal.NO_LANGUAGE: (speaks @ speaks.T) == 0,
        Refusal.LEVELS: np.abs(eqf[:, None] - eqf[None, :]) > rules.max_eqf_gap,
        Refusal.WEEKS: common < rules.min_weeks,
        Refusal.NO_HOUR: (synchronous[:, None] | synchronous[None, :])
        & (np.maximum(slot_mean, work_mean) < rules.min_weekly_minutes),
    }

    subject = _subject_matrix([p.isced for p in profiles])
    wished_each = np.array([p.weeks_wished for p in profiles], dtype=np.float64)
    wished = np.minimum(wished_each[:, None], wished_each[None, :])
    calendar = np.minimum(common, wished) / wished
    sync = np.where(
        slot_mean > 0,
        np.minimum(slot_mean / rules.full_weekly_minutes, 1.0),
        rules.working_day_factor * np.minimum(work_mean / rules.full_weekly_minutes, 1.0),
    )
    score = np.round(
        100
        * (
            rules.calendar_weight * calendar
            + rules.synchronous_weight * sync
            + rules.subject_weight * subject
        ),
        1,
    )
    return CallMatrices(
        refusals=refusals,
        common_weeks=common,
        slot_minutes=slot_mean,
        working_minutes=work_mean,
        subject=subject,
        score=score,
    )


def _subject_matrix(codes: list[str]) -> Floats:
    """:func:`.model.subject_similarity` for every pair: the codes' 2-, 3- and 4-digit prefixes as
    integers (-1 where a code is shorter), compared all at once."""
    result = np.zeros((len(codes), len(codes)))
    for digits, value in ((2, 0.5), (3, 0.75), (4, 1.0)):
        prefix = np.array([int(code[:digits]) if len(code) >= digits else -1 for code in codes])
        same = (prefix[:, None] == prefix[None, :]) & (prefix[:, None] >= 0)
        result = np.where(same, value, result)
    return np.asarray(result, dtype=np.float64)
