"""Suppression of small groups, distributions and scale scores."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.surveys import MIN_GROUP, distribution, in_scale, scale_score, shortfall


def test_five_respondents_are_the_minimum():
    assert MIN_GROUP == 5
    assert [shortfall(n) for n in range(7)] == [5, 4, 3, 2, 1, 0, 0]
    with pytest.raises(ValueError):
        shortfall(-1)


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=50))
def test_a_group_shows_exactly_when_it_reaches_the_minimum(n, minimum):
    assert (shortfall(n, minimum) == 0) == (n >= minimum)
    assert n + shortfall(n, minimum) >= minimum


@pytest.mark.parametrize(
    ("value", "ok"), [(1, True), (5, True), (0, False), (6, False), (True, False), ("3", False), (2.0, False)]
)
def test_only_the_points_of_the_scale_are_answers(value, ok):
    assert in_scale(value, 5) is ok


@given(st.lists(st.integers(min_value=1, max_value=7)), st.integers(min_value=7, max_value=10))
def test_a_distribution_counts_every_answer_once(values, points):
    counts = distribution(values, points)
    assert len(counts) == points
    assert sum(counts) == len(values)
    assert all(counts[v - 1] >= 1 for v in values)


def test_an_answer_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="scale of 1 to 5"):
        distribution([1, 6], 5)


def test_a_scale_score_needs_half_of_its_items():
    items = ["a", "b", "c", "d"]
    assert scale_score({"a": 4, "b": 2}, items) == 3
    assert scale_score({"a": 4}, items) is None
    assert scale_score({"a": 4}, []) is None


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(min_value=1, max_value=5)))
def test_a_scale_score_lies_within_the_answers(answers):
    score = scale_score(answers, list("abcdef"))
    if score is not None:
        assert min(answers.values()) <= score <= max(answers.values())
