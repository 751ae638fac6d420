"""Funding reports and the Erasmus+ beneficiary export, as CSV or XLSX.

A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``) gets an
apostrophe in front in the CSV, as the other exports do; XLSX cells are written as text, amounts as
numbers."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The columns of the Beneficiary Module's KA131 mobility import file, in its order, as its data
# dictionary names them (checked against the EC wiki's description of the import file; the wiki's
# template itself could not be read: compare with the latest template exported from the project).
BENEFICIARY_COLUMNS = [
    "Mobility ID",
    "Activity Type",
    "Participant First Name",
    "Participant Last Name",
    "Participant Email",
    "Participant with Fewer Opportunities",
    "Sending Organisation",
    "Sending Country",
    "Sending City",
    "Receiving Organisation",
    "Receiving Country",
    "Receiving City",
    "Start Date",
    "End Date",
    "Duration (days)",
    "Travel Days",
    "Green Travel",
    "Distance Band",
    "Individual Support",
    "Travel Grant",
    "Total Grant",
]
BENEFICIARY_ACTIVITY = {
    "student-studies": "SMS - Student mobility for studies",
    "student-traineeship": "SMP - Student mobility for traineeships",
    "student-short-term": "SMS - Short-term blended mobility",
    "staff-teaching": "STA - Staff mobility for teaching",
    "staff-training": "STT - Staff mobility for training",
}


def beneficiary_rows(grants) -> list[list[object]]:
    rows: list[list[object]] = [list(BENEFICIARY_COLUMNS)]
    for grant in grants:
        mobility = grant.mobility
        person = mobility.participant
        travel = [line for line in grant.lines if line.get("component") == "travel"]
        travel_amount = sum((Decimal(line["amount"]) for line in travel), Decimal(0))
        band = travel[0]["label"].split(", ")[-1] if travel else ""
        rows.append(
            [
                str(mobility.pk),
                BENEFICIARY_ACTIVITY.get(grant.activity, grant.activity),
                person.first_name,
                person.last_name,
                person.email,
                "Yes" if grant.fewer_opportunities else "No",
                mobility.sending_organisation.name,
                mobility.sending_organisation.country_code,
                mobility.sending_organisation.city_name,
                mobility.receiving_organisation.name,
                mobility.receiving_organisation.country_code,
                mobility.receiving_organisation.city_name,
                grant.start.isoformat(),
                grant.end.isoformat(),
                (grant.end - grant.start).days + 1,
                grant.travel_days,
                "Yes" if grant.green_travel else "No",
                band,
                grant.total - travel_amount,
                travel_amount,
                grant.total,
            ]
        )
    return rows


def _guarded(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return f"'{cell}"
    return cell


def spreadsheet(rows: list[list[object]], fmt: str, filename: str, sheet_title: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([[_guarded(cell) for cell in row] for row in rows])
        content = buffer.getvalue().encode("utf-8-sig")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title[:31])
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, Decimal | int):
                    cells.append(WriteOnlyCell(sheet, value=value))
                    continue
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            sheet.append(cells)
        output = io.BytesIO()
        workbook.save(output)
        content = output.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
