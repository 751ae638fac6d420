"""Grade distribution tables: passing grades of one scale, best first, with their counts and percentages.

Pure Python, no Django import. A :class:`GradeDistribution` is validated when built (every problem
raises :class:`GradeTableError`) and derives, for each grade, its share of the passing grades and its
slice of the percentage line (:class:`CumulativeRange`), measured from the best grade (0 %) to the
worst (100 %), which is what :mod:`~accord.algorithms.mobility.grade_conversion.conversion` compares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

HUNDRED_PERCENT = Fraction(100)
LOWEST_EQF_LEVEL = 1
HIGHEST_EQF_LEVEL = 8
# ISCED-F 2013 codes are 2 (broad field), 3 (narrow field) or 4 (detailed field) digits.
ISCED_F_CODE = re.compile(r"[0-9]{2,4}")


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
        check_isced_code(self.isced_code)
        check_eqf_level(self.eqf_level)

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
        check_count(entry.grade, entry.count)
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


def check_count(grade: str, count: int) -> None:
    # bool is an int subclass, but True as a count is a caller bug rather than "1".
    if isinstance(count, bool) or not isinstance(count, int):
        raise GradeTableError(f"count {count!r} for grade '{grade}' is not a whole number")
    if count < 0:
        raise GradeTableError(f"count for grade '{grade}' is negative ({count})")


def check_isced_code(code: str) -> None:
    if code and not ISCED_F_CODE.fullmatch(code):
        raise GradeTableError(
            f"ISCED-F code '{code}' must have 2, 3 or 4 digits (broad, narrow or detailed field)"
        )


def check_eqf_level(level: int | None) -> None:
    if level is not None and not LOWEST_EQF_LEVEL <= level <= HIGHEST_EQF_LEVEL:
        raise GradeTableError(
            f"EQF level must be between {LOWEST_EQF_LEVEL} and {HIGHEST_EQF_LEVEL}, got {level}"
        )
