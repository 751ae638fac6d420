"""Transcript of records files: CSV and XLSX, every problem reported with its row."""

import io
from decimal import Decimal

import openpyxl
import pytest

from accord.algorithms.mobility.transcript import (
    TranscriptFileError,
    TranscriptRow,
    parse_transcript_csv,
    parse_transcript_xlsx,
)


def test_a_semicolon_csv_with_columns_in_any_order():
    rows = parse_transcript_csv(
        "\ufeffGrade;Title;Code;Credits;Term\n28;Databases;DB1;6,5;1/2\n\n30L;Networks;;5;\n"
    )
    assert rows == (
        TranscriptRow(2, "DB1", "Databases", Decimal("6.5"), "28", "1/2"),
        TranscriptRow(4, "", "Networks", Decimal(5), "30L", ""),
    )


def test_every_bad_row_is_reported_and_nothing_is_returned():
    with pytest.raises(TranscriptFileError) as caught:
        parse_transcript_csv("code,title,credits,grade\nA,,5,B\nB,Ok,-2,C\nC,Ok,x,\n")
    assert caught.value.errors == {
        "row 2": ["the title is missing"],
        "row 3": ["credits must be a number of zero or more, not '-2'"],
        "row 4": ["the grade is missing", "credits 'x' is not a number"],
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("course,points\nA,5\n", "the header needs the columns"),
        ("", "no header row"),
        ("code,title,credits,grade\n", "no component rows"),
    ],
)
def test_malformed_files_say_what_is_wrong(text, message):
    with pytest.raises(TranscriptFileError, match=message):
        parse_transcript_csv(text)


def test_xlsx_files_read_like_csv():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "title", "credits", "grade"])
    sheet.append(["DB1", "Databases", 6.0, 9.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = parse_transcript_xlsx(buffer.getvalue())
    assert (row.credits, row.grade) == (Decimal(6), "9")
    with pytest.raises(TranscriptFileError, match="not a readable"):
        parse_transcript_xlsx(b"not a workbook")
