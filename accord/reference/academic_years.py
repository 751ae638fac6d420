"""Academic years, written as in EWP: two consecutive calendar years, "2026/2027"."""

import re
from dataclasses import dataclass
from datetime import date

_ACADEMIC_YEAR = re.compile(r"([0-9]{4})/([0-9]{4})")
# Four-digit years keep the label in the EWP shape, and the next year must still fit.
_FIRST_START_YEAR = 1000
_LAST_START_YEAR = 9998


@dataclass(frozen=True, order=True, slots=True)
class AcademicYear:
    """The academic year that starts in ``start_year``; ordered by that year."""

    start_year: int

    def __post_init__(self) -> None:
        if isinstance(self.start_year, bool) or not isinstance(self.start_year, int):
            raise TypeError(f"start_year must be an int, not {type(self.start_year).__name__}.")
        if not _FIRST_START_YEAR <= self.start_year <= _LAST_START_YEAR:
            raise ValueError(
                f"{self.start_year} is out of range: an academic year starts in a four-digit year."
            )

    @property
    def end_year(self) -> int:
        """The calendar year in which this academic year ends."""
        return self.start_year + 1

    @property
    def label(self) -> str:
        """The EWP form, "2026/2027"."""
        return f"{self.start_year}/{self.end_year}"

    def next(self) -> "AcademicYear":
        """The academic year after this one."""
        return AcademicYear(self.start_year + 1)

    def previous(self) -> "AcademicYear":
        """The academic year before this one."""
        return AcademicYear(self.start_year - 1)

    def __str__(self) -> str:
        return self.label


def parse_academic_year(text: str) -> AcademicYear:
    """Parse "2026/2027" (surrounding spaces allowed); raise ``ValueError`` saying what is expected."""
    match = _ACADEMIC_YEAR.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"'{text}' is not an academic year: write two consecutive years, such as '2026/2027'."
        )
    start, end = (int(year) for year in match.groups())
    if end != start + 1:
        raise ValueError(
            f"'{text}' is not an academic year: the second year must follow the first, "
            f"as in '{start}/{start + 1}'."
        )
    return AcademicYear(start)


def academic_year_range(first: AcademicYear, last: AcademicYear) -> list[AcademicYear]:
    """Every academic year from ``first`` to ``last`` included; ``ValueError`` if ``last`` is earlier."""
    if last < first:
        raise ValueError(f"{last.label} is before {first.label}: a range must run forwards.")
    return [AcademicYear(year) for year in range(first.start_year, last.start_year + 1)]


def current_academic_year(today: date, start_month: int = 9) -> AcademicYear:
    """The academic year ``today`` falls in, when academic years start on the 1st of ``start_month``."""
    if not 1 <= start_month <= 12:
        raise ValueError(f"start_month must be a month number from 1 to 12, not {start_month}.")
    return AcademicYear(today.year if today.month >= start_month else today.year - 1)
