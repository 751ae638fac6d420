"""Learning agreements as EWP Outgoing Mobility Learning Agreements API v1 ``la`` elements.

Pure Python (lxml), no Django import. :func:`la_element` writes one ``la`` of an
``omobility-las-get-response`` from plain dataclasses; the Django layer gathers them from a mobility,
its versions and their signatures, so the EWP node can serve learning agreements without remodelling.

How Accord's versions map onto EWP
----------------------------------
* ``first-version`` is the first version every party signed, all its components without status.
* ``approved-changes`` is the newest approved version *as changes to the first version*: the
  components deleted from it and inserted since, each with ``status`` and its reason. EWP counts
  changes from the first version (the template's tables A2/B2/C2), so the list is cumulative.
* ``changes-proposal`` is a newer version awaiting the receiving institution: the whole list when no
  version was approved yet, otherwise its changes to the first version. EWP only knows proposals the
  student and the sending institution signed, so both signatures are required here.
* Components of staff mobility agreements (``activity``) have no EWP list and are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from lxml import etree

from accord.algorithms.learning_agreement import (
    ChangeStatus,
    Component,
    ComponentChange,
    Section,
)

__all__ = [
    "OMOBILITY_LAS_NAMESPACE",
    "EwpComponentList",
    "EwpContactPerson",
    "EwpInstitution",
    "EwpLearningAgreement",
    "EwpLearningAgreementError",
    "EwpProposal",
    "EwpSignature",
    "EwpStudent",
    "change_entries",
    "get_response",
    "la_element",
]

OMOBILITY_LAS_NAMESPACE: Final = "https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/get-response.xsd"
# term-id is typed in the academic-term schema, so its children live in that namespace.
TERM_NAMESPACE: Final = (
    "https://github.com/erasmus-without-paper/ewp-specs-types-academic-term/tree/stable-v2"
)
_NSMAP: Final = {None: OMOBILITY_LAS_NAMESPACE, "trm": TERM_NAMESPACE}
ECTS: Final = "ects"
SIGNER_APP: Final = "Accord"

# The schema's order of the component lists inside ListOf_Components.
_LISTS: Final = (
    (Section.STUDIED, "components-studied"),
    (Section.RECOGNISED, "components-recognized"),
    (Section.VIRTUAL, "virtual-components"),
    (Section.BLENDED, "blended-mobility-components"),
    (Section.DOCTORAL, "short-term-doctoral-components"),
)
_EWP_SECTIONS: Final = frozenset(section for section, _ in _LISTS)


class EwpLearningAgreementError(ValueError):
    """What is given cannot be written as a valid ``la``."""


@dataclass(frozen=True, slots=True)
class EwpContactPerson:
    given_names: str
    family_name: str
    email: str


@dataclass(frozen=True, slots=True)
class EwpInstitution:
    hei_id: str
    contact: EwpContactPerson
    ounit_name: str = ""
    ounit_id: str = ""


@dataclass(frozen=True, slots=True)
class EwpStudent:
    given_names: str = ""
    family_name: str = ""
    email: str = ""
    global_id: str = ""


@dataclass(frozen=True, slots=True)
class EwpSignature:
    timestamp: datetime
    signer_name: str = ""
    signer_position: str = ""
    signer_email: str = ""


@dataclass(frozen=True, slots=True)
class EwpComponentList:
    """Components (each with its change, or None for a plain list) and the signatures on them."""

    entries: Sequence[tuple[Component, ComponentChange | None]]
    student_signature: EwpSignature
    sending_signature: EwpSignature
    receiving_signature: EwpSignature | None = None


@dataclass(frozen=True, slots=True)
class EwpProposal:
    proposal_id: str
    components: EwpComponentList


@dataclass(frozen=True, slots=True)
class EwpLearningAgreement:
    omobility_id: str
    sending: EwpInstitution
    receiving: EwpInstitution
    receiving_academic_year: str
    student: EwpStudent
    start_date: date
    end_date: date
    eqf_level: int
    isced_code: str
    language: str
    cefr_level: str
    first_version: EwpComponentList | None = None
    approved_changes: EwpComponentList | None = None
    changes_proposal: EwpProposal | None = None


def change_entries(
    first: Sequence[Component], current: Sequence[Component], changes: Sequence[ComponentChange]
) -> list[tuple[Component, ComponentChange]]:
    """The components ``changes`` name, deleted ones as they were in ``first`` and inserted ones as
    they are in ``current``."""
    before = {component.ref: component for component in first}
    after = {component.ref: component for component in current}
    entries = []
    for change in changes:
        source = before if change.status is ChangeStatus.DELETED else after
        if change.ref not in source:
            raise EwpLearningAgreementError(f"change of '{change.ref}' names no such component")
        entries.append((source[change.ref], change))
    return entries


def _q(name: str) -> str:
    return f"{{{OMOBILITY_LAS_NAMESPACE}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, _q(name))
    if text is not None:
        child.text = text
    return child


def _optional(parent: etree._Element, name: str, text: str) -> None:
    if text:
        _sub(parent, name, text)


def la_element(agreement: EwpLearningAgreement) -> etree._Element:
    """The ``la`` element, its children in the schema's order."""
    if agreement.first_version is None and agreement.changes_proposal is None:
        raise EwpLearningAgreementError("an la needs a first version or a changes proposal")
    if agreement.approved_changes is not None and agreement.first_version is None:
        raise EwpLearningAgreementError("approved changes need the first version they change")
    la = etree.Element(_q("la"), nsmap=_NSMAP)
    _sub(la, "omobility-id", agreement.omobility_id)
    _institution(la, "sending-hei", agreement.sending)
    _institution(la, "receiving-hei", agreement.receiving)
    _sub(la, "receiving-academic-year-id", agreement.receiving_academic_year)
    _student(la, agreement.student)
    _sub(la, "start-date", agreement.start_date.isoformat())
    _sub(la, "end-date", agreement.end_date.isoformat())
    _sub(la, "eqf-level-studied-at-departure", str(agreement.eqf_level))
    _sub(la, "isced-f-code", agreement.isced_code)
    skill = _sub(la, "student-language-skill")
    _sub(skill, "language", agreement.language)
    _sub(skill, "cefr-level", agreement.cefr_level)
    if agreement.first_version is not None:
        _component_list(_sub(la, "first-version"), agreement.first_version)
    if agreement.approved_changes is not None:
        _component_list(_sub(la, "approved-changes"), agreement.approved_changes)
    if agreement.changes_proposal is not None:
        proposal = _sub(la, "changes-proposal")
        proposal.set("id", agreement.changes_proposal.proposal_id)
        _component_list(proposal, agreement.changes_proposal.components)
    return la


def get_response(agreements: Sequence[EwpLearningAgreement]) -> bytes:
    """A whole ``omobility-las-get-response`` document, UTF-8."""
    root = etree.Element(_q("omobility-las-get-response"), nsmap=_NSMAP)
    for agreement in agreements:
        root.append(la_element(agreement))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _institution(parent: etree._Element, name: str, institution: EwpInstitution) -> None:
    element = _sub(parent, name)
    _sub(element, "hei-id", institution.hei_id)
    _optional(element, "ounit-name", institution.ounit_name)
    _optional(element, "ounit-id", institution.ounit_id)
    contact = _sub(element, "contact-person")
    person = institution.contact
    if not (person.given_names and person.family_name and person.email):
        raise EwpLearningAgreementError(
            f"the {name} contact person needs given names, family name and e-mail"
        )
    _sub(contact, "given-names", person.given_names)
    _sub(contact, "family-name", person.family_name)
    _sub(contact, "email", person.email)


def _student(parent: etree._Element, student: EwpStudent) -> None:
    element = _sub(parent, "student")
    _optional(element, "given-names", student.given_names)
    _optional(element, "family-name", student.family_name)
    _optional(element, "global-id", student.global_id)
    _optional(element, "email", student.email)


def _component_list(element: etree._Element, listed: EwpComponentList) -> None:
    for component, _change in listed.entries:
        if component.section not in _EWP_SECTIONS:
            raise EwpLearningAgreementError(
                f"'{component.label}' is a {component.section} component, which EWP does not exchange"
            )
    for section, list_name in _LISTS:
        entries = [entry for entry in listed.entries if entry[0].section is section]
        if entries:
            container = _sub(element, list_name)
            for component, change in entries:
                _component(container, component, change)
    _signature(element, "student-signature", listed.student_signature)
    _signature(element, "sending-hei-signature", listed.sending_signature)
    if listed.receiving_signature is not None:
        _signature(element, "receiving-hei-signature", listed.receiving_signature)


def _component(parent: etree._Element, component: Component, change: ComponentChange | None) -> None:
    element = _sub(parent, "component")
    if change is not None:
        element.set("status", change.status.value)
        if change.reason_code is not None:
            element.set("reason-code", change.reason_code.value)
        if change.reason_text:
            element.set("reason-text", change.reason_text)
    _optional(element, "los-code", component.code)
    _sub(element, "title", component.title)
    if component.term:
        number, total = component.term.split("/")
        term = _sub(element, "term-id")
        etree.SubElement(term, f"{{{TERM_NAMESPACE}}}term-number").text = number
        etree.SubElement(term, f"{{{TERM_NAMESPACE}}}total-terms").text = total
    if component.credits is not None:
        credit = _sub(element, "credit")
        _sub(credit, "scheme", ECTS)
        _sub(credit, "value", format(component.credits.normalize(), "f"))
    _optional(element, "recognition-conditions", component.recognition_conditions)
    _optional(element, "short-description", component.short_description)


def _signature(parent: etree._Element, name: str, signature: EwpSignature) -> None:
    if signature.timestamp.tzinfo is None:
        raise EwpLearningAgreementError(f"the {name} timestamp needs a time zone")
    element = _sub(parent, name)
    _optional(element, "signer-name", signature.signer_name)
    _optional(element, "signer-position", signature.signer_position)
    _optional(element, "signer-email", signature.signer_email)
    _sub(element, "timestamp", signature.timestamp.isoformat())
    _sub(element, "signer-app", SIGNER_APP)
