"""Grade distribution tables read from CSV and XLSX files, and what is refused with which row."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings

from accord.algorithms.mobility.grade_conversion.distribution import GradeDistribution, GradeTableError
from accord.algorithms.mobility.grade_conversion.files import parse_distribution_csv, parse_distribution_xlsx
from accord.algorithms.tests.mobility.grade_conversion.tables import distributions

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


# --- properties --------------------------------------------------------------------------------------


@settings(max_examples=50)
@given(distributions())
def test_a_table_written_as_csv_reads_back_unchanged(table):
    text = "# scale: g scale\ngrade,count\n" + "".join(f"{row.grade},{row.count}\n" for row in table.rows)

    assert parse_distribution_csv(text) == table
