"""Grade distribution tables read from CSV or XLSX files, every problem reported with its row.

Pure Python: imports neither Django nor, until an XLSX file is parsed, openpyxl. The format is
described in :func:`parse_distribution_csv`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.algorithms.mobility.grade_conversion.distribution import (
    GradeCount,
    GradeDistribution,
    GradeTableError,
    check_count,
    check_eqf_level,
    check_isced_code,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
CSV_DELIMITERS = (",", ";", "\t")
GRADE_COLUMN = "grade"
COUNT_COLUMN = "count"
METADATA_KEYS = ("scale", "institution", "isced_code", "eqf_level", "reference_period")


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
        check_isced_code(value)
    elif key == "eqf_level":
        if not WHOLE_NUMBER.fullmatch(value):
            raise GradeTableError(f"EQF level '{value}' is not a whole number")
        check_eqf_level(int(value))


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
        check_count(grade, count)
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
