"""Reading uploaded CSV and XLSX files into rows of text cells. Pure Python (with openpyxl).

CSV must be UTF-8, with or without a byte-order mark; the delimiter (``,`` or ``;``, as spreadsheet
programmes write it in different locales) is taken from the header row. XLSX is read from the
first worksheet, streaming (``read_only``) and taking the values formulas last computed
(``data_only``). Either way the first row names the columns, in any order and any case. Rows are
numbered as a spreadsheet shows them, the header being row 1, so reports point at the right line.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from accord.organisations.transfer.columns import (
    COLUMNS,
    REQUIRED,
    ImportFailed,
    Problem,
    Target,
    refuse,
)

MAX_ROWS = 20_000
# Reading stops this far to the right: no column set comes near it, and a sheet whose formatting
# reaches column XFD would otherwise yield 16,384 empty cells per row.
MAX_COLUMNS = 100
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
# Exports put an apostrophe before a cell that a spreadsheet would run as a formula (see
# ``exporting``); reading takes it off again so that a round trip gives back the same text.
FORMULA_PREFIXES = ("=", "+", "-", "@")
_GUARD = "'"


@dataclass(frozen=True, slots=True)
class Table:
    """The data rows of a file: (row number, {column: stripped text}), blank rows left out."""

    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]


def size_text(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MiB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KiB"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    if text.startswith(_GUARD) and text[1:2] in FORMULA_PREFIXES and len(text) > 1:
        text = text[1:]
    return text


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data:
        raise refuse("The file is neither an XLSX workbook nor CSV text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(
            f"The file is neither an XLSX workbook nor UTF-8 CSV text (byte {exc.start + 1} is not "
            "UTF-8): save it as 'CSV UTF-8' or as an Excel workbook (.xlsx)."
        ) from exc
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in reader:
            yield [cell_text(cell) for cell in record[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise refuse(f"The CSV text cannot be read here: {exc}.", row=reader.line_num or None) from exc


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen types for a damaged or foreign archive
        raise refuse("The file is not a valid XLSX workbook (nor CSV text).") from exc
    try:
        if not workbook.worksheets:
            raise refuse("The workbook has no worksheet.")
        sheet = workbook.worksheets[0]
        try:
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield [cell_text(value) for value in values]
        except ImportFailed:
            raise
        except Exception as exc:
            raise refuse("The workbook is damaged: its first worksheet cannot be read.") from exc
    finally:
        workbook.close()


def _header(
    cells: list[str], known: tuple[str, ...], required: tuple[str, ...]
) -> tuple[list[str], list[Problem]]:
    """The column names in file order ("" where a cell is blank) and what is wrong with them."""
    names = [cell.strip().lower() for cell in cells]
    problems: list[Problem] = []
    named = [name for name in names if name]
    if not named:
        return names, [Problem(1, None, "The first row must name the columns, but it is empty.")]
    unknown = [name for name in dict.fromkeys(named) if name not in known]
    if unknown:
        problems.append(
            Problem(
                1,
                None,
                f"Unknown column{'s' if len(unknown) > 1 else ''} {', '.join(repr(n) for n in unknown)}: "
                f"the columns are {', '.join(known)}.",
            )
        )
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        problems.append(Problem(1, None, f"Repeated column {', '.join(repr(n) for n in repeated)}."))
    missing = [name for name in required if name not in named]
    if missing:
        problems.append(
            Problem(
                1,
                None,
                f"Missing required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(n) for n in missing)}.",
            )
        )
    return names, problems


def read_table(
    data: bytes,
    *,
    target: Target | None = None,
    max_bytes: int,
    max_rows: int = MAX_ROWS,
    columns: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
) -> Table:
    """The file's data rows, or ``ImportFailed`` saying why the file cannot be read as a whole.

    The columns are a ``target``'s, or (for other apps' imports, such as course catalogues) the
    ``columns`` and ``required`` given."""
    if target is not None:
        columns, required = COLUMNS[target], REQUIRED[target]
    if len(data) > max_bytes:
        raise refuse(
            f"The file is {size_text(len(data))}; files of at most {size_text(max_bytes)} can be imported."
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise refuse(f"The file is empty: the first row must name the columns ({', '.join(columns)}).")
    if data.startswith(_OLE2_MAGIC):
        raise refuse("This is an old Excel (.xls) file: save it as an Excel workbook (.xlsx) or CSV UTF-8.")
    records = _xlsx_rows(data) if data.startswith(_ZIP_MAGIC) else _csv_rows(data)

    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, cells in enumerate(records, start=1):
        if header is None:
            if not any(cells):
                continue  # blank rows above the header
            header, header_problems = _header(cells, columns, required)
            if header_problems:
                raise ImportFailed([Problem(number, p.column, p.message) for p in header_problems])
            continue
        if not any(cells):
            continue
        if len(rows) >= max_rows:
            raise refuse(f"The file has more than {max_rows:,} rows; split it into smaller files.")
        extra = [index for index in range(len(header), len(cells)) if cells[index]]
        unnamed = [
            index for index, name in enumerate(header) if not name and index < len(cells) and cells[index]
        ]
        if extra or unnamed:
            problems.append(Problem(number, None, "This row has values in a column without a header."))
            continue
        values = {
            name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header) if name
        }
        rows.append((number, values))
    if header is None:
        raise refuse(f"The file is empty: the first row must name the columns ({', '.join(columns)}).")
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise refuse("The file has a header row but no data rows.")
    return Table(columns=tuple(name for name in header if name), rows=rows)
