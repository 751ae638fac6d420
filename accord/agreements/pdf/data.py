"""What an agreement PDF prints, gathered as plain data with a fixed number of queries."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from django.utils import timezone

from accord.agreements.choices import AgreementStatus
from accord.agreements.models import Agreement, AgreementVersion
from accord.algorithms.agreements.content import (
    STUDENT_MOBILITY_TYPES,
    AgreementContent,
    CooperationCondition,
    content_from_dict,
    decimal_text,
)
from accord.organisations.models import Organisation, OrganisationalUnit
from accord.reference.cefr import get_cefr
from accord.reference.countries import country_name
from accord.reference.eqf import get_eqf
from accord.reference.isced import isced_label
from accord.reference.languages import language_name

NOT_APPROVED = "not approved"
NOT_SPECIFIED = "—"

_HEADINGS = {
    "erasmus_iia": "Inter-institutional agreement 2021–2029",
    "memorandum_of_understanding": "Memorandum of understanding",
    "specific_agreement": "Specific agreement",
    "other": "Partnership agreement",
}
_SUBHEADINGS = {
    "erasmus_iia": "Erasmus+ higher education mobility between the institutions named below",
}
_MOBILITY_LABELS = {
    "student_studies": "Student mobility for studies",
    "student_traineeship": "Student mobility for traineeships",
    "staff_teaching": "Staff mobility for teaching",
    "staff_training": "Staff mobility for training",
}
# The wording of the EC template's preamble, kept for Erasmus+ agreements only: other agreements are not
# bound by the Erasmus Charter.
_ERASMUS_PREAMBLE = (
    "The institutions named below agree to cooperate for the exchange of students and/or staff in the "
    "context of the Erasmus+ programme. They commit to respect the quality requirements of the Erasmus "
    "Charter for Higher Education in all aspects related to the organisation and management of the "
    "mobility, in particular the automatic recognition of the credits awarded to students by the partner "
    "institution."
)


# --- the data printed -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ApprovalData:
    approved_by: str
    approved_at: datetime
    # False only if an approval recorded a hash other than its version's, which the services refuse;
    # printed rather than hidden, because the document exists to settle such doubts.
    hash_matches: bool


@dataclasses.dataclass(frozen=True, slots=True)
class PartyData:
    """One partner of the version, as section A and E print it."""

    number: int
    name: str
    short_name: str
    country: str
    erasmus_code: str
    schac_code: str
    pic: str
    unit: str
    address: str
    website: str
    partner_agreement: str
    contacts: tuple[str, ...]
    signing_contact: str
    signing_date: date | None
    approval: ApprovalData | None

    @property
    def approval_text(self) -> str:
        """What section E says of the approval: "Approved by Ada Nowak on 2026-03-01 14:05 UTC"."""
        if self.approval is None:
            return NOT_APPROVED
        text = f"Approved by {self.approval.approved_by} on {moment_text(self.approval.approved_at)}"
        return text if self.approval.hash_matches else f"{text}, for a different conditions hash"


@dataclasses.dataclass(frozen=True, slots=True)
class ConditionRow:
    """One cooperation condition, as a row of section B."""

    number: int
    sending: str
    receiving: str
    subject_areas: tuple[str, ...]
    mobility_type: str
    study_cycles: tuple[str, ...]
    mobilities_per_year: int
    total_per_year: str
    blended: str
    academic_years: str
    other_info: str


@dataclasses.dataclass(frozen=True, slots=True)
class LanguageRow:
    """One recommended language skill, as a row of section C."""

    condition_number: int
    receiving: str
    subject_area: str
    language: str
    level: str


@dataclasses.dataclass(frozen=True, slots=True)
class AgreementPdfData:
    heading: str
    subheading: str
    preamble: str
    title: str
    status: str
    version_number: int
    version_note: str
    created_at: datetime
    shared_at: datetime | None
    conditions_hash: str
    parties: tuple[PartyData, ...]
    conditions: tuple[ConditionRow, ...]
    languages: tuple[LanguageRow, ...]
    terms: tuple[tuple[str, str], ...]


def agreement_pdf_data(agreement: Agreement, version: AgreementVersion) -> AgreementPdfData:
    """Everything the PDF of ``version`` prints, read in four queries.

    Parties come from the version's own partner list (not the agreement's current parties), so that an
    older version prints as it was; contacts are the agreement's contacts at each party.
    """
    content = content_from_dict(version.content)
    organisation_ids = [int(p.organisation_ref) for p in content.partners if p.organisation_ref.isdigit()]
    organisations = Organisation.objects.in_bulk(organisation_ids)
    units = _unit_names(content)
    contacts: dict[int, list[str]] = {}
    for contact in agreement.contacts.filter(organisation_id__in=organisation_ids).select_related("unit"):
        contacts.setdefault(contact.organisation_id, []).append(_contact_text(contact))
    approvals = {
        approval.organisation_id: ApprovalData(
            approved_by=str(approval.approved_by) if approval.approved_by else "a user since removed",
            approved_at=approval.approved_at,
            hash_matches=approval.conditions_hash == version.conditions_hash,
        )
        for approval in version.approvals.select_related("approved_by")
    }

    parties = []
    for index, partner in enumerate(content.partners):
        organisation = (
            organisations.get(int(partner.organisation_ref)) if partner.organisation_ref.isdigit() else None
        )
        parties.append(_party(index, partner, organisation, units, contacts, approvals))
    agreement_type = content.terms.agreement_type
    return AgreementPdfData(
        heading=_HEADINGS[agreement_type],
        subheading=_SUBHEADINGS.get(agreement_type, "between the institutions named below"),
        preamble=_ERASMUS_PREAMBLE if agreement_type == "erasmus_iia" else "",
        title=agreement.title,
        status=str(AgreementStatus(agreement.status).label),
        version_number=version.number,
        version_note=_version_note(agreement, version),
        created_at=version.created_at,
        shared_at=version.shared_at,
        conditions_hash=version.conditions_hash,
        parties=tuple(parties),
        conditions=tuple(
            _condition_row(number, condition, parties, units)
            for number, condition in enumerate(content.conditions, start=1)
        ),
        languages=tuple(
            LanguageRow(
                condition_number=number,
                receiving=parties[condition.receiving_partner].short_name,
                subject_area=_subject_text(skill.isced_code, skill.clarification) if skill.isced_code else "",
                language=language_name(skill.language),
                level=_cefr_text(skill.cefr_level),
            )
            for number, condition in enumerate(content.conditions, start=1)
            for skill in condition.language_skills
        ),
        terms=_terms(content),
    )


def _party(index, partner, organisation, units, contacts, approvals) -> PartyData:
    # A partner Accord does not hold is known only by its hei-id; print what the document says of it.
    name = organisation.name if organisation else (partner.hei_id or partner.organisation_ref)
    return PartyData(
        number=index + 1,
        name=name,
        short_name=(organisation.erasmus_code or organisation.abbreviation or name) if organisation else name,
        country=country_name(organisation.country_code) if organisation else "",
        erasmus_code=(organisation.erasmus_code or "") if organisation else "",
        schac_code=partner.hei_id or (organisation.schac_code if organisation else "") or "",
        pic=(organisation.pic or "") if organisation else "",
        unit=units.get(partner.unit_ref or "", ""),
        address=_address(organisation) if organisation else "",
        website=organisation.website if organisation else "",
        partner_agreement=" · ".join(
            text for text in (partner.partner_agreement_id, partner.partner_agreement_code) if text
        ),
        contacts=tuple(contacts.get(organisation.pk, ())) if organisation else (),
        signing_contact=partner.signing_contact or "",
        signing_date=partner.signing_date,
        approval=approvals.get(organisation.pk) if organisation else None,
    )


def _unit_names(content: AgreementContent) -> dict[str, str]:
    refs = {p.unit_ref for p in content.partners} | {
        ref for c in content.conditions for ref in (c.sending_unit_ref, c.receiving_unit_ref)
    }
    ids = [int(ref) for ref in refs if ref and ref.isdigit()]
    return {
        str(pk): name for pk, name in OrganisationalUnit.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def _contact_text(contact) -> str:
    role = contact.position or contact.get_role_display()
    where = f" ({contact.unit.name})" if contact.unit else ""
    reach = " · ".join(text for text in (contact.email, contact.phone) if text)
    return f"{contact.given_name} {contact.family_name}, {role}{where}" + (f" · {reach}" if reach else "")


def _address(organisation: Organisation) -> str:
    place = " ".join(text for text in (organisation.postal_code, organisation.city_name) if text)
    return ", ".join(text for text in (organisation.street_address, place) if text)


def _version_note(agreement: Agreement, version: AgreementVersion) -> str:
    notes = []
    if version.pk == agreement.current_version_id:
        notes.append("the current version")
    elif agreement.current_version_id is not None:
        notes.append("superseded by a newer version")
    if version.pk == agreement.approved_version_id:
        notes.append("the version in effect")
    return ", ".join(notes)


def _condition_row(number: int, condition: CooperationCondition, parties, units) -> ConditionRow:
    student = condition.mobility_type in STUDENT_MOBILITY_TYPES
    total = condition.total_months_per_year if student else condition.total_days_per_year
    return ConditionRow(
        number=number,
        sending=_side(parties[condition.sending_partner], condition.sending_unit_ref, units),
        receiving=_side(parties[condition.receiving_partner], condition.receiving_unit_ref, units),
        subject_areas=tuple(_subject_text(s.isced_code, s.clarification) for s in condition.subject_areas),
        mobility_type=_MOBILITY_LABELS[condition.mobility_type],
        study_cycles=tuple(_eqf_text(level) for level in sorted(condition.eqf_levels)),
        mobilities_per_year=condition.mobilities_per_year,
        total_per_year=(
            f"{decimal_text(total)} {'months' if student else 'days'}" if total is not None else ""
        ),
        blended=("yes" if condition.blended else "no") if student else "",
        academic_years=f"{condition.first_academic_year} – {condition.last_academic_year}",
        other_info=condition.other_info,
    )


def _side(party: PartyData, unit_ref: str | None, units: dict[str, str]) -> str:
    # A condition without a unit of its own is the partner's, at the unit the partner names, if any.
    unit = units.get(unit_ref or "") or party.unit
    return f"{party.short_name}, {unit}" if unit else party.short_name


def _subject_text(code: str, clarification: str | None) -> str:
    label = isced_label(code)
    return f"{label} ({clarification})" if clarification else label


def _eqf_text(level: int) -> str:
    eqf = get_eqf(level)
    return f"EQF {level}, {eqf.cycle}" if eqf and eqf.cycle else f"EQF {level}"


def _cefr_text(code: str | None) -> str:
    if not code:
        return ""
    level = get_cefr(code)
    return f"{code} ({level.name})" if level else code


def _terms(content: AgreementContent) -> tuple[tuple[str, str], ...]:
    terms = content.terms
    return (
        ("Tuition waiver", "yes" if terms.tuition_waiver else "no"),
        ("Fees", terms.fees),
        ("Insurance", terms.insurance),
        ("Housing", terms.housing),
        ("Funding commitments", terms.funding_commitments),
        ("Other terms", terms.other_terms),
        ("Termination notice", terms.termination_notice),
    )


def moment_text(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
