"""Transcript of records files (CSV or XLSX) read into rows, checked before anything is saved.

Pure Python, no Django import (decision 1); openpyxl is imported only when an XLSX file is read.

Format: a header row naming the columns ``code``, ``title``, ``credits`` and ``grade`` (any case, any
order; ``code`` may be left empty on a row, the others not) and optionally ``term`` (``n/t``), then
one row per component. Blank rows are skipped. CSV may use commas, semicolons or tabs (detected on
the header). Every problem is reported with its row number, all at once, so a registrar can fix the
file in one go; one bad row refuses the whole file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["TranscriptFileError", "TranscriptRow", "parse_transcript_csv", "parse_transcript_xlsx"]

REQUIRED_COLUMNS = ("code", "title", "credits", "grade")
OPTIONAL_COLUMNS = ("term",)
TERM = re.compile(r"[1-9]/[1-9]")
MAX_ROWS = 500
_DELIMITERS = (",", ";", "\t")


class TranscriptFileError(ValueError):
    """``errors`` maps ``"row N"`` (or ``"file"``) to the problems found there."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first_key, first_messages = next(iter(errors.items()))
        super().__init__(f"{first_key}: {first_messages[0]}")


@dataclass(frozen=True, slots=True)
class TranscriptRow:
    row: int
    code: str
    title: str
    credits: Decimal
    grade: str
    term: str = ""


def parse_transcript_csv(text: str) -> tuple[TranscriptRow, ...]:
    return _rows_to_transcript(_csv_rows(text.removeprefix("\ufeff")))


def parse_transcript_xlsx(data: bytes) -> tuple[TranscriptRow, ...]:
    from openpyxl import load_workbook

    # openpyxl raises almost any exception type on a damaged upload; all of them mean "unreadable".
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise TranscriptFileError({"file": ["is not a readable .xlsx workbook"]}) from error
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()
        rows = list(enumerate(worksheet.iter_rows(values_only=True), start=1))
    except Exception as error:
        raise TranscriptFileError({"file": ["the first worksheet is damaged and cannot be read"]}) from error
    finally:
        workbook.close()
    return _rows_to_transcript(rows)


def _csv_rows(text: str) -> Iterator[tuple[int, Sequence[object]]]:
    delimiter: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        delimiter = delimiter or max(_DELIMITERS, key=line.count)
        yield number, next(csv.reader([line], delimiter=delimiter))


def _cell(value: object) -> str:
    if value is None:
        return ""
    # Spreadsheets hand whole numbers back as floats: a grade typed as 9 must read "9", not "9.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_to_transcript(rows: Iterable[tuple[int, Sequence[object]]]) -> tuple[TranscriptRow, ...]:
    columns: dict[str, int] | None = None
    errors: dict[str, list[str]] = {}
    parsed: list[TranscriptRow] = []
    for number, cells in rows:
        texts = [_cell(cell) for cell in cells]
        if not any(texts):
            continue
        if columns is None:
            names = [text.lower() for text in texts]
            missing = [name for name in REQUIRED_COLUMNS if name not in names]
            if missing:
                found = ", ".join(f"'{name}'" for name in names if name) or "nothing"
                raise TranscriptFileError(
                    {f"row {number}": [f"the header needs the columns {', '.join(missing)}; found {found}"]}
                )
            columns = {
                name: names.index(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in names
            }
            continue
        if len(parsed) + len(errors) >= MAX_ROWS:
            raise TranscriptFileError({f"row {number}": [f"a transcript has at most {MAX_ROWS} rows"]})
        row = _read_row(number, texts, columns, errors)
        if row is not None:
            parsed.append(row)
    if columns is None:
        raise TranscriptFileError(
            {"file": [f"no header row; expected columns {', '.join(REQUIRED_COLUMNS)}"]}
        )
    if not parsed and not errors:
        raise TranscriptFileError({"file": ["no component rows after the header"]})
    if errors:
        raise TranscriptFileError(errors)
    return tuple(parsed)


def _read_row(
    number: int, texts: list[str], columns: dict[str, int], errors: dict[str, list[str]]
) -> TranscriptRow | None:
    def value(name: str) -> str:
        index = columns.get(name)
        return texts[index] if index is not None and index < len(texts) else ""

    problems: list[str] = []
    title, grade, term = value("title"), value("grade"), value("term")
    if not title:
        problems.append("the title is missing")
    if not grade:
        problems.append("the grade is missing")
    if term and not TERM.fullmatch(term):
        problems.append(f"term '{term}' is not n/t, such as 1/2")
    credits_text = value("credits").replace(",", ".")
    credits = None
    try:
        credits = Decimal(credits_text)
    except InvalidOperation:
        problems.append(
            f"credits '{value('credits')}' is not a number" if credits_text else "the credits are missing"
        )
    if credits is not None and (not credits.is_finite() or credits < 0):
        problems.append(f"credits must be a number of zero or more, not '{value('credits')}'")
        credits = None
    if problems:
        errors[f"row {number}"] = problems
        return None
    assert credits is not None
    return TranscriptRow(number, value("code"), title, credits, grade, term)
