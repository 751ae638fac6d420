"""The participant list of a BIP as CSV or XLSX, with its attendance per component.

A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``) gets an
apostrophe in front in the CSV, as the directory's exports do; XLSX cells are written as text.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def participant_rows(bip, participants, components, attendance) -> list[list[str]]:
    header = ["name", "email", "institution", "country", "participant", "status", "mobility"]
    header += [f"{component.get_kind_display()} {component.start.isoformat()}" for component in components]
    rows = [header]
    for participant in participants:
        marks = []
        for component in components:
            record = attendance.get((participant.pk, component.pk))
            marks.append("" if record is None else ("attended" if record.attended else "absent"))
        rows.append(
            [
                participant.person.get_full_name() or participant.person.username,
                participant.person.email,
                participant.partner.organisation.name,
                participant.partner.organisation.country_code,
                participant.get_kind_display(),
                participant.get_status_display(),
                str(participant.mobility_id or ""),
                *marks,
            ]
        )
    return rows


def _guarded(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


def participants_export(rows: list[list[str]], fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([[_guarded(cell) for cell in row] for row in rows])
        content = buffer.getvalue().encode("utf-8-sig")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Participants")
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            sheet.append(cells)
        output = io.BytesIO()
        workbook.save(output)
        content = output.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
