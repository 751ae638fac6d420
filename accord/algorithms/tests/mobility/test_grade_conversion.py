"""Tests for grade conversion with ECTS grade distribution tables.

The hand-computed tables use totals of 100 and 200 so every cumulative boundary is a round
percentage that can be checked by eye.
"""

import io
import subprocess
import sys
import zipfile
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.mobility.grade_conversion import (
    Conversion,
    ConversionMethod,
    ConversionPolicy,
    CumulativeRange,
    GradeConversionError,
    GradeCount,
    GradeDistribution,
    GradeTableError,
    UnknownGradeError,
    convert,
    manual_conversion,
    parse_distribution_csv,
    parse_distribution_xlsx,
    side_by_side,
)

REPO_ROOT = Path(__file__).resolve().parents[4]
LOWEST, MIDDLE, HIGHEST, LARGEST = (
    ConversionPolicy.LOWEST,
    ConversionPolicy.MIDDLE,
    ConversionPolicy.HIGHEST,
    ConversionPolicy.LARGEST_OVERLAP,
)

# Cumulative ranges: 10 [0,5]  9 [5,15]  8 [15,35]  7 [35,60]  6 [60,85]  5 [85,100]
SPANISH = GradeDistribution.from_counts(
    "Spanish 0-10", {"10": 5, "9": 10, "8": 20, "7": 25, "6": 25, "5": 15}, isced_code="0613", eqf_level=6
)
# Out of 200: 30L [0,2]  30 [2,10]  29 [10,15]  28 [15,25]  27 [25,35]  26 [35,45]  25 [45,55]
# 24 [55,65]  23 [65,75]  22 [75,83]  21 [83,90]  20 [90,95]  19 [95,98]  18 [98,100]
ITALIAN = GradeDistribution.from_counts(
    "Italian 18-30",
    [
        ("30L", 4),
        ("30", 16),
        ("29", 10),
        ("28", 20),
        ("27", 20),
        ("26", 20),
        ("25", 20),
        ("24", 20),
        ("23", 20),
        ("22", 16),
        ("21", 14),
        ("20", 10),
        ("19", 6),
        ("18", 4),
    ],
)
# A [0,10]  B [10,35]  C [35,65]  D [65,90]  E [90,100]
ECTS = GradeDistribution.from_counts("ECTS A-E", {"A": 10, "B": 25, "C": 30, "D": 25, "E": 10})


def percent_range(lower: float, upper: float) -> CumulativeRange:
    return CumulativeRange(Fraction(lower), Fraction(upper))


# --- distribution tables ---------------------------------------------------------------------------


def test_rows_give_share_and_cumulative_range_best_first():
    rows = SPANISH.rows

    assert [row.grade for row in rows] == ["10", "9", "8", "7", "6", "5"]
    assert [row.percentage for row in rows] == [5.0, 10.0, 20.0, 25.0, 25.0, 15.0]
    assert [row.cumulative_percentage for row in rows] == [5.0, 15.0, 35.0, 60.0, 85.0, 100.0]
    assert SPANISH.row_for("8").cumulative == percent_range(15, 35)
    assert SPANISH.total == 100


def test_boundaries_are_exact_fractions_when_percentages_do_not_divide_evenly():
    thirds = GradeDistribution.from_counts("thirds", {"A": 1, "B": 1, "C": 1})

    assert [row.cumulative for row in thirds.rows] == [
        CumulativeRange(Fraction(0), Fraction(100, 3)),
        CumulativeRange(Fraction(100, 3), Fraction(200, 3)),
        CumulativeRange(Fraction(200, 3), Fraction(100)),
    ]
    assert str(thirds.row_for("B").cumulative) == "33.3-66.7%"


def test_metadata_is_kept_and_sequences_are_frozen():
    table = GradeDistribution(
        scale="Spanish 0-10",
        grades=[GradeCount("10", 1), GradeCount("9", 3)],
        institution="Universidad de Granada",
        isced_code="061",
        eqf_level=7,
        reference_period="2021/22-2023/24",
    )

    assert table.grades == (GradeCount("10", 1), GradeCount("9", 3))
    assert (table.institution, table.isced_code, table.eqf_level) == ("Universidad de Granada", "061", 7)
    same = GradeDistribution.from_counts(
        "Spanish 0-10",
        [("10", 1), ("9", 3)],
        institution="Universidad de Granada",
        isced_code="061",
        eqf_level=7,
        reference_period="2021/22-2023/24",
    )
    assert table == same
    assert hash(table) == hash(same)


@pytest.mark.parametrize(
    ("scale", "counts", "metadata", "message"),
    [
        ("S", [], {}, "at least one passing grade"),
        ("S", [("A", -1), ("B", 2)], {}, "count for grade 'A' is negative"),
        ("S", [("A", 2.5)], {}, "count 2.5 for grade 'A' is not a whole number"),
        ("S", [("A", True)], {}, "count True for grade 'A' is not a whole number"),
        ("S", [("A", 1), ("A", 2)], {}, "grade 'A' appears more than once"),
        ("S", [("A", 0), ("B", 0)], {}, "every count is zero"),
        ("S", [("A", 1), ("", 2)], {}, "grade in position 2 has no label"),
        ("S", [(" A", 1)], {}, "surrounding whitespace"),
        ("S", [(10, 1)], {}, "grade 10 in position 1 must be text"),
        (" ", [("A", 1)], {}, "scale needs a name"),
        ("S", [("A", 1)], {"isced_code": "6"}, "ISCED-F code '6' must have 2, 3 or 4 digits"),
        ("S", [("A", 1)], {"isced_code": "06131"}, "ISCED-F code"),
        ("S", [("A", 1)], {"eqf_level": 9}, "EQF level must be between 1 and 8, got 9"),
    ],
)
def test_invalid_tables_are_refused_with_a_clear_message(scale, counts, metadata, message):
    with pytest.raises(GradeTableError, match=message) as caught:
        GradeDistribution.from_counts(scale, counts, **metadata)

    assert isinstance(caught.value, ValueError)
    assert caught.value.row is None


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


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_with_metadata_comments_semicolons_and_extra_columns():
    text = (
        "\ufeff# scale: Spanish 0-10\r\n"
        "# Institution: Universidad de Granada, Spain\r\n"
        "# ISCED code: 0613\r\n"
        "# EQF-level: 6\r\n"
        "# Reference period: 2021/22-2023/24\r\n"
        "# Exported from the registrar on 2024-09-01\r\n"
        "\r\n"
        "Grade;Count;Percentage\r\n"
        "10;5;5\r\n"
        "9;10;10\r\n"
        "\r\n"
        "8;85;85\r\n"
    )

    table = parse_distribution_csv(text)

    assert table == GradeDistribution.from_counts(
        "Spanish 0-10",
        [("10", 5), ("9", 10), ("8", 85)],
        institution="Universidad de Granada, Spain",
        isced_code="0613",
        eqf_level=6,
        reference_period="2021/22-2023/24",
    )


def test_csv_columns_may_come_in_any_order_and_grades_may_be_quoted():
    table = parse_distribution_csv('count,grade\n4,"30, cum laude"\n16,30\n', default_scale="Italian")

    assert table.labels == ("30, cum laude", "30")
    assert table.scale == "Italian"


def test_csv_tab_delimited():
    assert parse_distribution_csv("grade\tcount\nA\t1\nB\t3\n", default_scale="ECTS").total == 4


def test_scale_named_in_the_file_wins_over_the_default():
    table = parse_distribution_csv("# scale: French 0-20\ngrade,count\n16,3\n", default_scale="other")

    assert table.scale == "French 0-20"


def test_csv_without_any_scale_name_is_refused():
    with pytest.raises(GradeTableError, match="does not name its grading scale"):
        parse_distribution_csv("grade,count\nA,1\n")


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        (
            "grade,percent\n10,5\n",
            1,
            "the header needs a 'grade' and a 'count' column; found 'grade', 'percent'",
        ),
        ("# scale: S\n\ngrade,count\n10,5\n9,abc\n", 5, "count 'abc' for grade '9' is not a whole number"),
        ("grade,count\n10,2.5\n", 2, "count '2.5' for grade '10' is not a whole number"),
        ("grade,count\n10,5\n9,-3\n", 3, "count for grade '9' is negative \\(-3\\)"),
        ("grade,count\n10,5\n9,3\n# note\n10,1\n", 5, "grade '10' already appears on row 2"),
        ("grade,count\n10,5\n8\n", 3, "the count for grade '8' is missing"),
        ("grade,count\n10,5\n,4\n", 3, "the grade is missing"),
        ("# scale: S\ngrade,count\n\n", 2, "the table has no grade rows after the header"),
        ("# scale: S\n# scale: T\ngrade,count\nA,1\n", 2, "'scale' is already set on row 1"),
        ("# EQF level: six\ngrade,count\nA,1\n", 1, "EQF level 'six' is not a whole number"),
        ("# scale: S\n# eqf level: 9\ngrade,count\nA,1\n", 2, "EQF level must be between 1 and 8"),
        ("# isced code: 6\ngrade,count\nA,1\n", 1, "ISCED-F code '6'"),
    ],
)
def test_malformed_csv_reports_the_row(text, row, message):
    with pytest.raises(GradeTableError, match=f"^row {row}: {message}") as caught:
        parse_distribution_csv(text, default_scale="S")

    assert caught.value.row == row


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header row found"),
        ("# scale: S\n\n", "no header row found"),
        ("grade,count\nA,0\nB,0\n", "every count is zero"),
    ],
)
def test_csv_problems_without_a_single_row(text, message):
    with pytest.raises(GradeTableError, match=message) as caught:
        parse_distribution_csv(text, default_scale="S")

    assert caught.value.row is None


# --- XLSX ------------------------------------------------------------------------------------------


def xlsx_bytes(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title)
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                if value is not None:
                    worksheet.cell(row=row_number, column=column_number, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_metadata_numeric_cells_and_a_header_below_blank_rows():
    data = xlsx_bytes(
        (
            "Grades",
            [
                ["# scale: Italian 18-30"],
                ["# ISCED code: 0613"],
                [],
                [None, "Grade", "Count", "Cumulative %"],
                [None, "30L", 4, 2],
                [None, 30, 16.0, 10],
                [None, 29.5, 180, 100],
            ],
        )
    )

    table = parse_distribution_xlsx(data)

    assert table == GradeDistribution.from_counts(
        "Italian 18-30", [("30L", 4), ("30", 16), ("29.5", 180)], isced_code="0613"
    )


def test_xlsx_reads_the_named_sheet():
    data = xlsx_bytes(("Notes", [["nothing here"]]), ("Table", [["grade", "count"], ["A", 3]]))

    assert parse_distribution_xlsx(data, sheet="Table", default_scale="ECTS").labels == ("A",)
    with pytest.raises(GradeTableError, match="no worksheet 'Other'; worksheets: Notes, Table"):
        parse_distribution_xlsx(data, sheet="Other", default_scale="ECTS")


@pytest.mark.parametrize(
    ("rows", "row", "message"),
    [
        ([["grade", "number"], ["A", 1]], 1, "the header needs a 'grade' and a 'count' column"),
        ([["grade", "count"], ["A", 2.5]], 2, "count '2.5' for grade 'A' is not a whole number"),
        ([["grade", "count"], ["A", "many"]], 2, "count 'many' for grade 'A' is not a whole number"),
        ([["grade", "count"], ["A", 1], ["B", -2]], 3, "count for grade 'B' is negative"),
        ([["grade", "count"], [10, 1], [9, 1], [10.0, 2]], 4, "grade '10' already appears on row 2"),
        ([["grade", "count"], ["A", 1], ["B", "=A2*2"]], 3, "the count for grade 'B' is missing"),
        ([[], ["grade", "count"], [], []], 2, "the table has no grade rows after the header"),
    ],
)
def test_malformed_xlsx_reports_the_row(rows, row, message):
    with pytest.raises(GradeTableError, match=f"^row {row}: {message}"):
        parse_distribution_xlsx(xlsx_bytes(("Sheet", rows)), default_scale="S")


@pytest.mark.parametrize("data", [b"grade,count\nA,1\n", b"PK\x03\x04 truncated", b""])
def test_bytes_that_are_not_a_workbook_are_refused(data):
    with pytest.raises(GradeTableError, match=r"not a readable \.xlsx workbook"):
        parse_distribution_xlsx(data, default_scale="S")


def test_a_chart_sheet_only_workbook_is_refused():
    workbook = openpyxl.Workbook()
    workbook.create_chartsheet("Chart", 0)
    workbook.remove(workbook["Sheet"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(GradeTableError, match=r"not a readable \.xlsx workbook"):
        parse_distribution_xlsx(buffer.getvalue(), default_scale="S")


def test_a_damaged_worksheet_is_refused():
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes(("Sheet", [["grade", "count"], ["A", 1]]))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in original.infolist():
            content = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            damaged.writestr(item, content)

    with pytest.raises(GradeTableError, match="worksheet 'Sheet' is damaged and cannot be read"):
        parse_distribution_xlsx(buffer.getvalue(), default_scale="S")


def run_and_report_django(body: str) -> subprocess.CompletedProcess[str]:
    """Run ``body`` in a fresh interpreter, which exits with 1 if anything imported Django."""
    script = f"import sys\n{body}\nsys.exit('django' in sys.modules)\n"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )


def test_importing_the_module_does_not_import_django():
    result = run_and_report_django("import accord.algorithms.mobility.grade_conversion")

    assert result.returncode == 0, result.stderr


def test_parsing_csv_and_xlsx_does_not_import_django():
    body = (
        "import io, openpyxl\n"
        "from accord.algorithms.mobility.grade_conversion import (\n"
        "    parse_distribution_csv, parse_distribution_xlsx,\n"
        ")\n"
        "workbook = openpyxl.Workbook()\n"
        "workbook.active.append(['grade', 'count'])\n"
        "workbook.active.append(['A', 1])\n"
        "buffer = io.BytesIO()\n"
        "workbook.save(buffer)\n"
        "parse_distribution_xlsx(buffer.getvalue(), default_scale='S')\n"
        "parse_distribution_csv('grade,count\\nA,1\\n', default_scale='S')"
    )
    result = run_and_report_django(body)

    assert result.returncode == 0, result.stderr


# --- properties --------------------------------------------------------------------------------------


@st.composite
def distributions(draw: st.DrawFn, prefix: str = "g") -> GradeDistribution:
    counts = draw(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=10).filter(any))
    return GradeDistribution.from_counts(
        f"{prefix} scale", [(f"{prefix}{i}", n) for i, n in enumerate(counts)]
    )


def home_rank(table: GradeDistribution, grade: str) -> int:
    return table.labels.index(grade)


@given(distributions())
def test_cumulative_ranges_partition_zero_to_one_hundred(table):
    ranges = [row.cumulative for row in table.rows]

    assert ranges[0].lower == 0
    assert ranges[-1].upper == 100
    assert all(above.upper == below.lower for above, below in pairwise(ranges))
    assert sum(r.width for r in ranges) == 100
    assert all(row.share == Fraction(100 * row.count, table.total) for row in table.rows)


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


@settings(max_examples=50)
@given(distributions())
def test_a_table_written_as_csv_reads_back_unchanged(table):
    text = "# scale: g scale\ngrade,count\n" + "".join(f"{row.grade},{row.count}\n" for row in table.rows)

    assert parse_distribution_csv(text) == table
