"""Feasibility, score and reasons of a pair; the whole call as matrices; the pairing of a call."""

import itertools
from dataclasses import replace
from datetime import date, time, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.matching.matrix import assess_all
from accord.algorithms.matching.model import ClassProfile, subject_similarity
from accord.algorithms.matching.pair import Refusal, Window, assess
from accord.algorithms.matching.pairing import PAIR_BONUS, pair_call
from accord.algorithms.timewindows import WeeklySlot

PATIENT = settings(deadline=None, max_examples=25)
ZONES = ["Europe/Paris", "America/New_York", "America/Santiago", "Australia/Adelaide", "Asia/Kolkata"]


def lyon(**overrides) -> ClassProfile:
    values = dict(
        key=1,
        institution=1,
        zone="Europe/Paris",
        isced="0413",
        eqf=6,
        languages=(("en", "B2"), ("fr", "C2")),
        term_start=date(2027, 2, 1),
        term_end=date(2027, 5, 28),
        # Tuesday 15:00-17:00 in Paris.
        slots=(WeeklySlot(1, time(15), time(17)),),
        weeks_wished=8,
    )
    return ClassProfile(**{**values, **overrides})


def boston(**overrides) -> ClassProfile:
    # Tuesday 09:00-11:00 in Boston: the same UTC hours as Lyon's class, except in the weeks when
    # the USA already has summer time and France not yet (14 to 28 March 2027).
    values = dict(key=2, institution=2, zone="America/New_York", slots=(WeeklySlot(1, time(9), time(11)),))
    return lyon(**{**values, **overrides})


def test_a_pair_in_two_zones_shares_its_slots_minus_an_hour_in_the_weeks_the_clocks_differ():
    result = assess(lyon(), boston())
    assert result.feasible
    assert result.window == Window.SLOTS
    weeks = result.common_weeks
    # Two Tuesdays (16 and 23 March) with one hour instead of two.
    assert result.slot_minutes * weeks == 120 * weeks - 2 * 60
    assert result.languages == {"en", "fr"}
    assert result.subject == 1.0 and result.calendar == 1.0


def test_holidays_remove_teaching_weeks_and_their_sessions():
    spring = ((date(2027, 4, 5), date(2027, 4, 16)),)
    with_break = assess(lyon(holidays=spring), boston())
    assert with_break.common_weeks == assess(lyon(), boston()).common_weeks - 2


def test_each_filter_says_why_a_pair_is_refused():
    assert assess(lyon(), lyon(key=3)).refusals == (Refusal.SAME_INSTITUTION,)
    assert assess(lyon(), boston(languages=(("en", "A2"), ("es", "C1")))).refusals == (Refusal.NO_LANGUAGE,)
    assert assess(lyon(), boston(eqf=4)).refusals == (Refusal.LEVELS,)
    late = boston(term_start=date(2027, 5, 10), term_end=date(2027, 7, 30))
    assert assess(lyon(), late).refusals == (Refusal.WEEKS,)
    # Auckland's Tuesday afternoon is the middle of Paris's night, and their working days never meet:
    # a synchronous exchange has no shared hour.
    far = boston(zone="Pacific/Auckland", slots=(WeeklySlot(1, time(15), time(17)),))
    assert assess(lyon(), far).refusals == (Refusal.NO_HOUR,)
    assert assess(lyon(synchronous=False), replace(far, synchronous=False)).feasible


def test_without_shared_slots_the_working_days_give_a_weaker_window():
    other_day = boston(slots=(WeeklySlot(3, time(9), time(11)),))
    result = assess(lyon(), other_day)
    assert result.window == Window.WORKING_DAY
    assert result.synchronous == 0.5
    assert result.score < assess(lyon(), boston()).score


def test_subject_similarity_follows_the_isced_hierarchy():
    assert subject_similarity("0413", "0413") == 1.0
    assert subject_similarity("0413", "0411") == 0.75
    assert subject_similarity("0413", "0421") == 0.5
    assert subject_similarity("0413", "0311") == 0.0
    assert subject_similarity("041", "0413") == 0.75


def test_a_class_without_any_partner_is_told_the_filter_that_left_none():
    classes = [lyon(), boston(eqf=4), boston(key=3, institution=3, languages=(("de", "C1"),))]
    matrices = assess_all(classes)
    assert matrices.why_alone(0) == Refusal.LEVELS
    assert matrices.why_alone(2) == Refusal.NO_LANGUAGE
    assert assess_all([lyon(), boston()]).why_alone(0) is None


slots = st.lists(
    st.tuples(st.integers(0, 4), st.integers(7 * 2, 19 * 2), st.integers(2, 6)).map(
        lambda s: WeeklySlot(
            s[0], time(s[1] // 2, s[1] % 2 * 30), time((s[1] + s[2]) // 2, (s[1] + s[2]) % 2 * 30)
        )
    ),
    max_size=2,
    unique_by=lambda slot: slot.weekday,
)
profiles = st.builds(
    lambda key, inst, zone, isced, eqf, langs, start, weeks, slot_list, wished, sync: ClassProfile(
        key=key,
        institution=inst,
        zone=zone,
        isced=isced,
        eqf=eqf,
        languages=langs,
        term_start=start,
        term_end=start + timedelta(weeks=weeks),
        slots=tuple(slot_list),
        holidays=((start + timedelta(weeks=2), start + timedelta(weeks=2, days=4)),),
        weeks_wished=wished,
        synchronous=sync,
    ),
    st.integers(0, 1000),
    st.integers(1, 4),
    st.sampled_from(ZONES),
    st.sampled_from(["0413", "0411", "041", "0311", "0714"]),
    st.integers(5, 7),
    st.lists(
        st.tuples(st.sampled_from(["en", "fr", "es"]), st.sampled_from(["A2", "B1", "C1"])),
        min_size=1,
        max_size=2,
        unique_by=lambda lang: lang[0],
    ).map(tuple),
    st.dates(date(2026, 8, 1), date(2027, 4, 1)),
    st.integers(3, 16),
    slots,
    st.integers(4, 15),
    st.booleans(),
)


@PATIENT
@given(st.lists(profiles, min_size=2, max_size=5))
def test_the_matrices_of_a_call_equal_the_pairs_assessed_one_by_one(classes):
    matrices = assess_all(classes)
    for i, j in itertools.combinations(range(len(classes)), 2):
        one = assess(classes[i], classes[j])
        assert bool(matrices.feasible[i, j]) == one.feasible
        assert {r for r in Refusal if matrices.refusals[r][i, j]} == set(one.refusals)
        assert matrices.common_weeks[i, j] == one.common_weeks
        assert np.isclose(matrices.slot_minutes[i, j], one.slot_minutes)
        assert np.isclose(matrices.working_minutes[i, j], one.working_minutes)
        assert abs(matrices.score[i, j] - one.score) < 0.051


def best_matching(score, feasible):
    n = score.shape[0]
    best = 0.0

    def search(free, total):
        nonlocal best
        best = max(best, total)
        if len(free) < 2:
            return
        first, rest = free[0], free[1:]
        search(rest, total)
        for other in rest:
            if feasible[first, other]:
                search([i for i in rest if i != other], total + PAIR_BONUS + score[first, other])

    search(list(range(n)), 0.0)
    return best


symmetric = st.integers(2, 8).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.floats(0, 100).map(lambda x: round(x, 1)), min_size=n * n, max_size=n * n),
        st.lists(st.booleans(), min_size=n * n, max_size=n * n),
    )
)


def matrices_from(n, values, flags):
    score = np.array(values).reshape(n, n)
    score = np.maximum(score, score.T)
    feasible = np.array(flags).reshape(n, n)
    feasible = feasible & feasible.T
    np.fill_diagonal(feasible, False)
    return score, feasible


@settings(deadline=None, max_examples=80)
@given(symmetric)
def test_a_call_is_paired_among_feasible_pairs_and_near_the_best(case):
    score, feasible = matrices_from(*case)
    result = pair_call(score, feasible)
    used = [i for pair in result.pairs for i in pair]
    assert len(used) == len(set(used))
    assert all(feasible[a, b] for a, b in result.pairs)
    best = best_matching(score, feasible)
    found = result.total + PAIR_BONUS * len(result.pairs)
    assert found <= best + 0.05
    if result.optimal:
        assert found >= best - 0.05
    # The cycle-cover heuristic keeps at least half of the best.
    assert found >= best / 2 - 0.05


@settings(deadline=None, max_examples=80)
@given(symmetric)
def test_a_two_sided_call_gets_the_best_matching_exactly(case):
    score, feasible = matrices_from(*case)
    n = score.shape[0]
    sides = [i % 2 for i in range(n)]
    feasible &= np.array(sides)[:, None] != np.array(sides)[None, :]
    result = pair_call(score, feasible, sides=sides)
    assert result.optimal
    assert abs(result.total + PAIR_BONUS * len(result.pairs) - best_matching(score, feasible)) < 0.05


def test_fixed_pairs_are_kept_and_forbidden_ones_never_chosen():
    score = np.array([[0, 90, 10, 10], [90, 0, 10, 10], [10, 10, 0, 80], [10, 10, 80, 0]], dtype=float)
    feasible = score > 0
    assert pair_call(score, feasible).pairs == [(0, 1), (2, 3)]
    assert pair_call(score, feasible, fixed=[(0, 2)]).pairs == [(0, 2), (1, 3)]
    # Pairing every class comes before the best total: forbidding 0-1 breaks up 2-3 too.
    assert pair_call(score, feasible, forbidden=[(0, 1)]).pairs in ([(0, 2), (1, 3)], [(0, 3), (1, 2)])
    assert pair_call(score, feasible, forbidden=[(0, 1), (0, 2), (0, 3)]).alone == [0, 1]
