"""Converting grades between distribution tables: the policies, never-awarded grades, manual conversions
and the side-by-side display.
"""

import pytest
from hypothesis import given, settings

from accord.algorithms.mobility.grade_conversion.conversion import (
    Conversion,
    ConversionMethod,
    ConversionPolicy,
    convert,
    manual_conversion,
    side_by_side,
)
from accord.algorithms.mobility.grade_conversion.distribution import (
    GradeConversionError,
    GradeDistribution,
    UnknownGradeError,
)
from accord.algorithms.tests.mobility.grade_conversion.tables import (
    ECTS,
    ITALIAN,
    SPANISH,
    distributions,
    percent_range,
)

LOWEST, MIDDLE, HIGHEST, LARGEST = (
    ConversionPolicy.LOWEST,
    ConversionPolicy.MIDDLE,
    ConversionPolicy.HIGHEST,
    ConversionPolicy.LARGEST_OVERLAP,
)


# --- conversion ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        # grade: {policy: home grade}; overlaps in comments, as (home grade, shared points)
        ("10", {LOWEST: "30", MIDDLE: "30L", HIGHEST: "30L", LARGEST: "30"}),  # 30L 2, 30 3
        ("9", {LOWEST: "29", MIDDLE: "30", HIGHEST: "30", LARGEST: "30"}),  # 30 5, 29 5
        ("8", {LOWEST: "27", MIDDLE: "28", HIGHEST: "28", LARGEST: "28"}),  # 28 10, 27 10
        ("7", {LOWEST: "24", MIDDLE: "25", HIGHEST: "26", LARGEST: "26"}),  # 26 10, 25 10, 24 5
        ("6", {LOWEST: "21", MIDDLE: "23", HIGHEST: "24", LARGEST: "23"}),  # 24 5, 23 10, 22 8, 21 2
        ("5", {LOWEST: "18", MIDDLE: "20", HIGHEST: "21", LARGEST: "21"}),  # 21 5, 20 5, 19 3, 18 2
    ],
)
def test_spanish_to_italian_for_every_policy(grade, expected):
    for policy, home_grade in expected.items():
        assert convert(grade, SPANISH, ITALIAN, policy).home_grade == home_grade, policy


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("10", {LOWEST: "A", MIDDLE: "A", HIGHEST: "A", LARGEST: "A"}),
        ("8", {LOWEST: "B", MIDDLE: "B", HIGHEST: "B", LARGEST: "B"}),
        ("7", {LOWEST: "C", MIDDLE: "C", HIGHEST: "C", LARGEST: "C"}),
        ("5", {LOWEST: "E", MIDDLE: "D", HIGHEST: "D", LARGEST: "E"}),  # D 5, E 10
    ],
)
def test_spanish_to_ects_letters(grade, expected):
    for policy, home_grade in expected.items():
        assert convert(grade, SPANISH, ECTS, policy).home_grade == home_grade, policy


def test_conversion_reports_the_host_range_and_every_overlap():
    conversion = convert("8", SPANISH, ITALIAN, "largest_overlap")

    assert conversion.method is ConversionMethod.TABLE
    assert conversion.policy is ConversionPolicy.LARGEST_OVERLAP
    assert conversion.host_range == percent_range(15, 35)
    assert [(c.grade, c.cumulative, c.overlap) for c in conversion.overlaps] == [
        ("28", percent_range(15, 25), 10),
        ("27", percent_range(25, 35), 10),
    ]
    assert conversion.overlaps[0].overlap_points == 10.0
    assert not conversion.host_grade_never_awarded
    assert not conversion.is_manual


def test_ranges_that_only_touch_at_a_boundary_do_not_overlap():
    # Italian 27 is 25-35 %: Spanish 7 starts exactly at 35 %, so only Spanish 8 (15-35 %) counts.
    conversion = convert("27", ITALIAN, SPANISH, LOWEST)

    assert [c.grade for c in conversion.overlaps] == ["8"]
    assert conversion.home_grade == "8"
    assert percent_range(15, 35).overlap(percent_range(35, 60)) == 0


def test_middle_takes_the_better_of_the_two_middle_grades_when_their_number_is_even():
    four = convert("5", SPANISH, ITALIAN, MIDDLE)
    three = convert("7", SPANISH, ITALIAN, MIDDLE)

    assert [c.grade for c in four.overlaps] == ["21", "20", "19", "18"]
    assert four.home_grade == "20"
    assert "better of the two middle grades" in four.explanation
    assert three.home_grade == "25"


def test_largest_overlap_breaks_ties_in_favour_of_the_better_grade():
    tie = convert("7", SPANISH, ITALIAN, LARGEST)  # 26 and 25 both share 10 points
    clear = convert("6", SPANISH, ITALIAN, LARGEST)  # 23 shares 10 points, more than any other

    assert tie.home_grade == "26"
    assert "tie between 26 and 25" in tie.explanation
    assert clear.home_grade == "23"


def test_explanation_states_range_overlaps_and_choice_in_plain_words():
    explanation = convert("8", SPANISH, ITALIAN, LOWEST).explanation

    assert "grade 8 spans 15.0-35.0%" in explanation
    assert "28 (15.0-25.0%, sharing 10.0 points) and 27 (25.0-35.0%, sharing 10.0 points)" in explanation
    assert explanation.endswith("The 'lowest' policy takes the worst of them: 27.")


def test_policy_may_be_given_by_name_and_unknown_names_are_refused():
    assert convert("8", SPANISH, ITALIAN, "highest").policy is ConversionPolicy.HIGHEST
    with pytest.raises(GradeConversionError, match=r"unknown conversion policy 'average'.*largest_overlap"):
        convert("8", SPANISH, ITALIAN, "average")


def test_unknown_grade_names_the_grade_and_lists_the_valid_ones():
    with pytest.raises(UnknownGradeError) as caught:
        convert("11", SPANISH, ITALIAN, LOWEST)

    error = caught.value
    assert isinstance(error, ValueError)
    assert error.grade == "11"
    assert error.valid_grades == ("10", "9", "8", "7", "6", "5")
    assert (
        str(error)
        == "grade '11' is not in the Spanish 0-10 table; valid grades (best first): 10, 9, 8, 7, 6, 5"
    )


def test_surrounding_whitespace_in_the_grade_is_ignored():
    assert convert(" 8 ", SPANISH, ITALIAN, HIGHEST).host_grade == "8"


# --- host grades never awarded ---------------------------------------------------------------------

# Never awarded: 10 sits at 0 %, 7 at 45 % (the Italian 26|25 boundary) and 5 at 85 %.
SPARSE_SPANISH = GradeDistribution.from_counts(
    "Spanish 0-10", {"10": 0, "9": 15, "8": 30, "7": 0, "6": 40, "5": 0, "4": 15}
)


@pytest.mark.parametrize("policy", list(ConversionPolicy))
def test_never_awarded_grade_at_the_top_takes_the_home_grade_containing_its_position(policy):
    conversion = convert("10", SPARSE_SPANISH, ITALIAN, policy)

    assert conversion.home_grade == "30L"
    assert conversion.host_grade_never_awarded
    assert conversion.host_range == percent_range(0, 0)
    assert [(c.grade, c.overlap) for c in conversion.overlaps] == [("30L", 0)]
    assert "never awarded" in conversion.explanation


def test_never_awarded_grade_inside_or_at_the_end_of_a_home_range_has_a_single_candidate():
    at_sixty_percent = GradeDistribution.from_counts("S", {"A": 60, "B": 0, "C": 40})
    at_the_bottom = GradeDistribution.from_counts("S", {"A": 100, "E": 0})

    for policy in ConversionPolicy:
        assert convert("B", at_sixty_percent, ITALIAN, policy).home_grade == "24"  # 24 spans 55-65 %
        assert convert("E", at_the_bottom, ITALIAN, policy).home_grade == "18"


def test_never_awarded_grade_on_a_home_boundary_lets_the_policy_choose_between_both_neighbours():
    results = {
        policy: convert("7", SPARSE_SPANISH, ITALIAN, policy).home_grade for policy in ConversionPolicy
    }

    assert results == {LOWEST: "25", MIDDLE: "26", HIGHEST: "26", LARGEST: "26"}
    explanation = convert("7", SPARSE_SPANISH, ITALIAN, LOWEST).explanation
    assert "position at 45.0%" in explanation
    assert "boundary between 26 and 25" in explanation


def test_never_awarded_grade_maps_to_home_grades_never_awarded_at_the_same_position():
    home = GradeDistribution.from_counts("H", {"top": 0, "upper": 45, "gap": 0, "lower": 55})

    assert convert("10", SPARSE_SPANISH, home, LOWEST).home_grade == "top"
    assert convert("7", SPARSE_SPANISH, home, LOWEST).home_grade == "gap"
    assert convert("5", SPARSE_SPANISH, home, HIGHEST).home_grade == "lower"  # 85 % lies inside "lower"
    assert "never awarded either" in convert("7", SPARSE_SPANISH, home, LOWEST).explanation


def test_stacked_never_awarded_grades_keep_their_order():
    two_unused_on_top = GradeDistribution.from_counts("S", {"10": 0, "9": 0, "8": 100})
    one_unused_on_top = GradeDistribution.from_counts("I", {"30L": 0, "30": 100})
    two_unused_at_home = GradeDistribution.from_counts("H", {"A+": 0, "A": 0, "B": 100})

    # Two host grades share the single unused home grade at 0 %.
    assert convert("10", two_unused_on_top, one_unused_on_top, LOWEST).home_grade == "30L"
    assert convert("9", two_unused_on_top, one_unused_on_top, HIGHEST).home_grade == "30L"
    # Each of two host grades meets its own counterpart among two unused home grades.
    assert convert("10", two_unused_on_top, two_unused_at_home, LOWEST).home_grade == "A+"
    assert convert("9", two_unused_on_top, two_unused_at_home, HIGHEST).home_grade == "A"
    # One host grade spans both unused home grades, so the policy decides.
    assert convert("30L", one_unused_on_top, two_unused_at_home, LOWEST).home_grade == "A"
    assert convert("30L", one_unused_on_top, two_unused_at_home, HIGHEST).home_grade == "A+"


# --- manual conversion ----------------------------------------------------------------------------


def test_manual_conversion_records_the_decision_in_the_same_result_type():
    conversion = manual_conversion(" 18/20 ", "30L", "  Partner has no grade table for this field yet ")

    assert isinstance(conversion, Conversion)
    assert conversion.is_manual
    assert (conversion.host_grade, conversion.home_grade) == ("18/20", "30L")
    assert conversion.reason == "Partner has no grade table for this field yet"
    assert conversion.policy is None
    assert conversion.overlaps == ()
    assert conversion.explanation == (
        "Converted 18/20 to 30L manually: Partner has no grade table for this field yet"
    )


@pytest.mark.parametrize(
    ("grade", "home_grade", "reason", "message"),
    [
        ("18", "30", "", "needs a reason"),
        ("18", "30", "   ", "needs a reason"),
        ("", "30", "no table", "needs both the host grade and the home grade"),
        ("18", " ", "no table", "needs both the host grade and the home grade"),
    ],
)
def test_manual_conversion_requires_grades_and_a_reason(grade, home_grade, reason, message):
    with pytest.raises(GradeConversionError, match=message):
        manual_conversion(grade, home_grade, reason)


# --- side by side ------------------------------------------------------------------------------------


def test_side_by_side_pairs_rows_and_pads_the_shorter_table():
    rows = side_by_side(SPANISH, ITALIAN)

    assert len(rows) == 14
    assert (rows[0].host.grade, rows[0].home.grade) == ("10", "30L")
    assert rows[5].host.cumulative == percent_range(85, 100)
    assert rows[6].host is None
    assert rows[13].home.grade == "18"
    assert not any(row.host_is_converted or row.home_overlaps or row.home_is_result for row in rows)


def test_side_by_side_flags_the_converted_grade_its_overlaps_and_the_result():
    rows = side_by_side(SPANISH, ITALIAN, convert("8", SPANISH, ITALIAN, LOWEST))

    assert [row.host.grade for row in rows if row.host_is_converted] == ["8"]
    assert [row.home.grade for row in rows if row.home_overlaps] == ["28", "27"]
    assert [row.home.grade for row in rows if row.home_is_result] == ["27"]


def test_side_by_side_refuses_a_table_conversion_made_with_other_tables():
    with pytest.raises(UnknownGradeError):
        side_by_side(SPANISH, ECTS, convert("8", SPANISH, ITALIAN, LOWEST))


def test_side_by_side_flags_a_manual_conversion_by_label():
    rows = side_by_side(SPANISH, ITALIAN, manual_conversion("9", "29", "table outdated"))

    assert [row.host.grade for row in rows if row.host_is_converted] == ["9"]
    assert [row.home.grade for row in rows if row.home_is_result] == ["29"]
    assert not any(row.home_overlaps for row in rows)


# --- properties --------------------------------------------------------------------------------------


def home_rank(table: GradeDistribution, grade: str) -> int:
    return table.labels.index(grade)


@settings(max_examples=300)
@given(distributions("h"), distributions("k"))
def test_every_host_grade_overlaps_at_least_one_home_grade(host, home):
    for row in host.rows:
        conversion = convert(row.grade, host, home, LARGEST)
        candidates = conversion.overlaps
        ranks = [home_rank(home, c.grade) for c in candidates]

        assert candidates
        assert conversion.home_grade in {c.grade for c in candidates}
        if row.count:
            awarded_in_span = [rank for rank in range(ranks[0], ranks[-1] + 1) if home.rows[rank].count]
            assert ranks == awarded_in_span
            assert all(c.overlap > 0 for c in candidates)
            assert sum(c.overlap for c in candidates) == row.cumulative.width
        else:
            assert all(c.cumulative.contains(row.cumulative.lower) for c in candidates)


@settings(max_examples=300)
@given(distributions("h"), distributions("k"))
def test_a_better_host_grade_never_converts_to_a_worse_home_grade(host, home):
    for policy in ConversionPolicy:
        ranks = [home_rank(home, convert(grade, host, home, policy).home_grade) for grade in host.labels]

        assert ranks == sorted(ranks), policy


@settings(max_examples=300)
@given(distributions())
def test_converting_between_identical_tables_is_the_identity(table):
    for policy in ConversionPolicy:
        assert [convert(grade, table, table, policy).home_grade for grade in table.labels] == list(
            table.labels
        )


@settings(max_examples=300)
@given(distributions("h"), distributions("k"))
def test_highest_is_never_worse_than_middle_which_is_never_worse_than_lowest(host, home):
    for grade in host.labels:
        rank = {
            policy: home_rank(home, convert(grade, host, home, policy).home_grade)
            for policy in ConversionPolicy
        }

        assert rank[HIGHEST] <= rank[MIDDLE] <= rank[LOWEST]
        assert rank[HIGHEST] <= rank[LARGEST] <= rank[LOWEST]
