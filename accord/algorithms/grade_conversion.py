"""Grade conversion with grade distribution tables (ECTS Users' Guide 2015, EGRACONS method).

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

The module is pure: it imports neither Django nor, until an XLSX file is parsed, openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from itertools import zip_longest
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

HUNDRED_PERCENT = Fraction(100)
LOWEST_EQF_LEVEL = 1
HIGHEST_EQF_LEVEL = 8
# ISCED-F 2013 codes are 2 (broad field), 3 (narrow field) or 4 (detailed field) digits.
ISCED_F_CODE = re.compile(r"[0-9]{2,4}")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
CSV_DELIMITERS = (",", ";", "\t")
GRADE_COLUMN = "grade"
COUNT_COLUMN = "count"
METADATA_KEYS = ("scale", "institution", "isced_code", "eqf_level", "reference_period")


class GradeConversionError(ValueError):
    """Base class for every error raised by this module."""


class GradeTableError(GradeConversionError):
    """A grade distribution table, or the file it was read from, is invalid.

    ``row`` is the 1-based row of the file the problem was found on, when there is one.
    """

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(f"row {row}: {message}" if row is not None else message)
        self.detail = message
        self.row = row


class UnknownGradeError(GradeConversionError):
    """A grade is not part of the table it was looked up in."""

    def __init__(self, grade: str, scale: str, valid_grades: Sequence[str]):
        listed = ", ".join(valid_grades)
        super().__init__(f"grade '{grade}' is not in the {scale} table; valid grades (best first): {listed}")
        self.grade = grade
        self.scale = scale
        self.valid_grades = tuple(valid_grades)


def format_percent(value: Fraction) -> str:
    """Render an exact percentage with one decimal, for explanations and templates."""
    return f"{float(value):.1f}"


@dataclass(frozen=True)
class CumulativeRange:
    """A slice of the percentage line, measured from the best grade (0) to the worst (100)."""

    lower: Fraction
    upper: Fraction

    def __post_init__(self) -> None:
        if not 0 <= self.lower <= self.upper <= HUNDRED_PERCENT:
            raise GradeConversionError(f"invalid cumulative range {self.lower}-{self.upper}")

    @property
    def width(self) -> Fraction:
        """Percentage points covered; zero for a grade that was never awarded."""
        return self.upper - self.lower

    @property
    def lower_percent(self) -> float:
        return float(self.lower)

    @property
    def upper_percent(self) -> float:
        return float(self.upper)

    def overlap(self, other: CumulativeRange) -> Fraction:
        """Percentage points shared with ``other``; zero when the ranges are apart or only touch."""
        return max(Fraction(0), min(self.upper, other.upper) - max(self.lower, other.lower))

    def contains(self, position: Fraction) -> bool:
        """Whether ``position`` lies in the closed range."""
        return self.lower <= position <= self.upper

    def __str__(self) -> str:
        return f"{format_percent(self.lower)}-{format_percent(self.upper)}%"


@dataclass(frozen=True)
class GradeCount:
    """How many times one passing grade was awarded in the reference period."""

    grade: str
    count: int


@dataclass(frozen=True)
class DistributionRow:
    """One line of a grade distribution table with its derived percentages."""

    grade: str
    count: int
    share: Fraction
    cumulative: CumulativeRange

    @property
    def percentage(self) -> float:
        """Percentage of all passing grades that were this grade."""
        return float(self.share)

    @property
    def cumulative_percentage(self) -> float:
        """Percentage of passing grades that were this grade or better (the guide's cumulative %)."""
        return self.cumulative.upper_percent


@dataclass(frozen=True)
class GradeDistribution:
    """A grade distribution table: passing grades of one scale, best first, with their counts."""

    scale: str
    grades: tuple[GradeCount, ...]
    institution: str = ""
    isced_code: str = ""
    eqf_level: int | None = None
    reference_period: str = ""

    def __post_init__(self) -> None:
        # Freeze whatever sequence the caller passed so the table stays immutable and hashable.
        object.__setattr__(self, "grades", tuple(self.grades))
        _check_scale(self.scale)
        _check_grades(self.grades)
        _check_isced_code(self.isced_code)
        _check_eqf_level(self.eqf_level)

    @classmethod
    def from_counts(
        cls,
        scale: str,
        counts: Mapping[str, int] | Iterable[tuple[str, int]],
        *,
        institution: str = "",
        isced_code: str = "",
        eqf_level: int | None = None,
        reference_period: str = "",
    ) -> GradeDistribution:
        """Build a table from ``{grade: count}`` or ``(grade, count)`` pairs, best grade first."""
        pairs = counts.items() if isinstance(counts, Mapping) else counts
        return cls(
            scale=scale,
            grades=tuple(GradeCount(grade, count) for grade, count in pairs),
            institution=institution,
            isced_code=isced_code,
            eqf_level=eqf_level,
            reference_period=reference_period,
        )

    @property
    def labels(self) -> tuple[str, ...]:
        """The grades, best first."""
        return tuple(entry.grade for entry in self.grades)

    @property
    def total(self) -> int:
        """Number of passing grades awarded in the reference period."""
        return sum(entry.count for entry in self.grades)

    @cached_property
    def rows(self) -> tuple[DistributionRow, ...]:
        """Every grade with its share and cumulative range, best first."""
        total = self.total
        rows = []
        awarded_before = 0
        for entry in self.grades:
            awarded_through = awarded_before + entry.count
            cumulative = CumulativeRange(
                Fraction(100 * awarded_before, total), Fraction(100 * awarded_through, total)
            )
            rows.append(DistributionRow(entry.grade, entry.count, cumulative.width, cumulative))
            awarded_before = awarded_through
        return tuple(rows)

    @cached_property
    def _row_by_grade(self) -> dict[str, DistributionRow]:
        return {row.grade: row for row in self.rows}

    def row_for(self, grade: str) -> DistributionRow:
        """The row of ``grade`` (surrounding whitespace ignored); :class:`UnknownGradeError` if absent."""
        try:
            return self._row_by_grade[grade.strip()]
        except KeyError:
            raise UnknownGradeError(grade, self.scale, self.labels) from None


def _check_scale(scale: str) -> None:
    if not isinstance(scale, str) or not scale.strip():
        raise GradeTableError("the grading scale needs a name")


def _check_grades(grades: tuple[GradeCount, ...]) -> None:
    if not grades:
        raise GradeTableError("a grade distribution table needs at least one passing grade")
    seen: set[str] = set()
    for position, entry in enumerate(grades, start=1):
        _check_label(entry.grade, position)
        _check_count(entry.grade, entry.count)
        if entry.grade in seen:
            raise GradeTableError(f"grade '{entry.grade}' appears more than once; each grade is listed once")
        seen.add(entry.grade)
    if not any(entry.count for entry in grades):
        raise GradeTableError("every count is zero; the table needs at least one awarded passing grade")


def _check_label(grade: str, position: int) -> None:
    if not isinstance(grade, str):
        raise GradeTableError(f"grade {grade!r} in position {position} must be text")
    if not grade.strip():
        raise GradeTableError(f"the grade in position {position} has no label")
    if grade != grade.strip():
        raise GradeTableError(f"grade '{grade}' has surrounding whitespace")


def _check_count(grade: str, count: int) -> None:
    # bool is an int subclass, but True as a count is a caller bug rather than "1".
    if isinstance(count, bool) or not isinstance(count, int):
        raise GradeTableError(f"count {count!r} for grade '{grade}' is not a whole number")
    if count < 0:
        raise GradeTableError(f"count for grade '{grade}' is negative ({count})")


def _check_isced_code(code: str) -> None:
    if code and not ISCED_F_CODE.fullmatch(code):
        raise GradeTableError(
            f"ISCED-F code '{code}' must have 2, 3 or 4 digits (broad, narrow or detailed field)"
        )


def _check_eqf_level(level: int | None) -> None:
    if level is not None and not LOWEST_EQF_LEVEL <= level <= HIGHEST_EQF_LEVEL:
        raise GradeTableError(
            f"EQF level must be between {LOWEST_EQF_LEVEL} and {HIGHEST_EQF_LEVEL}, got {level}"
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


Cell = object
NumberedRow = tuple[int, Sequence[Cell]]


def parse_distribution_csv(text: str, *, default_scale: str | None = None) -> GradeDistribution:
    """Read a grade distribution table from CSV text (already decoded; a byte-order mark is ignored).

    Format, shared with :func:`parse_distribution_xlsx`:

    * a header row naming a ``grade`` and a ``count`` column, in any case and position; other columns,
      such as a percentage, are ignored because percentages are always recomputed from the counts;
    * then one row per passing grade, best grade first (a totals row must not be included);
    * blank rows are skipped; a row whose first cell starts with ``#`` is a comment, and a comment
      ``# key: value`` whose key is one of ``METADATA_KEYS`` (any case, spaces or hyphens for the
      underscores) sets that metadata, e.g. ``# scale: Italian 18-30``, ``# ISCED code: 0613``,
      ``# EQF level: 6``, ``# institution: ...``, ``# reference period: 2021/22-2023/24``.

    The delimiter is a comma, semicolon or tab, detected on the header row, since spreadsheet exports
    in many European locales use semicolons. Each record must fit on one line. ``default_scale`` names
    the scale when the file has no ``# scale:`` line. Raises :class:`GradeTableError` carrying the
    row number of the first problem.
    """
    return _table_from_rows(_csv_rows(text.removeprefix("\ufeff")), default_scale)


def parse_distribution_xlsx(
    data: bytes, *, default_scale: str | None = None, sheet: str | None = None
) -> GradeDistribution:
    """Read a grade distribution table from the bytes of an XLSX workbook.

    Reads ``sheet`` (the first worksheet by default) in the format of :func:`parse_distribution_csv`,
    one cell per column; formulas count by their cached value. Raises :class:`GradeTableError`.
    """
    # Imported here so callers that only convert grades do not pay for loading openpyxl.
    from openpyxl import load_workbook

    # Uploaded files can be damaged or unusual in many ways, and openpyxl then raises almost any
    # exception type (even AttributeError for some chart sheets); all of them mean "unreadable".
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise GradeTableError("the file is not a readable .xlsx workbook") from error
    try:
        worksheet = _pick_worksheet(workbook, sheet)
        # Some writers store a wrong sheet size, which would make read-only mode stop early.
        worksheet.reset_dimensions()
        return _table_from_rows(_worksheet_rows(worksheet), default_scale)
    finally:
        workbook.close()


def _pick_worksheet(workbook: Workbook, sheet: str | None) -> ReadOnlyWorksheet:
    worksheets = {worksheet.title: worksheet for worksheet in workbook.worksheets}
    if sheet is None and worksheets:
        return next(iter(worksheets.values()))
    if sheet in worksheets:
        return worksheets[sheet]
    listed = ", ".join(worksheets) or "none"
    raise GradeTableError(f"the workbook has no worksheet '{sheet}'; worksheets: {listed}")


def _worksheet_rows(worksheet: ReadOnlyWorksheet) -> Iterator[NumberedRow]:
    # Read-only mode parses the sheet lazily, so damage inside it only shows up while iterating.
    try:
        # types-openpyxl borrows Worksheet.iter_rows for ReadOnlyWorksheet, self type included.
        yield from enumerate(worksheet.iter_rows(values_only=True), start=1)  # type: ignore[misc]
    except Exception as error:
        raise GradeTableError(f"the worksheet '{worksheet.title}' is damaged and cannot be read") from error


def _csv_rows(text: str) -> Iterator[NumberedRow]:
    delimiter: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if _is_comment(line):
            # Kept whole: a comment's value may itself contain the delimiter.
            yield number, [line]
            continue
        if not line.strip():
            continue
        delimiter = delimiter or _detect_delimiter(line)
        yield number, next(csv.reader([line], delimiter=delimiter))


def _detect_delimiter(header: str) -> str:
    return max(CSV_DELIMITERS, key=header.count)


@dataclass(frozen=True)
class _Header:
    row: int
    grade_column: int
    count_column: int


def _table_from_rows(rows: Iterable[NumberedRow], default_scale: str | None) -> GradeDistribution:
    metadata: dict[str, tuple[str, int]] = {}
    header: _Header | None = None
    entries: list[GradeCount] = []
    row_of_grade: dict[str, int] = {}
    for number, cells in rows:
        if all(_cell_text(cell) == "" for cell in cells):
            continue
        if isinstance(cells[0], str) and _is_comment(cells[0]):
            _read_metadata(cells[0], number, metadata)
        elif header is None:
            header = _read_header(cells, number)
        else:
            entries.append(_read_grade_row(cells, number, header, row_of_grade))
    if header is None:
        raise GradeTableError(f"no header row found; expected columns '{GRADE_COLUMN}' and '{COUNT_COLUMN}'")
    if not entries:
        raise GradeTableError("the table has no grade rows after the header", row=header.row)
    return _build_table(entries, metadata, default_scale)


def _is_comment(text: str) -> bool:
    return text.lstrip().startswith("#")


@contextmanager
def _at_row(row: int) -> Iterator[None]:
    """Attach ``row`` to a :class:`GradeTableError` raised by a check that does not know it."""
    try:
        yield
    except GradeTableError as error:
        if error.row is not None:
            raise
        raise GradeTableError(error.detail, row=row) from None


def _read_metadata(comment: str, row: int, metadata: dict[str, tuple[str, int]]) -> None:
    key, separator, value = comment.lstrip().removeprefix("#").partition(":")
    normalized_key = re.sub(r"[\s-]+", "_", key.strip().lower())
    # Any other comment is free text, such as a note on where the counts came from.
    if not separator or normalized_key not in METADATA_KEYS:
        return
    if normalized_key in metadata:
        first_row = metadata[normalized_key][1]
        raise GradeTableError(f"'{normalized_key}' is already set on row {first_row}", row=row)
    with _at_row(row):
        _check_metadata_value(normalized_key, value.strip())
    metadata[normalized_key] = (value.strip(), row)


def _check_metadata_value(key: str, value: str) -> None:
    if key == "isced_code":
        _check_isced_code(value)
    elif key == "eqf_level":
        if not WHOLE_NUMBER.fullmatch(value):
            raise GradeTableError(f"EQF level '{value}' is not a whole number")
        _check_eqf_level(int(value))


def _read_header(cells: Sequence[Cell], row: int) -> _Header:
    names = [_cell_text(cell).lower() for cell in cells]
    if GRADE_COLUMN not in names or COUNT_COLUMN not in names:
        found = ", ".join(f"'{name}'" for name in names if name) or "nothing"
        raise GradeTableError(
            f"the header needs a '{GRADE_COLUMN}' and a '{COUNT_COLUMN}' column; found {found}", row=row
        )
    return _Header(row, names.index(GRADE_COLUMN), names.index(COUNT_COLUMN))


def _read_grade_row(
    cells: Sequence[Cell], row: int, header: _Header, row_of_grade: dict[str, int]
) -> GradeCount:
    grade = _cell_text(_cell_at(cells, header.grade_column))
    if not grade:
        raise GradeTableError("the grade is missing", row=row)
    if grade in row_of_grade:
        raise GradeTableError(f"grade '{grade}' already appears on row {row_of_grade[grade]}", row=row)
    count = _read_count(_cell_at(cells, header.count_column), grade, row)
    row_of_grade[grade] = row
    return GradeCount(grade, count)


def _read_count(cell: Cell, grade: str, row: int) -> int:
    if _cell_text(cell) == "":
        raise GradeTableError(f"the count for grade '{grade}' is missing", row=row)
    count = _whole_number(cell)
    if count is None:
        text = _cell_text(cell)
        raise GradeTableError(f"count '{text}' for grade '{grade}' is not a whole number", row=row)
    with _at_row(row):
        _check_count(grade, count)
    return count


def _whole_number(cell: Cell) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    # Spreadsheets store every number as a float, so 12.0 is a legitimate count of 12.
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = _cell_text(cell)
    return int(text) if WHOLE_NUMBER.fullmatch(text) else None


def _cell_at(cells: Sequence[Cell], column: int) -> Cell:
    return cells[column] if column < len(cells) else None


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    # A numeric grade typed into a spreadsheet comes back as 10.0; its label is "10".
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _build_table(
    entries: list[GradeCount], metadata: dict[str, tuple[str, int]], default_scale: str | None
) -> GradeDistribution:
    values = {key: value for key, (value, _row) in metadata.items()}
    scale = values.get("scale") or default_scale or ""
    if not scale.strip():
        raise GradeTableError("the table does not name its grading scale: add a '# scale: ...' line")
    eqf_level = values.get("eqf_level")
    return GradeDistribution(
        scale=scale.strip(),
        grades=tuple(entries),
        institution=values.get("institution", ""),
        isced_code=values.get("isced_code", ""),
        eqf_level=int(eqf_level) if eqf_level is not None else None,
        reference_period=values.get("reference_period", ""),
    )
