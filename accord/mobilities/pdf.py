"""A learning agreement version as a PDF: the components by table, credit totals, signatures with
their times, and the hash of the components on every page so a printout can be matched to the
version signed.
"""

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
from accord.mobilities.choices import MobilityType, Section, SignerRole

_MARGIN = 16 * mm


def render_learning_agreement_pdf(mobility, view) -> bytes:
    """The PDF of one version (a ``selectors.VersionView``) of the mobility's agreement."""
    register_fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", body, fontName=f"{_FONT}-Bold", fontSize=15, leading=19)
    section = ParagraphStyle(
        "section", body, fontName=f"{_FONT}-Bold", fontSize=11, leading=14, spaceBefore=8
    )
    version = view.version
    title = _("Mobility agreement") if mobility.is_staff_mobility else _("Learning agreement")
    story = [
        Paragraph(escape(f"{title} — {_('version')} {version.number}"), heading),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"{_('Participant')}: {mobility.participant} <{mobility.participant.email}>"), body),
        Paragraph(escape(f"{_('Sending institution')}: {mobility.sending_organisation.name}"), body),
        Paragraph(escape(f"{_('Receiving institution')}: {mobility.receiving_organisation.name}"), body),
        Paragraph(
            escape(
                f"{MobilityType(mobility.mobility_type).label}, {mobility.academic_year}: "
                f"{mobility.start.isoformat()} – {mobility.end.isoformat()}"
            ),
            body,
        ),
        Paragraph(escape(f"{_('Status of this version')}: {version.get_status_display()}"), body),
    ]
    for key, components in view.by_section:
        story.append(Paragraph(escape(str(Section(key).label)), section))
        rows = [[_("Code"), _("Title"), _("Term"), _("ECTS")]] + [
            [
                Paragraph(escape(c.code), body),
                Paragraph(escape(c.title), body),
                c.term,
                "" if c.credits is None else format(c.credits, "f"),
            ]
            for c in components
        ]
        rows.append(
            ["", Paragraph(escape(_("Total")), body), "", format(view.totals.get(Section(key).value, 0), "f")]
        )
        table = Table(rows, colWidths=[28 * mm, 100 * mm, 18 * mm, 20 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), _FONT, 8.5),
                    ("FONT", (0, 0), (-1, 0), f"{_FONT}-Bold", 8.5),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    story.append(Paragraph(escape(_("Signatures")), section))
    for role in SignerRole:
        signature = view.signatures.get(role.value)
        text = (
            f"{role.label}: {signature.signer_name} ({signature.signer_position}), "
            f"{signature.signed_at.isoformat(timespec='seconds')}"
            if signature
            else f"{role.label}: {_('not signed')}"
        )
        story.append(Paragraph(escape(text), body))

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 7)
        canvas.drawString(
            _MARGIN, 8 * mm, f"{_('Components hash')} {version.components_hash} · {document.page}"
        )
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=f"{title} {mobility.pk} v{version.number}",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- staff mobility -----------------------------------------------------------------------------


def _styles():
    register_fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", body, fontName=f"{_FONT}-Bold", fontSize=15, leading=19)
    section = ParagraphStyle(
        "section", body, fontName=f"{_FONT}-Bold", fontSize=11, leading=14, spaceBefore=8
    )
    return body, heading, section


def _parties(mobility, body) -> list:
    return [
        Paragraph(
            escape(f"{_('Staff member')}: {mobility.participant} <{mobility.participant.email}>"), body
        ),
        Paragraph(escape(f"{_('Sending institution')}: {mobility.sending_organisation.name}"), body),
        Paragraph(escape(f"{_('Receiving institution')}: {mobility.receiving_organisation.name}"), body),
        Paragraph(escape(f"{MobilityType(mobility.mobility_type).label}, {mobility.academic_year}"), body),
    ]


def _build(story, title: str, footer_text: str) -> bytes:
    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 7)
        canvas.drawString(_MARGIN, 8 * mm, f"{footer_text} · {document.page}")
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=title,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def render_staff_agreement_pdf(mobility, view, programme) -> bytes:
    """One version of a staff mobility agreement: the programme, the contacts and the signatures, with
    the programme's hash on every page."""
    body, heading, section = _styles()
    version = view.version
    title = f"{_('Staff mobility agreement')} — {_('version')} {version.number}"
    story = [Paragraph(escape(title), heading), Spacer(1, 4 * mm), *_parties(mobility, body)]
    hours = "" if programme.teaching_hours is None else format(programme.teaching_hours, "f")
    rows = [
        (_("Activity"), programme.get_activity_display()),
        (_("Planned dates"), f"{programme.planned_start.isoformat()} – {programme.planned_end.isoformat()}"),
        (_("Teaching hours"), hours or "—"),
        (_("Objectives of the mobility"), programme.objectives),
        (_("Activities to be carried out"), programme.activities),
        (_("Expected outcomes and impact"), programme.outcomes),
        (
            _("Contact at the sending institution"),
            f"{programme.sending_contact_name} <{programme.sending_contact_email}>",
        ),
        (
            _("Contact at the receiving institution"),
            f"{programme.receiving_contact_name} <{programme.receiving_contact_email}>",
        ),
        (_("Status of this version"), version.get_status_display()),
    ]
    story.append(Paragraph(escape(_("Programme")), section))
    table = Table(
        [[Paragraph(escape(str(label)), body), Paragraph(escape(str(value)), body)] for label, value in rows],
        colWidths=[50 * mm, 128 * mm],
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story.append(table)
    story.append(Paragraph(escape(_("Signatures")), section))
    labels = {SignerRole.STUDENT: _("Staff member")}
    for role in SignerRole:
        signature = view.signatures.get(role.value)
        label = labels.get(role, role.label)
        text = (
            f"{label}: {signature.signer_name} ({signature.signer_position}), "
            f"{signature.signed_at.isoformat(timespec='seconds')}"
            if signature
            else f"{label}: {_('not signed')}"
        )
        story.append(Paragraph(escape(text), body))
    return _build(story, f"{title} ({mobility.pk})", f"{_('Programme hash')} {version.components_hash}")


def render_staff_certificate_pdf(mobility, certificate, programme) -> bytes:
    """The receiving institution's certificate of attendance: the actual dates and the hours taught."""
    body, heading, section = _styles()
    title = _("Certificate of attendance")
    days = (certificate.actual_end - certificate.actual_start).days + 1
    story = [Paragraph(escape(title), heading), Spacer(1, 4 * mm), *_parties(mobility, body)]
    story.append(Paragraph(escape(_("Attendance confirmed by the receiving institution")), section))
    statement = _(
        "%(receiving)s confirms that %(participant)s carried out the activities of the mobility agreement "
        "from %(start)s to %(end)s (%(days)s days, travel excluded)."
    ) % {
        "receiving": mobility.receiving_organisation.name,
        "participant": mobility.participant,
        "start": certificate.actual_start.isoformat(),
        "end": certificate.actual_end.isoformat(),
        "days": days,
    }
    story.append(Paragraph(escape(statement), body))
    if certificate.teaching_hours is not None:
        hours = format(certificate.teaching_hours, "f")
        story.append(Paragraph(escape(f"{_('Hours taught')}: {hours}"), body))
    if programme is not None:
        story.append(Paragraph(escape(f"{_('Activity')}: {programme.get_activity_display()}"), body))
    story.append(Spacer(1, 6 * mm))
    signed = _("Signed by %(name)s (%(position)s), %(at)s") % {
        "name": certificate.signer_name,
        "position": certificate.signer_position,
        "at": certificate.updated_at.isoformat(timespec="seconds"),
    }
    story.append(Paragraph(escape(signed), body))
    footer = f"{title} · {mobility.receiving_organisation.name} · v{certificate.version}"
    return _build(story, f"{title} {mobility.pk}", footer)
