"""Reports: the annual partnership report and the portfolio review as PDF, and the dashboard's data
as rows for CSV and XLSX (written by ``bips.exports``' formula-safe writer, shared with the lists)."""

from datetime import date
from html import escape
from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accord.core.pdf_fonts import FONT, register_fonts
from accord.evaluation.selectors.dashboard import Dashboard, Shown
from accord.evaluation.selectors.health import PartnershipHealth
from accord.evaluation.selectors.objectives import Tracked
from accord.evaluation.wording import status_label, value_text, warning_text

MARGIN = 16 * mm


def figure_text(shown: Shown) -> str:
    if shown.message:
        return shown.message
    return value_text(shown.figure.value, shown.definition)


def indicator_rows(dashboard: Dashboard) -> list[list[str]]:
    rows = [["indicator", "name", "value", "unit", "domain", "counted", "counts_when", "source", "sdg4"]]
    for shown in dashboard.indicators:
        value = "" if shown.message else str(shown.figure.value)
        rows.append(
            [
                shown.definition.key,
                str(shown.definition.name),
                value or shown.message,
                str(shown.definition.unit),
                str(shown.definition.domain_name),
                str(shown.definition.counted),
                str(shown.definition.counts_when),
                str(shown.definition.source),
                " ".join(shown.definition.sdg_targets),
            ]
        )
    return rows


def series_rows(dashboard: Dashboard) -> list[list[str]]:
    rows = [["academic_year", "outgoing", "incoming", "between_partners", "total", "months"]]
    rows += [
        [r["label"], str(r["out"]), str(r["in"]), str(r["other"]), str(r["total"]), str(r["months"])]
        for r in dashboard.series
    ]
    return rows


def flow_rows(dashboard: Dashboard) -> list[list[str]]:
    rows = [["from_country", "to_country", "mobilities", "south_south"]]
    rows += [
        [f.origin, f.destination, str(f.count), "yes" if f.south_south else "no"] for f in dashboard.flows
    ]
    return rows


def breakdown_rows(shown: Shown) -> list[list[str]]:
    rows = [["key", "label", "mobilities"]]
    if shown.figure is not None:
        rows += [
            [row.key, row.label, "" if row.value is None else str(row.value)]
            for row in shown.figure.breakdown
        ]
    return rows


def all_rows(dashboard: Dashboard) -> list[list[str]]:
    """Every table of a dashboard one after the other, with a blank line between: the data export."""
    rows: list[list[str]] = []
    for table in (indicator_rows(dashboard), series_rows(dashboard), flow_rows(dashboard)):
        rows += [*table, []]
    for shown in dashboard.breakdowns:
        rows += [[str(shown.definition.name)], *breakdown_rows(shown), []]
    return rows


def _styles():
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", body, fontName=f"{FONT}-Bold", fontSize=16, leading=20)
    section = ParagraphStyle(
        "section", body, fontName=f"{FONT}-Bold", fontSize=11, leading=14, spaceBefore=10
    )
    small = ParagraphStyle("small", body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    return body, heading, section, small


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (0, 0), (-1, 0), f"{FONT}-Bold", 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _figures_section(dashboard: Dashboard, styles) -> list:
    body, _heading, section, small = styles
    rows = [[_("Indicator"), _("Value"), _("Definition and source")]]
    for shown in dashboard.indicators:
        definition = shown.definition
        rows.append(
            [
                Paragraph(escape(str(definition.name)), body),
                Paragraph(escape(figure_text(shown)), body),
                Paragraph(
                    escape(
                        f"{definition.counted} {definition.counts_when} {_('Source')}: {definition.source}"
                    ),
                    small,
                ),
            ]
        )
    series = [[_("Academic year"), _("Outgoing"), _("Incoming"), _("Between partners"), _("Total")]]
    series += [[r["label"], r["out"], r["in"], r["other"], r["total"]] for r in dashboard.series]
    return [
        Paragraph(escape(_("Indicators")), section),
        _table(rows, [45 * mm, 40 * mm, 93 * mm]),
        Paragraph(escape(_("Mobilities per academic year")), section),
        _table(series, [35 * mm, 30 * mm, 30 * mm, 40 * mm, 25 * mm]),
    ]


def _build(title: str, story: list) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
    )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.drawString(MARGIN, 8 * mm, f"{title} · {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def partnership_report_pdf(
    *,
    dashboard: Dashboard,
    objectives: list[tuple[object, list[Tracked]]],
    health: PartnershipHealth | None,
    today: date,
) -> bytes:
    styles = _styles()
    body, heading, section, _small = styles
    period = f"{dashboard.period.labels[0]} – {dashboard.period.labels[-1]}"
    title = _("Annual report: %(name)s") % {"name": dashboard.scope.label}
    story: list = [
        Paragraph(escape(title), heading),
        Paragraph(
            escape(
                _("Academic years %(period)s, made on %(day)s") % {"period": period, "day": today.isoformat()}
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        *_figures_section(dashboard, styles),
        Paragraph(escape(_("Objectives")), section),
    ]
    rows = [[_("Objective"), _("Indicator"), _("Latest"), _("Target"), _("Status")]]
    for objective, tracked in objectives:
        for item in tracked:
            latest = item.latest
            rows.append(
                [
                    Paragraph(escape(str(objective)), body),
                    Paragraph(escape(item.indicator.name), body),
                    "" if latest is None else f"{latest.value} ({latest.year})",
                    "" if item.target is None else f"{item.target} ({item.target_year})",
                    Paragraph(escape(str(status_label(item.status))), body),
                ]
            )
    story.append(
        _table(rows, [45 * mm, 45 * mm, 30 * mm, 30 * mm, 28 * mm])
        if len(rows) > 1
        else Paragraph(escape(_("No objectives are recorded.")), body)
    )
    if health is not None:
        story.append(
            Paragraph(escape(_("Health: %(score)s of 100") % {"score": health.assessment.score}), section)
        )
        for warning in health.assessment.warnings:
            story.append(Paragraph(escape(f"• {warning_text(warning)}"), body))
        if not health.assessment.warnings:
            story.append(Paragraph(escape(_("No warnings.")), body))
    return _build(title, story)


def portfolio_review_pdf(*, dashboard: Dashboard, health: list[PartnershipHealth], today: date) -> bytes:
    styles = _styles()
    body, heading, section, _small = styles
    period = f"{dashboard.period.labels[0]} – {dashboard.period.labels[-1]}"
    title = _("Portfolio review: %(name)s") % {"name": dashboard.scope.label}
    story: list = [
        Paragraph(escape(title), heading),
        Paragraph(
            escape(
                _("Academic years %(period)s, made on %(day)s") % {"period": period, "day": today.isoformat()}
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        *_figures_section(dashboard, styles),
        Paragraph(escape(_("Partnerships by health")), section),
    ]
    rows = [[_("Partnership"), _("Health"), _("Activity"), _("Warnings")]]
    for item in health:
        rows.append(
            [
                Paragraph(escape(item.partnership.title), body),
                str(item.assessment.score),
                str(item.assessment.activity),
                Paragraph(
                    escape(" ".join(warning_text(w) for w in item.assessment.warnings) or _("None")), body
                ),
            ]
        )
    story.append(_table(rows, [50 * mm, 18 * mm, 18 * mm, 92 * mm]))
    return _build(title, story)
