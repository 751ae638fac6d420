"""The reportlab layout of an agreement PDF: draws what :mod:`.data` gathered, nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from html import escape
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accord.agreements.models import Agreement, AgreementVersion
from accord.agreements.pdf.data import (
    NOT_SPECIFIED,
    AgreementPdfData,
    ConditionRow,
    LanguageRow,
    PartyData,
    agreement_pdf_data,
    moment_text,
)
from accord.core.pdf_fonts import FONT as _FONT
from accord.core.pdf_fonts import register_fonts

# --- the layout -----------------------------------------------------------------------------------

# Hashes are ASCII hex; a fixed width makes them easy to compare group by group with another copy.
_MONO = "Courier"
_EU_BLUE = colors.HexColor("#003399")
_HEADER_FILL = colors.HexColor("#dce6f2")
_GRID = colors.HexColor("#8a9bb5")
_MUTED = colors.HexColor("#555555")
_MARGIN = 16 * mm
_WIDTH = A4[0] - 2 * _MARGIN


@cache
def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=11.5)
    return {
        "body": body,
        "heading": ParagraphStyle(
            "heading",
            body,
            fontName=f"{_FONT}-Bold",
            fontSize=16,
            leading=20,
            alignment=TA_CENTER,
            textColor=_EU_BLUE,
        ),
        "subheading": ParagraphStyle("subheading", body, fontSize=10, leading=13, alignment=TA_CENTER),
        "section": ParagraphStyle(
            "section",
            body,
            fontName=f"{_FONT}-Bold",
            fontSize=11,
            leading=14,
            textColor=_EU_BLUE,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=True,
        ),
        "note": ParagraphStyle(
            "note", body, fontName=f"{_FONT}-Italic", fontSize=7.5, leading=9.5, textColor=_MUTED
        ),
        "cell": ParagraphStyle("cell", body, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", body, fontName=f"{_FONT}-Bold", fontSize=7.5, leading=9.5),
        "hash": ParagraphStyle("hash", body, fontName=f"{_MONO}-Bold", fontSize=8.5, leading=11),
    }


def render_agreement_pdf(agreement: Agreement, version: AgreementVersion) -> bytes:
    """The PDF of ``version`` of ``agreement``; the same data always gives the same bytes."""
    data = agreement_pdf_data(agreement, version)
    register_fonts()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=24 * mm,
        title=f"{data.title} (version {data.version_number})",
        subject=data.heading,
        author="Accord",
        creator="Accord",
        # No creation date or random document id: a re-rendered version is byte-identical.
        invariant=True,
    )
    footer = _footer(data)
    document.build(_story(data), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _footer(data: AgreementPdfData):
    label = f"Version {data.version_number} · conditions hash (SHA-256) "

    def draw(canvas, document) -> None:
        canvas.saveState()
        y = 14 * mm
        canvas.setStrokeColor(_GRID)
        canvas.setLineWidth(0.5)
        canvas.line(_MARGIN, y + 4 * mm, A4[0] - _MARGIN, y + 4 * mm)
        canvas.setFont(_FONT, 7.5)
        canvas.drawString(_MARGIN, y, label)
        canvas.setFont(_MONO, 7.5)
        canvas.drawString(_MARGIN + pdfmetrics.stringWidth(label, _FONT, 7.5), y, data.conditions_hash)
        canvas.setFont(_FONT, 7)
        canvas.setFillColor(_MUTED)
        canvas.drawString(_MARGIN, y - 3.5 * mm, f"{data.heading} · {data.title}"[:120])
        canvas.drawRightString(A4[0] - _MARGIN, y - 3.5 * mm, f"Page {document.page}")
        canvas.restoreState()

    return draw


def _story(data: AgreementPdfData) -> list:
    styles = _styles()
    story: list = [
        Paragraph(_text(data.heading), styles["heading"]),
        Paragraph(_text(data.subheading), styles["subheading"]),
        Spacer(0, 5 * mm),
        _summary(data),
        Spacer(0, 1.5 * mm),
        Paragraph(
            "Each party's approval in Accord records this hash of the cooperation conditions. Any change "
            "to them makes a new version with a new hash, for which earlier approvals do not count.",
            styles["note"],
        ),
    ]
    if data.preamble:
        story += [Spacer(0, 3 * mm), Paragraph(_text(data.preamble), styles["body"])]
    story.append(Paragraph("A. Information about the institutions (parties)", styles["section"]))
    story += [KeepTogether([_party_table(party), Spacer(0, 3 * mm)]) for party in data.parties]
    story.append(Paragraph("B. Mobility numbers per academic year", styles["section"]))
    story.append(
        _conditions_table(data.conditions) if data.conditions else _none("No cooperation conditions.")
    )
    story.append(Paragraph("C. Recommended language skills", styles["section"]))
    story.append(
        _languages_table(data.languages) if data.languages else _none("No language skills recommended.")
    )
    story.append(Paragraph("D. Additional requirements and terms", styles["section"]))
    story.append(_key_values([(label, value or NOT_SPECIFIED) for label, value in data.terms]))
    story.append(
        KeepTogether(
            [
                Paragraph("E. Signatures and approvals", styles["section"]),
                _approvals_table(data),
                Spacer(0, 1.5 * mm),
                Paragraph(
                    f"Signing contacts and dates are those the agreement text names. Approvals are those "
                    f"recorded in Accord for version {data.version_number}, each against the conditions hash "
                    f"{data.conditions_hash}.",
                    styles["note"],
                ),
            ]
        )
    )
    return story


def _summary(data: AgreementPdfData) -> Table:
    version = (
        f"{data.version_number} ({data.version_note})" if data.version_note else str(data.version_number)
    )
    rows = [
        ("Agreement", data.title),
        ("Version", version),
        ("Status of the agreement", data.status),
        ("Version written", moment_text(data.created_at)),
        ("Shared with the partners", moment_text(data.shared_at) if data.shared_at else "not yet shared"),
    ]
    table = _key_values(
        rows, extra=[("Conditions hash (SHA-256)", Paragraph(data.conditions_hash, _styles()["hash"]))]
    )
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, _EU_BLUE)]))
    return table


def _party_table(party: PartyData) -> Table:
    rows = [
        ("Country", party.country),
        ("Erasmus code", party.erasmus_code),
        ("SCHAC code (hei-id)", party.schac_code),
        ("PIC", party.pic),
        ("Faculty / department", party.unit),
        ("Address", party.address),
        ("Website", party.website),
        ("Partner's agreement id / code", party.partner_agreement),
    ]
    return _key_values(
        [(label, value) for label, value in rows if value],
        extra=[("Contact persons", _lines(party.contacts) if party.contacts else _cell(NOT_SPECIFIED))],
        header=_cell(f"Party {party.number}: {party.name}", "head"),
    )


def _conditions_table(conditions: Sequence[ConditionRow]) -> Table:
    header = [
        "#",
        "From → to",
        "Subject area (ISCED-F)",
        "Mobility type",
        "Study cycle (EQF)",
        "Mobilities per year",
        "Total per year",
        "Blended",
        "Academic years",
    ]
    rows: list[list] = [[_cell(text, "head") for text in header]]
    spans = []
    for condition in conditions:
        rows.append(
            [
                _cell(str(condition.number)),
                _lines((condition.sending, f"→ {condition.receiving}")),
                _lines(condition.subject_areas or (NOT_SPECIFIED,)),
                _cell(condition.mobility_type),
                _lines(condition.study_cycles or (NOT_SPECIFIED,)),
                _cell(str(condition.mobilities_per_year)),
                _cell(condition.total_per_year or NOT_SPECIFIED),
                _cell(condition.blended or NOT_SPECIFIED),
                _cell(condition.academic_years),
            ]
        )
        if condition.other_info:
            rows.append(["", _cell(f"Other information: {condition.other_info}")] + [""] * 7)
            spans.append(("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)))
    widths = [6, 29, 34, 21, 24, 16, 15, 14, 19]
    return _grid(rows, [width * mm for width in widths], spans)


def _languages_table(languages: Sequence[LanguageRow]) -> Table:
    header = [
        "Condition",
        "Receiving institution",
        "Subject area (optional)",
        "Language",
        "Recommended level (CEFR)",
    ]
    rows = [[_cell(text, "head") for text in header]] + [
        [
            _cell(str(row.condition_number)),
            _cell(row.receiving),
            _cell(row.subject_area or "all subject areas of the condition"),
            _cell(row.language),
            _cell(row.level or NOT_SPECIFIED),
        ]
        for row in languages
    ]
    return _grid(rows, [width * mm for width in (16, 40, 52, 32, 38)])


def _approvals_table(data: AgreementPdfData) -> Table:
    header = [
        "Institution",
        "Signing contact",
        "Signing date",
        f"Approval of version {data.version_number} in Accord",
        "Signature",
    ]
    rows = [[_cell(text, "head") for text in header]] + [
        [
            _cell(party.name),
            _cell(party.signing_contact or NOT_SPECIFIED),
            _cell(party.signing_date.isoformat() if party.signing_date else NOT_SPECIFIED),
            _cell(party.approval_text, "cell" if party.approval else "head"),
            # Room for a handwritten signature, as in the EC template, for parties that sign on paper.
            Spacer(0, 14 * mm),
        ]
        for party in data.parties
    ]
    return _grid(rows, [width * mm for width in (40, 36, 18, 52, 32)])


def _key_values(rows, *, extra=(), header=None) -> Table:
    cells = [[_cell(label, "head"), _cell(value)] for label, value in rows]
    cells += [[_cell(label, "head"), value] for label, value in extra]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header is not None:
        cells.insert(0, [header, ""])
        style += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL)]
    table = Table(cells, colWidths=[48 * mm, _WIDTH - 48 * mm])
    table.setStyle(TableStyle(style))
    return table


def _grid(rows, widths, extra_style=()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
                ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *extra_style,
            ]
        )
    )
    return table


def _none(text: str) -> Paragraph:
    return Paragraph(_text(text), _styles()["body"])


def _cell(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(_text(text), _styles()[style])


def _lines(lines: Sequence[str]) -> Paragraph:
    return Paragraph("<br/>".join(_text(line) for line in lines), _styles()["cell"])


def _text(text: str) -> str:
    """Text as Paragraph markup: escaped, with line breaks kept (terms are often several lines)."""
    return escape(text, quote=False).replace("\n", "<br/>")
