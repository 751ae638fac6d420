"""Grade distribution tables: their percentages, metadata and validation."""

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given

from accord.algorithms.mobility.grade_conversion.distribution import (
    CumulativeRange,
    GradeCount,
    GradeDistribution,
    GradeTableError,
)
from accord.algorithms.tests.mobility.grade_conversion.tables import (
    SPANISH,
    distributions,
    percent_range,
)

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


# --- properties --------------------------------------------------------------------------------------


@given(distributions())
def test_cumulative_ranges_partition_zero_to_one_hundred(table):
    ranges = [row.cumulative for row in table.rows]

    assert ranges[0].lower == 0
    assert ranges[-1].upper == 100
    assert all(above.upper == below.lower for above, below in pairwise(ranges))
    assert sum(r.width for r in ranges) == 100
    assert all(row.share == Fraction(100 * row.count, table.total) for row in table.rows)
