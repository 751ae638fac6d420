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
from datetime import UTC, datetime, timedelta
from math import gcd

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from accord.algorithms.matching.model import DEFAULT_RULES, EPOCH, ClassProfile, Rules, monday_of
from accord.algorithms.matching.pair import Refusal, slot_intervals
from accord.algorithms.timewindows import Interval, working_days_utc
from accord.algorithms.timewindows.local import constant_stretches

Bools = NDArray[np.bool_]
Floats = NDArray[np.float64]
_EPOCH_UTC = datetime.combine(EPOCH, datetime.min.time(), tzinfo=UTC)
_SUBJECT = np.array([0.0, 0.0, 0.5, 0.75, 1.0])


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

    @property
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
                _minutes(i.start - _EPOCH_UTC) // quantum, _minutes(i.end - _EPOCH_UTC) // quantum, dtype=np.int64
            )
            for i in intervals
        ]
    )


def _slot_minutes(profiles: Sequence[ClassProfile], quantum: int) -> Floats:
    units = [_units(slot_intervals(profile), quantum) for profile in profiles]
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
    from zoneinfo import ZoneInfo

    result = np.zeros((len(zones), len(zones), weeks))
    span = 9 * 1440 // quantum
    for w in range(weeks):
        monday = monday_of(first_week + w)
        origin = datetime.combine(monday, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
        vectors = np.zeros((len(zones), span))
        for z, name in enumerate(zones):
            for interval in working_days_utc(ZoneInfo(name), monday, rules.working_day):
                vectors[z, _minutes(interval.start - origin) // quantum : _minutes(interval.end - origin) // quantum] = 1
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
        * (rules.calendar_weight * calendar + rules.synchronous_weight * sync + rules.subject_weight * subject),
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
    lengths = np.array([len(code) for code in codes])
    padded = np.array([list(code.ljust(4)[:4]) for code in codes]).reshape(len(codes), 4)
    agree = np.ones((len(codes), len(codes)), dtype=bool)
    common = np.zeros((len(codes), len(codes)), dtype=np.int64)
    for k in range(4):
        agree &= padded[:, None, k] == padded[None, :, k]
        common += agree
    common = np.minimum(common, np.minimum(lengths[:, None], lengths[None, :]))
    return np.asarray(_SUBJECT[common], dtype=np.float64)
