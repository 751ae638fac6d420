"""The paired change: known values, the interval's behaviour and its agreement with SciPy's t-test."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from accord.algorithms.surveys import paired_change, pairs

scores = st.floats(min_value=1, max_value=5, allow_nan=False)


def test_a_worked_example():
    pre = [2.0, 3.0, 3.0, 4.0, 2.5]
    post = [3.0, 3.5, 4.0, 4.0, 3.5]
    change = paired_change(pre, post)
    # differences 1, .5, 1, 0, 1: mean .7, sd sqrt(.2) ≈ .4472; t(.975, 4) = 2.7764
    assert change.n == 5
    assert change.mean_change == pytest.approx(0.7)
    assert change.sd_change == pytest.approx(math.sqrt(0.2))
    assert change.ci_low == pytest.approx(0.7 - 2.776445 * math.sqrt(0.2) / math.sqrt(5), abs=1e-5)
    assert change.ci_high == pytest.approx(0.7 + 2.776445 * math.sqrt(0.2) / math.sqrt(5), abs=1e-5)
    assert change.effect_size == pytest.approx(0.7 / math.sqrt(0.2))
    assert change.mean_pre == pytest.approx(2.9)
    assert change.mean_post == pytest.approx(3.6)


def test_equal_changes_have_no_spread_and_no_effect_size():
    change = paired_change([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    assert change.sd_change == 0
    assert change.ci_low == change.ci_high == pytest.approx(1.0)
    assert change.effect_size is None


@pytest.mark.parametrize(
    ("pre", "post", "message"),
    [([1.0], [2.0], "at least two"), ([1.0, 2.0], [2.0], "same people"), ([], [], "at least two")],
)
def test_refuses_what_has_no_interval(pre, post, message):
    with pytest.raises(ValueError, match=message):
        paired_change(pre, post)


def test_pairs_keeps_only_people_measured_twice():
    assert pairs({"a": 2.0, "b": 3.0, "c": None}, {"a": 4.0, "c": 1.0, "d": 5.0}) == [(2.0, 4.0)]


@given(st.lists(st.tuples(scores, scores), min_size=2, max_size=40))
def test_the_interval_holds_the_mean_and_matches_scipys_paired_t_test(data):
    pre = [p for p, _ in data]
    post = [q for _, q in data]
    change = paired_change(pre, post)
    assert change.ci_low <= change.mean_change + 1e-9
    assert change.mean_change <= change.ci_high + 1e-9
    assert change.mean_change == pytest.approx(change.mean_post - change.mean_pre, abs=1e-9)
    if change.sd_change > 0:
        result = stats.ttest_rel(post, pre)
        low, high = result.confidence_interval(0.95)
        assert change.ci_low == pytest.approx(low, abs=1e-7)
        assert change.ci_high == pytest.approx(high, abs=1e-7)


@given(st.lists(st.tuples(scores, scores), min_size=2, max_size=30))
def test_swapping_pre_and_post_mirrors_the_change(data):
    pre = [p for p, _ in data]
    post = [q for _, q in data]
    forward = paired_change(pre, post)
    backward = paired_change(post, pre)
    assert backward.mean_change == pytest.approx(-forward.mean_change, abs=1e-9)
    assert backward.ci_low == pytest.approx(-forward.ci_high, abs=1e-9)
    if forward.effect_size is not None and backward.effect_size is not None:
        assert backward.effect_size == pytest.approx(-forward.effect_size)


@given(st.lists(st.tuples(scores, scores), min_size=3, max_size=30))
def test_a_higher_confidence_gives_a_wider_interval(data):
    pre = [p for p, _ in data]
    post = [q for _, q in data]
    narrow = paired_change(pre, post, confidence=0.9)
    wide = paired_change(pre, post, confidence=0.99)
    assert wide.ci_high - wide.ci_low >= narrow.ci_high - narrow.ci_low - 1e-12
