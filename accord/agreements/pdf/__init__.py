"""An agreement version as a PDF laid out like the European Commission's 2021–2029 IIA template.

Two steps, so that what the document says can be tested without reading a PDF:
:func:`agreement_pdf_data` (:mod:`.data`) gathers everything printed (names, units, contacts,
approvals) as plain frozen dataclasses with a fixed number of queries, and :func:`render_agreement_pdf`
(:mod:`.layout`) lays that data out with reportlab. The version's conditions hash is printed in the
title block and in the footer of every page, so that any printed page can be matched to the exact text
the parties approved.
"""

from accord.agreements.pdf.data import (
    NOT_APPROVED,
    AgreementPdfData,
    ConditionRow,
    LanguageRow,
    PartyData,
    agreement_pdf_data,
)
from accord.agreements.pdf.layout import render_agreement_pdf

__all__ = [
    "NOT_APPROVED",
    "AgreementPdfData",
    "ConditionRow",
    "LanguageRow",
    "PartyData",
    "agreement_pdf_data",
    "render_agreement_pdf",
]
