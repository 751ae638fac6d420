"""Scoring and eligibility of applicants: grades across scales, languages, weights and reasons."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.allocation.selection import (
    CEFR_LEVELS,
    GRADING_SCALES,
    ApplicantProfile,
    CallRules,
    GradingScale,
    PlaceRequirements,
    SelectionError,
    Weights,
    cefr_points,
    eligibility,
    isced_covers,
    motivation_points,
    normalise_grade,
    place_score,
)

MANY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("grade", "scale", "expected"),
    [
        (5, "0-10", 0.0),
        (10, "0-10", 10.0),
        (7.5, "0-10", 5.0),
        (3, "0-10", 0.0),
        (4.0, "de", 0.0),
        (1.0, "de", 10.0),
        (2.5, "de", 5.0),
        (5.0, "de", 0.0),
        (15, "0-20", 5.0),
        (4, "2-5", 5.0),
        (30, "18-30", 10.0),
    ],
)
def test_grades_are_put_on_one_line_from_pass_to_best(grade, scale, expected):
    assert normalise_grade(grade, scale) == pytest.approx(expected)


def test_a_german_1_7_beats_a_german_2_3():
    assert normalise_grade(1.7, "de") > normalise_grade(2.3, "de")


@pytest.mark.parametrize(("grade", "scale"), [(11, "0-10"), (0.5, "de"), (-1, "percent"), (6, "2-5")])
def test_a_grade_outside_its_scale_is_refused_with_the_range(grade, scale):
    with pytest.raises(SelectionError, match=r"outside the .* scale, which runs from"):
        normalise_grade(grade, scale)


def test_unknown_scale_and_non_numbers_are_refused():
    with pytest.raises(SelectionError, match="unknown grading scale 'xx'"):
        normalise_grade(5, "xx")
    with pytest.raises(SelectionError, match="must be a number"):
        normalise_grade(float("nan"), "0-10")
    with pytest.raises(SelectionError, match="pass grade must lie between"):
        GradingScale("bad", "bad", 0, 12, 10)


@given(scale=st.sampled_from(sorted(GRADING_SCALES)), a=st.floats(0, 1), b=st.floats(0, 1))
@MANY
def test_normalisation_is_monotone_towards_the_best_grade_and_within_0_10(scale, a, b):
    chosen = GRADING_SCALES[scale]

    def at(fraction):
        return chosen.worst + fraction * (chosen.best - chosen.worst)

    low, high = sorted((a, b))
    assert 0 <= normalise_grade(at(low), chosen) <= normalise_grade(at(high), chosen) <= 10


def test_cefr_points_rise_with_the_level_and_none_is_zero():
    points = [cefr_points(level) for level in CEFR_LEVELS]
    assert points == sorted(points)
    assert points[-1] == 10
    assert cefr_points(None) == cefr_points("Z9") == 0


def test_isced_broad_and_narrow_codes_cover_their_detailed_fields():
    assert isced_covers("04", "0413")
    assert isced_covers("041", "0413")
    assert not isced_covers("0413", "04")
    assert not isced_covers("05", "0413")


def test_motivation_is_the_mean_of_reviews_rescaled_to_10():
    assert motivation_points([4, 5], 5) == 9.0
    assert motivation_points([], 5) is None


def profile(**overrides):
    values = {
        "grade": 6.0,
        "eqf_level": 6,
        "isced_code": "0613",
        "year_of_study": 2,
        "languages": {"es": "B2"},
    }
    values.update(overrides)
    return ApplicantProfile(**values)


def test_the_score_is_place_specific_through_the_destination_language():
    applicant = profile(languages={"es": "C2", "de": "A2"})
    weights = Weights(grade=1, language=1, motivation=0)

    assert place_score(applicant, weights, "es") > place_score(applicant, weights, "de")
    # Without a known language the best level counts.
    assert place_score(applicant, weights, None) == place_score(applicant, weights, "es")


def test_the_priority_bonus_is_added_on_top():
    weights = Weights(priority_bonus=0.5)
    assert place_score(profile(priority=True), weights) == place_score(profile(), weights) + 0.5


def test_weights_must_be_non_negative_and_not_all_zero():
    with pytest.raises(SelectionError, match="grade weight must not be negative"):
        Weights(grade=-1)
    with pytest.raises(SelectionError, match="at least one"):
        Weights(grade=0, language=0, motivation=0)


unit = st.floats(0, 10, allow_nan=False)
weight = st.floats(0, 100, allow_nan=False)


@given(
    grade=unit, motivation=unit, level=st.sampled_from((None, *CEFR_LEVELS)), wg=weight, wl=weight, wm=weight
)
@MANY
def test_the_score_stays_within_0_10_whatever_the_weights(grade, motivation, level, wg, wl, wm):
    if wg + wl + wm == 0:
        wg = 1.0
    applicant = profile(grade=grade, motivation=motivation, languages={"es": level} if level else {})
    assert 0 <= place_score(applicant, Weights(wg, wl, wm), "es") <= 10


@given(low=unit, high=unit, wg=st.floats(0.01, 100), wl=weight, wm=weight)
@MANY
def test_a_better_grade_never_lowers_the_score(low, high, wg, wl, wm):
    low, high = sorted((low, high))
    weights = Weights(wg, wl, wm)
    assert place_score(profile(grade=low), weights) <= place_score(profile(grade=high), weights)


@given(scale=st.floats(0.1, 100), factor=st.floats(0.1, 100))
@MANY
def test_scaling_all_weights_changes_nothing(scale, factor):
    applicant = profile(grade=7.3, motivation=4.1)
    one = Weights(1 * scale, 2 * scale, 3 * scale)
    other = Weights(1 * scale * factor, 2 * scale * factor, 3 * scale * factor)
    assert place_score(applicant, one) == pytest.approx(place_score(applicant, other), abs=1e-3)


GRANADA = PlaceRequirements("Granada", eqf_levels=(6,), isced_codes=("06",), language="es", min_cefr="B1")


@pytest.mark.parametrize(
    ("applicant", "rules", "reason"),
    [
        (profile(eqf_level=7), CallRules(), "Granada accepts EQF level 6; yours is 7"),
        (profile(isced_code="0413"), CallRules(), "Granada is open to the fields 06; yours is 0413"),
        (profile(languages={"es": "A2"}), CallRules(), "Granada requires CEFR B1 in es; you have A2"),
        (profile(languages={"en": "C2"}), CallRules(), "Granada requires CEFR B1 in es; you have no level"),
        (profile(), CallRules(min_cefr="C1"), "Granada requires CEFR C1 in es; you have B2"),
        (profile(), CallRules(min_grade=7), "at least 7 on the 0-10 scale; yours is 6"),
        (profile(), CallRules(min_year_of_study=3), "open from year 3 of study; you are in year 2"),
        (profile(), CallRules(isced_codes=("0612",)), "the call is open to the fields 0612; yours is 0613"),
    ],
)
def test_each_eligibility_rule_gives_a_plain_reason(applicant, rules, reason):
    assert reason in eligibility(applicant, GRANADA, rules)


def test_an_applicant_meeting_every_rule_is_eligible():
    rules = CallRules(min_grade=5, min_year_of_study=2, min_cefr="B1", eqf_levels=(6, 7))
    assert eligibility(profile(), GRANADA, rules) is None
    assert eligibility(profile(), PlaceRequirements("Anywhere"), CallRules()) is None
