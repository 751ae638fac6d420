"""Converting a grade between two grade distribution tables (ECTS Users' Guide 2015, EGRACONS method).

A grade distribution table lists, for one reference group (an ISCED-F field and a cycle / EQF level),
how many *passing* grades of each value an institution awarded over a reference period, best grade
first. Each grade then owns a slice of the percentage line [0, 100]: it starts at the percentage of
better grades and ends at the cumulative percentage including itself. The slices partition the line.

To convert a grade obtained abroad, the sending (home) institution takes the grade's slice in the
host table, lays it on its own (home) table and looks at the home grades whose slices overlap it.
Because several home grades usually overlap, the institution decides in advance which one it takes:
this module calls that decision the :class:`ConversionPolicy`.

Documented rules
----------------
* Overlap means a shared stretch of positive length. Slices that only touch at a boundary do not
  overlap, so a host grade covering 15-35 % does not overlap a home grade covering 35-45 %.
* ``lowest`` takes the worst overlapping home grade, ``highest`` the best one.
* ``middle`` takes the median of the overlapping home grades in home order. With an even number of
  them it takes the *better* of the two middle grades, giving the student the benefit of the doubt.
* ``largest_overlap`` takes the home grade sharing the most percentage points with the host slice.
  On an exact tie it takes the *better* grade, for the same reason.
* A host grade that was never awarded (count 0) has no slice, only a position: the cumulative
  percentage of the better grades. Its candidates are the home grades at that position:

  - if home grades were never awarded either at exactly that position, those. When several unused
    grades share the position they keep their order, as if each owned an equal share of the point:
    the k-th of m unused host grades there meets the home grades in the k-th of m equal shares of the
    n unused home grades there (exactly the k-th when m = n, so identical tables convert every grade
    to itself);
  - otherwise the awarded home grades whose slice contains the position, which are two when the
    position falls on a boundary.

  The policy then chooses among those candidates as usual; all of them have an overlap of zero, so
  ``largest_overlap`` picks the better one.
* Percentages are exact fractions internally, so boundaries compare exactly; floats are offered only
  for display.

Pure Python, no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import zip_longest

from accord.algorithms.mobility.grade_conversion.distribution import (
    CumulativeRange,
    DistributionRow,
    GradeConversionError,
    GradeDistribution,
    format_percent,
)


class ConversionPolicy(StrEnum):
    """Which of the overlapping home grades a conversion takes (see the module docstring)."""

    LOWEST = "lowest"
    MIDDLE = "middle"
    HIGHEST = "highest"
    LARGEST_OVERLAP = "largest_overlap"


class ConversionMethod(StrEnum):
    """How a conversion was decided."""

    TABLE = "table"
    MANUAL = "manual"


@dataclass(frozen=True)
class OverlappingGrade:
    """A home grade considered for a conversion, with the percentage points it shares."""

    grade: str
    cumulative: CumulativeRange
    overlap: Fraction

    @property
    def overlap_points(self) -> float:
        return float(self.overlap)


@dataclass(frozen=True)
class Conversion:
    """The outcome of converting one host grade into the home scale, by table or manually.

    For a table conversion, ``overlaps`` lists the candidate home grades best first; for a manual one
    it is empty and ``reason`` records why no table was used.
    """

    host_grade: str
    home_grade: str
    method: ConversionMethod
    explanation: str
    policy: ConversionPolicy | None = None
    host_range: CumulativeRange | None = None
    overlaps: tuple[OverlappingGrade, ...] = ()
    host_grade_never_awarded: bool = False
    reason: str = ""

    @property
    def is_manual(self) -> bool:
        return self.method is ConversionMethod.MANUAL


def convert(
    grade: str,
    host_table: GradeDistribution,
    home_table: GradeDistribution,
    policy: ConversionPolicy | str,
) -> Conversion:
    """Convert a host ``grade`` into the home scale by comparing the two distribution tables.

    Raises :class:`UnknownGradeError` when ``grade`` is not in the host table and
    :class:`GradeConversionError` for an unknown policy name.
    """
    chosen_policy = _as_policy(policy)
    host_row = host_table.row_for(grade)
    never_awarded = host_row.count == 0
    if never_awarded:
        candidates = _home_grades_at_position(host_row, host_table, home_table)
    else:
        candidates = _home_grades_overlapping(host_row.cumulative, home_table)
    chosen = _choose(candidates, chosen_policy)
    return Conversion(
        host_grade=host_row.grade,
        home_grade=chosen.grade,
        method=ConversionMethod.TABLE,
        explanation=_explain(host_row, host_table, home_table, candidates, chosen, chosen_policy),
        policy=chosen_policy,
        host_range=host_row.cumulative,
        overlaps=candidates,
        host_grade_never_awarded=never_awarded,
    )


def manual_conversion(grade: str, home_grade: str, reason: str) -> Conversion:
    """Record a conversion decided by a person because no usable distribution table exists."""
    host_label, home_label, stated_reason = grade.strip(), home_grade.strip(), reason.strip()
    if not host_label or not home_label:
        raise GradeConversionError("a manual conversion needs both the host grade and the home grade")
    if not stated_reason:
        raise GradeConversionError("a manual conversion needs a reason, for transparency towards the student")
    return Conversion(
        host_grade=host_label,
        home_grade=home_label,
        method=ConversionMethod.MANUAL,
        explanation=f"Converted {host_label} to {home_label} manually: {stated_reason}",
        reason=stated_reason,
    )


def _as_policy(policy: ConversionPolicy | str) -> ConversionPolicy:
    try:
        return ConversionPolicy(policy)
    except ValueError:
        valid = ", ".join(member.value for member in ConversionPolicy)
        raise GradeConversionError(f"unknown conversion policy '{policy}'; valid policies: {valid}") from None


def _home_grades_overlapping(
    host_range: CumulativeRange, home_table: GradeDistribution
) -> tuple[OverlappingGrade, ...]:
    overlaps = (
        OverlappingGrade(row.grade, row.cumulative, host_range.overlap(row.cumulative))
        for row in home_table.rows
    )
    return tuple(candidate for candidate in overlaps if candidate.overlap > 0)


def _home_grades_at_position(
    host_row: DistributionRow, host_table: GradeDistribution, home_table: GradeDistribution
) -> tuple[OverlappingGrade, ...]:
    position = host_row.cumulative.lower
    home_unused = _never_awarded_at(home_table, position)
    if home_unused:
        host_unused = _never_awarded_at(host_table, position)
        rows = _matching_share(home_unused, host_unused.index(host_row), len(host_unused))
    else:
        rows = [row for row in home_table.rows if row.count > 0 and row.cumulative.contains(position)]
    return tuple(OverlappingGrade(row.grade, row.cumulative, Fraction(0)) for row in rows)


def _never_awarded_at(table: GradeDistribution, position: Fraction) -> list[DistributionRow]:
    return [row for row in table.rows if row.count == 0 and row.cumulative.lower == position]


def _matching_share(home_unused: list[DistributionRow], rank: int, out_of: int) -> list[DistributionRow]:
    # Host grade `rank` of `out_of` owns the share [rank/out_of, (rank+1)/out_of] of the point and home
    # grade j of n owns [j/n, (j+1)/n]; they meet with positive length, as real slices must, exactly
    # when floor(rank*n/out_of) <= j < ceil((rank+1)*n/out_of).
    home_count = len(home_unused)
    first = rank * home_count // out_of
    past_last = -(-(rank + 1) * home_count // out_of)
    return home_unused[first:past_last]


def _choose(candidates: tuple[OverlappingGrade, ...], policy: ConversionPolicy) -> OverlappingGrade:
    # Candidates are in home order, best first, so an index picks a rank.
    if policy is ConversionPolicy.HIGHEST:
        return candidates[0]
    if policy is ConversionPolicy.LOWEST:
        return candidates[-1]
    if policy is ConversionPolicy.MIDDLE:
        # Rounding the index down picks the better of the two middle grades when their number is even.
        return candidates[(len(candidates) - 1) // 2]
    # max() keeps the first of equal maxima, which is the better grade on a tie.
    return max(candidates, key=lambda candidate: candidate.overlap)


def _explain(
    host_row: DistributionRow,
    host_table: GradeDistribution,
    home_table: GradeDistribution,
    candidates: tuple[OverlappingGrade, ...],
    chosen: OverlappingGrade,
    policy: ConversionPolicy,
) -> str:
    if host_row.count == 0:
        placement = _explain_position(host_row, host_table, home_table, candidates)
    else:
        placement = _explain_overlap(host_row, host_table, home_table, candidates)
    return f"{placement} {_explain_choice(candidates, chosen, policy)}"


def _explain_overlap(
    host_row: DistributionRow,
    host_table: GradeDistribution,
    home_table: GradeDistribution,
    candidates: tuple[OverlappingGrade, ...],
) -> str:
    listed = _join(
        f"{candidate.grade} ({candidate.cumulative}, sharing {format_percent(candidate.overlap)} points)"
        for candidate in candidates
    )
    return (
        f"In the host table ({host_table.scale}), grade {host_row.grade} spans {host_row.cumulative} of "
        f"passing grades, counted from the best. On the home table ({home_table.scale}) that range "
        f"overlaps {listed}."
    )


def _explain_position(
    host_row: DistributionRow,
    host_table: GradeDistribution,
    home_table: GradeDistribution,
    candidates: tuple[OverlappingGrade, ...],
) -> str:
    listed = _join(candidate.grade for candidate in candidates)
    if all(candidate.cumulative.width == 0 for candidate in candidates):
        home_side = (
            f"in the home table ({home_table.scale}) that same position holds {listed}, never awarded either."
        )
    elif len(candidates) == 2:
        home_side = f"in the home table ({home_table.scale}) that is the boundary between {listed}."
    else:
        home_side = f"in the home table ({home_table.scale}) that position falls within {listed}."
    return (
        f"Grade {host_row.grade} was never awarded in the host table ({host_table.scale}), so it has no "
        f"range, only a position at {format_percent(host_row.cumulative.lower)}%; {home_side}"
    )


def _explain_choice(
    candidates: tuple[OverlappingGrade, ...], chosen: OverlappingGrade, policy: ConversionPolicy
) -> str:
    if len(candidates) == 1:
        return f"Only one home grade qualifies, so the '{policy}' policy gives {chosen.grade}."
    if policy is ConversionPolicy.HIGHEST:
        return f"The 'highest' policy takes the best of them: {chosen.grade}."
    if policy is ConversionPolicy.LOWEST:
        return f"The 'lowest' policy takes the worst of them: {chosen.grade}."
    if policy is ConversionPolicy.MIDDLE:
        if len(candidates) % 2 == 0:
            return f"The 'middle' policy takes the better of the two middle grades: {chosen.grade}."
        return f"The 'middle' policy takes the middle grade: {chosen.grade}."
    tied = [candidate.grade for candidate in candidates if candidate.overlap == chosen.overlap]
    if len(tied) > 1:
        return (
            f"The 'largest_overlap' policy finds a tie between {_join(tied)} "
            f"and takes the better one: {chosen.grade}."
        )
    return f"The 'largest_overlap' policy takes the grade sharing the most: {chosen.grade}."


def _join(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


@dataclass(frozen=True)
class SideBySideRow:
    """One display line holding the n-th grade of each table; either side is None past its end.

    ``home_overlaps`` marks the home grades a conversion considered, ``home_is_result`` the one it chose.
    """

    host: DistributionRow | None
    home: DistributionRow | None
    host_is_converted: bool = False
    home_overlaps: bool = False
    home_is_result: bool = False


def side_by_side(
    host_table: GradeDistribution, home_table: GradeDistribution, conversion: Conversion | None = None
) -> tuple[SideBySideRow, ...]:
    """Pair the rows of both tables for display, flagging what ``conversion`` looked at.

    A table conversion must come from these tables (:class:`UnknownGradeError` otherwise); a manual
    conversion flags its grades where the tables happen to contain them.
    """
    if conversion is not None and conversion.method is ConversionMethod.TABLE:
        host_table.row_for(conversion.host_grade)
        home_table.row_for(conversion.home_grade)
    converted = conversion.host_grade if conversion else None
    result = conversion.home_grade if conversion else None
    considered = {candidate.grade for candidate in conversion.overlaps} if conversion else set()
    return tuple(
        SideBySideRow(
            host=host,
            home=home,
            host_is_converted=host is not None and host.grade == converted,
            home_overlaps=home is not None and home.grade in considered,
            home_is_result=home is not None and home.grade == result,
        )
        for host, home in zip_longest(host_table.rows, home_table.rows)
    )
