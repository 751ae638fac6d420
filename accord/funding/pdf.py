"""PDFs of funding: a participant's grant agreement (every amount line by line, the payment schedule
and the rules it was computed with) and a financial summary of one budget."""

from html import escape
from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accord.core.pdf_fonts import FONT as _FONT
from accord.core.pdf_fonts import register_fonts

_MARGIN = 16 * mm


def _styles():
    register_fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", body, fontName=f"{_FONT}-Bold", fontSize=15, leading=19)
    section = ParagraphStyle(
        "section", body, fontName=f"{_FONT}-Bold", fontSize=11, leading=14, spaceBefore=8
    )
    return body, heading, section


def _table(rows, widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _FONT),
                ("FONTNAME", (0, 0), (-1, 0), f"{_FONT}-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _build(story) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN, bottomMargin=_MARGIN
    )
    document.build(story)
    return buffer.getvalue()


def render_grant_agreement_pdf(detail) -> bytes:
    """The grant agreement of a ``selectors.GrantDetail``."""
    body, heading, section = _styles()
    grant = detail.grant
    mobility = grant.mobility
    version = grant.rule_set_version
    rules = version.data
    story = [
        Paragraph(escape(_("Grant agreement")), heading),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"{_('Participant')}: {mobility.participant} <{mobility.participant.email}>"), body),
        Paragraph(escape(f"{_('Sending institution')}: {mobility.sending_organisation.name}"), body),
        Paragraph(escape(f"{_('Receiving institution')}: {mobility.receiving_organisation.name}"), body),
        Paragraph(escape(f"{_('Dates')}: {grant.start.isoformat()} – {grant.end.isoformat()}"), body),
        Paragraph(
            escape(
                f"{_('Rules')}: {rules.get('name', version.rule_set.key)} ({_('version')} {version.number}); "
                f"{rules.get('document', '')}"
            ),
            body,
        ),
        Paragraph(escape(_("How the grant is computed")), section),
    ]
    rows = [[_("Item"), _("Quantity"), _("Rate"), _("Amount")]]
    rows += [
        [Paragraph(escape(line["label"]), body), line["quantity"], line["rate"], line["amount"]]
        for line in grant.lines
    ]
    rows.append([Paragraph(escape(_("Total")), body), "", "", f"{grant.total} {grant.currency}"])
    story.append(_table(rows, [95 * mm, 22 * mm, 25 * mm, 36 * mm]))
    if grant.distance_override_km is not None:
        story.append(
            Paragraph(
                escape(
                    _("Distance used: %(km)s km instead of %(computed)s km, because: %(reason)s")
                    % {
                        "km": grant.distance_override_km,
                        "computed": grant.distance_km or "—",
                        "reason": grant.distance_override_reason,
                    }
                ),
                body,
            )
        )
    story.append(Paragraph(escape(_("Payments")), section))
    schedule = [[_("Instalment"), _("Amount")]] + [
        [payment.label, str(payment.amount)] for payment in detail.schedule
    ]
    story.append(_table(schedule, [120 * mm, 58 * mm]))
    if detail.shares and len(detail.shares) > 1:
        story.append(Paragraph(escape(_("Who pays what")), section))
        shares = [[_("Funder"), _("Amount")]] + [
            [Paragraph(escape(f"{share.budget.funder} — {share.explanation}"), body), str(share.amount)]
            for share in detail.shares
        ]
        story.append(_table(shares, [120 * mm, 58 * mm]))
    story += [
        Spacer(1, 10 * mm),
        Paragraph(escape(_("Signature of the participant")) + " ____________________", body),
        Spacer(1, 6 * mm),
        Paragraph(escape(_("For the sending institution")) + " ____________________", body),
    ]
    return _build(story)


def render_budget_summary_pdf(position, rows) -> bytes:
    """A budget's financial summary: amount, committed, paid, remaining, and its grants."""
    body, heading, section = _styles()
    budget = position.budget
    story = [
        Paragraph(escape(_("Financial summary")), heading),
        Paragraph(escape(f"{budget.funder} — {budget.name} ({budget.year}) {budget.reference}"), body),
        Spacer(1, 4 * mm),
        _table(
            [
                [_("Budget"), _("Committed"), _("Paid"), _("Remaining")],
                [str(budget.amount), str(position.committed), str(position.paid), str(position.remaining)],
            ]
        ),
        Paragraph(escape(_("Grants")), section),
    ]
    lines = [[_("Participant"), _("Share"), _("Dates")]] + [
        [
            Paragraph(escape(str(share.grant.mobility.participant)), body),
            str(share.amount),
            f"{share.grant.start.isoformat()} – {share.grant.end.isoformat()}",
        ]
        for share in rows
    ]
    story.append(_table(lines, [80 * mm, 40 * mm, 58 * mm]))
    return _build(story)
