"""Exporting organisations and contacts with the import's columns, as CSV (streamed) or XLSX.

An exported file imports again unchanged (``mode=upsert`` to update the same records). Internal
notes and networks are never exported. Cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-`` or ``@``, such as a phone number "+48…") get an apostrophe in front in
CSV, the usual defence against formula injection; imports take it off again. XLSX cells are
written as text, which is never run, so they need no apostrophe.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from enum import StrEnum

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accord.organisations.models import Contact, Organisation
from accord.organisations.transfer.columns import COLUMNS, EXPORT_LIST_SEPARATOR, Target
from accord.organisations.transfer.reading import FORMULA_PREFIXES
from accord.reference.cities import find_city

_CHUNK = 500


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _city_cell(organisation: Organisation) -> str:
    """The city's name when importing that name finds the same city again, else its GeoNames id."""
    if not organisation.city_geonameid:
        return ""
    found = find_city(organisation.city_name, organisation.country_code)
    if found is not None and found.geonameid == organisation.city_geonameid:
        return organisation.city_name
    return str(organisation.city_geonameid)


def organisation_records(queryset: QuerySet[Organisation]) -> Iterator[list[str]]:
    """One list of cells per organisation, in ``ORGANISATION_COLUMNS`` order."""
    for organisation in queryset.prefetch_related("languages", "fields").iterator(chunk_size=_CHUNK):
        yield [
            organisation.kind,
            organisation.name,
            organisation.abbreviation,
            organisation.schac_code or "",
            organisation.erasmus_code or "",
            organisation.pic or "",
            organisation.ror_id or "",
            organisation.country_code,
            _city_cell(organisation),
            organisation.street_address,
            organisation.postal_code,
            organisation.website,
            EXPORT_LIST_SEPARATOR.join(sorted(lang.language_code for lang in organisation.languages.all())),
            EXPORT_LIST_SEPARATOR.join(sorted(f.isced_code for f in organisation.fields.all())),
            organisation.mission,
            organisation.offers,
            organisation.seeks,
        ]


def contact_records(queryset: QuerySet[Contact]) -> Iterator[list[str]]:
    """One list of cells per contact, in ``CONTACT_COLUMNS`` order. Scope the queryset first."""
    contacts = queryset.select_related("organisation", "unit").order_by(
        "organisation__name", "family_name", "given_name", "pk"
    )
    for contact in contacts.iterator(chunk_size=_CHUNK):
        yield [
            contact.organisation.schac_code or contact.organisation.erasmus_code or "",
            contact.given_name,
            contact.family_name,
            contact.email,
            contact.phone,
            contact.role,
            contact.position,
            contact.unit.code if contact.unit else "",
            contact.visibility,
        ]


def _guarded(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(target: Target, records: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text line by line (for ``StreamingHttpResponse``), starting with a UTF-8 BOM so
    that Excel reads the accents right."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS[target])
    for record in records:
        yield writer.writerow([_guarded(cell) for cell in record])


def csv_text(target: Target, records: Iterable[list[str]]) -> str:
    return "".join(csv_lines(target, records))


def xlsx_bytes(target: Target, records: Iterable[list[str]]) -> bytes:
    """An XLSX workbook with one sheet, every cell written as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=target.value)

    def row(cells: Iterable[str]) -> list[WriteOnlyCell]:
        written = []
        for value in cells:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # never a formula, whatever the text starts with
            written.append(cell)
        return written

    sheet.append(row(COLUMNS[target]))
    for record in records:
        sheet.append(row(record))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
