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

Reading an ``la`` back
----------------------
:func:`parse_la` (and :func:`parse_get_response`, for a partner's whole document, parsed safely) is the
inverse of :func:`la_element`. EWP carries no component ids that Accord could use as ``ref``: a read
component gets :func:`component_ref`, derived from its content, so the same course keeps the same ref
in every list and every fetch (a changed course is a deletion and an insertion, as in EWP).
:func:`full_components` turns a list of changes back into the whole list it describes. A date given
only as a year and month (``start-year-month``) is read as the first, or last, day of that month; a
timestamp without a time zone as UTC; credits in another scheme than ECTS are left out; the spacing
of a component's texts is normalised, as Accord stores them.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final, cast

from lxml import etree

from accord.algorithms.mobility.learning_agreement import (
    ChangeReason,
    ChangeStatus,
    Component,
    ComponentChange,
    Section,
    components_hash,
    components_to_dicts,
)
from accord.algorithms.xml_safety import parse_untrusted_xml

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
    "component_ref",
    "full_components",
    "get_response",
    "la_element",
    "parse_get_response",
    "parse_la",
    "proposal_digest",
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
    return cast(bytes, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


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


# --- reading an la back -----------------------------------------------------------------------------------

_SECTIONS_BY_LIST: Final = {list_name: section for section, list_name in _LISTS}
_ACCORD_PROPOSAL_ID: Final = re.compile(r"([0-9]{1,9})-([0-9a-f]{64})")


def component_ref(component: Component) -> str:
    """A ref derived from what the component says (everything but its ref): stable across lists and
    fetches, since EWP carries no id Accord could use."""
    content = components_to_dicts([replace(component, ref="")])[0]
    del content["ref"]
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()
    return f"e{digest[:20]}"


def _find(parent: etree._Element, name: str) -> etree._Element | None:
    return parent.find(_q(name))


def _read(parent: etree._Element, name: str, *, required: bool = False, where: str = "la") -> str:
    element = _find(parent, name)
    text = element.text if element is not None and element.text is not None else ""
    if required and not text.strip():
        raise EwpLearningAgreementError(f"{where} has no {name}")
    return text.strip() if required else text


def parse_get_response(document: bytes) -> list[EwpLearningAgreement]:
    """Every ``la`` of a partner's ``omobility-las-get-response`` (no DTD, no entities, no network)."""
    try:
        root = parse_untrusted_xml(document)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise EwpLearningAgreementError(f"the document is not safe, well-formed XML: {exc}") from exc
    if root.tag != _q("omobility-las-get-response"):
        raise EwpLearningAgreementError(f"expected an omobility-las-get-response, found {root.tag}")
    return [parse_la(element) for element in root.iterchildren(_q("la"))]


def parse_la(la: etree._Element) -> EwpLearningAgreement:
    """The dataclasses of one ``la`` element: the inverse of :func:`la_element`."""
    if la.tag != _q("la"):
        raise EwpLearningAgreementError(f"expected an la element, found {la.tag}")
    omobility_id = _read(la, "omobility-id", required=True)
    where = f"la {omobility_id}"
    skill = _find(la, "student-language-skill")
    if skill is None:
        raise EwpLearningAgreementError(f"{where} has no student-language-skill")
    eqf = _read(la, "eqf-level-studied-at-departure", required=True, where=where)
    if not eqf.isdigit():
        raise EwpLearningAgreementError(f"{where}: eqf-level-studied-at-departure {eqf!r} is not a level")
    first = _optional_list(la, "first-version", where)
    proposal_element = _find(la, "changes-proposal")
    proposal = None
    if proposal_element is not None:
        proposal_id = (proposal_element.get("id") or "").strip()
        if not proposal_id:
            raise EwpLearningAgreementError(f"{where}: the changes-proposal has no id")
        proposal = EwpProposal(proposal_id, _component_list_of(proposal_element, where))
    return EwpLearningAgreement(
        omobility_id=omobility_id,
        sending=_institution_of(la, "sending-hei", where),
        receiving=_institution_of(la, "receiving-hei", where),
        receiving_academic_year=_read(la, "receiving-academic-year-id", required=True, where=where),
        student=_student_of(_find(la, "student")),
        start_date=_date_of(la, "start", where),
        end_date=_date_of(la, "end", where),
        eqf_level=int(eqf),
        isced_code=_read(la, "isced-f-code", required=True, where=where),
        language=_read(skill, "language", required=True, where=where),
        cefr_level=_read(skill, "cefr-level", required=True, where=where),
        first_version=first,
        approved_changes=_optional_list(la, "approved-changes", where),
        changes_proposal=proposal,
    )


def _institution_of(la: etree._Element, name: str, where: str) -> EwpInstitution:
    element = _find(la, name)
    if element is None:
        raise EwpLearningAgreementError(f"{where} has no {name}")
    contact = _find(element, "contact-person")
    if contact is None:
        raise EwpLearningAgreementError(f"{where}: {name} has no contact-person")
    return EwpInstitution(
        hei_id=_read(element, "hei-id", required=True, where=f"{where} {name}"),
        contact=EwpContactPerson(
            _read(contact, "given-names"), _read(contact, "family-name"), _read(contact, "email")
        ),
        ounit_name=_read(element, "ounit-name"),
        ounit_id=_read(element, "ounit-id"),
    )


def _student_of(element: etree._Element | None) -> EwpStudent:
    if element is None:
        return EwpStudent()
    return EwpStudent(
        given_names=_read(element, "given-names"),
        family_name=_read(element, "family-name"),
        email=_read(element, "email"),
        global_id=_read(element, "global-id"),
    )


def _date_of(la: etree._Element, which: str, where: str) -> date:
    text = _read(la, f"{which}-date").strip()
    try:
        if text:
            return date.fromisoformat(text)
        year_month = _read(la, f"{which}-year-month").strip()
        year, month = (int(part) for part in year_month.split("-"))
        day = 1 if which == "start" else calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except ValueError:
        message = f"{where} has no readable {which}-date or {which}-year-month"
        raise EwpLearningAgreementError(message) from None


def _optional_list(la: etree._Element, name: str, where: str) -> EwpComponentList | None:
    element = _find(la, name)
    return None if element is None else _component_list_of(element, f"{where} {name}")


def _component_list_of(element: etree._Element, where: str) -> EwpComponentList:
    entries: list[tuple[Component, ComponentChange | None]] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        section = _SECTIONS_BY_LIST.get(etree.QName(child).localname)
        if section is None or etree.QName(child).namespace != OMOBILITY_LAS_NAMESPACE:
            continue
        entries.extend(_component_of(item, section, where) for item in child.iterchildren(_q("component")))
    student = _signature_of(element, "student-signature", where)
    sending = _signature_of(element, "sending-hei-signature", where)
    if student is None or sending is None:
        raise EwpLearningAgreementError(f"{where} lacks the student's or the sending HEI's signature")
    return EwpComponentList(
        entries=entries,
        student_signature=student,
        sending_signature=sending,
        receiving_signature=_signature_of(element, "receiving-hei-signature", where),
    )


def _component_of(
    element: etree._Element, section: Section, where: str
) -> tuple[Component, ComponentChange | None]:
    term = ""
    term_element = _find(element, "term-id")
    if term_element is not None:
        number = term_element.findtext(f"{{{TERM_NAMESPACE}}}term-number", "").strip()
        total = term_element.findtext(f"{{{TERM_NAMESPACE}}}total-terms", "").strip()
        term = f"{number}/{total}"
    credits = None
    for credit in element.iterfind(_q("credit")):
        if _read(credit, "scheme").strip().lower() == ECTS:
            try:
                credits = Decimal(_read(credit, "value").strip())
            except InvalidOperation:
                raise EwpLearningAgreementError(f"{where}: a credit value is not a number") from None
    component = Component(
        ref="",
        section=section,
        title=_words(_read(element, "title", required=True, where=where)),
        code=_words(_read(element, "los-code")),
        credits=credits,
        term=term,
        recognition_conditions=_words(_read(element, "recognition-conditions")),
        short_description=_words(_read(element, "short-description")),
    )
    component = replace(component, ref=component_ref(component))
    status = element.get("status")
    if status is None:
        return component, None
    try:
        reason = element.get("reason-code")
        change = ComponentChange(
            ref=component.ref,
            status=ChangeStatus(status),
            reason_code=ChangeReason(reason) if reason else None,
            reason_text=element.get("reason-text", ""),
        )
    except ValueError:
        message = f"{where}: unknown status or reason-code of '{component.title}'"
        raise EwpLearningAgreementError(message) from None
    return component, change


def _words(text: str) -> str:
    # Components are stored with their spacing normalised (parse_components); refs follow that form.
    return " ".join(text.split())


def _signature_of(element: etree._Element, name: str, where: str) -> EwpSignature | None:
    signature = _find(element, name)
    if signature is None:
        return None
    text = _read(signature, "timestamp", required=True, where=f"{where} {name}")
    try:
        timestamp = datetime.fromisoformat(text)
    except ValueError:
        raise EwpLearningAgreementError(f"{where}: {name} timestamp {text!r} is not a dateTime") from None
    return EwpSignature(
        timestamp=timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC),
        signer_name=_read(signature, "signer-name"),
        signer_position=_read(signature, "signer-position"),
        signer_email=_read(signature, "signer-email"),
    )


def full_components(
    first: EwpComponentList | None, listed: EwpComponentList
) -> tuple[tuple[Component, ...], tuple[ComponentChange, ...]]:
    """The whole list ``listed`` describes, and its changes. After a first version, a list whose
    components carry a status is its changes (the first version less the deleted, plus the inserted,
    in the schema's section order); a list without any status is a whole list."""
    changes = tuple(change for _component, change in listed.entries if change is not None)
    if first is None or not changes:
        if changes:
            raise EwpLearningAgreementError("a list of changes needs the first version it changes")
        return tuple(component for component, _change in listed.entries), ()
    if len(changes) != len(listed.entries):
        raise EwpLearningAgreementError("a list of changes has components without a status")
    before = [component for component, _change in first.entries]
    known = {component.ref for component in before}
    deleted = {change.ref for change in changes if change.status is ChangeStatus.DELETED}
    if not deleted <= known:
        raise EwpLearningAgreementError("a deleted component is not in the first version")
    inserted = [
        component for component, change in listed.entries if change and change.status is ChangeStatus.INSERTED
    ]
    components = [component for component in before if component.ref not in deleted] + inserted
    order = {section: index for index, (section, _name) in enumerate(_LISTS)}
    return tuple(sorted(components, key=lambda component: order[component.section])), changes


def proposal_digest(proposal_id: str, components: Sequence[Component]) -> tuple[int | None, str]:
    """The version number and components hash that stand for a partner's changes proposal.

    An Accord node's ``changes-proposal/@id`` is ``<version>-<components hash>``: both are taken from
    it, so that our copy names the proposal exactly as its sender does. Any other id is opaque; the
    hash of the components as read stands for it then.
    """
    match = _ACCORD_PROPOSAL_ID.fullmatch(proposal_id)
    if match:
        return int(match.group(1)), match.group(2)
    return None, components_hash(components)
