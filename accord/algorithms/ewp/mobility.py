"""Student mobilities as the EWP Outgoing Mobilities API v3 and Incoming Mobilities API v2 write them.

Pure Python (lxml), no Django import. The sending node serves ``student-mobility`` elements of an
``omobilities-get-response`` (:func:`student_mobility_element`), the receiving node reads them back
(:func:`parse_student_mobility`); the receiving node serves the actual arrival and departure dates as
``imobilities-get-response`` elements (:func:`imobility_element`), which the sending node reads back
(:func:`parse_imobility`). Both directions live here so that a round trip can be tested without a node.

The nomination's ``proposal-id`` must change exactly when the nomination changes: it is the SHA-256 of
the nomination element's canonical form (C14N 2.0, whitespace stripped) without the attribute itself,
so the receiving side's approval names exactly the nomination it read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from lxml import etree

__all__ = [
    "ACTIVITY_ATTRIBUTES",
    "IMOBILITIES_NAMESPACE",
    "OMOBILITIES_NAMESPACE",
    "EwpImobility",
    "EwpMobilityError",
    "EwpStudentMobility",
    "imobility_element",
    "nomination_proposal_id",
    "parse_imobility",
    "parse_student_mobility",
    "student_mobility_element",
]

_GITHUB: Final = "https://github.com/erasmus-without-paper/"
OMOBILITIES_NAMESPACE: Final = _GITHUB + "ewp-specs-api-omobilities/blob/stable-v3/endpoints/get-response.xsd"
IMOBILITIES_NAMESPACE: Final = _GITHUB + "ewp-specs-api-imobilities/blob/stable-v2/endpoints/get-response.xsd"
STATUSES: Final = ("pending", "approved", "rejected", "cancelled")
# EWP v3 knows one activity type (student-studies) with these attributes.
ACTIVITY_TYPE: Final = "student-studies"
ACTIVITY_ATTRIBUTES: Final = ("long-term", "short-term-blended", "short-term-doctoral")
GENDERS: Final = (0, 1, 2, 9)  # ISO/IEC 5218: not known, male, female, not applicable
_ISCED: Final = re.compile(r"^[0-9]{4}$")
_YEAR: Final = re.compile(r"^[0-9]{4}/[0-9]{4}$")
_TERM: Final = re.compile(r"^[0-9]{4}/[0-9]{4}-[1-9]/[1-9]$")
_IDENTIFIER: Final = re.compile(r"^[!-~]{1,64}$")
_COUNTRY: Final = re.compile(r"^[A-Z]{2}$")
_EMAIL: Final = re.compile(r"^[^@]+@[^.]+\..+$")


class EwpMobilityError(ValueError):
    """The mobility cannot be written as, or read from, a valid EWP element."""


@dataclass(frozen=True, slots=True)
class EwpStudentMobility:
    """One ``student-mobility`` of Outgoing Mobilities v3. ``academic_term`` is the sending HEI's
    EWP term id (``2026/2027-1/2``); None means a non-standard mobility period."""

    omobility_id: str
    given_names: str
    family_name: str
    global_id: str
    birth_date: date
    nationality: str
    gender: int
    email: str
    sending_hei_id: str
    receiving_hei_id: str
    receiving_academic_year: str
    activity_attributes: str
    agreement_isced: str
    eqf_level: int
    nominee_isced: str
    status: str
    academic_term: str | None = None
    sending_ounit_id: str | None = None
    receiving_ounit_id: str | None = None
    sending_iia_id: str | None = None
    receiving_iia_id: str | None = None
    comment: str = ""
    proposal_id: str = ""
    """Set when read from a document; written documents compute it (:func:`nomination_proposal_id`)."""

    def check(self) -> None:
        """Refuse what the schema would refuse, with the reason, before anything is written."""
        problems = []
        if not _IDENTIFIER.match(self.omobility_id):
            problems.append(f"omobility-id {self.omobility_id!r} is not a printable ASCII identifier")
        if not self.given_names.strip() or not self.family_name.strip():
            problems.append("the student's given names and family name are required")
        if not self.global_id.strip():
            problems.append("the student's global id (European Student Identifier) is required")
        if not _COUNTRY.match(self.nationality):
            problems.append(f"nationality {self.nationality!r} is not a two-letter country code")
        if self.gender not in GENDERS:
            problems.append(f"gender {self.gender!r} is not an ISO/IEC 5218 code")
        if not _EMAIL.match(self.email):
            problems.append(f"e-mail {self.email!r} is not an e-mail address")
        if not _YEAR.match(self.receiving_academic_year):
            problems.append(f"academic year {self.receiving_academic_year!r} is not like 2026/2027")
        if self.academic_term is not None and not _TERM.match(self.academic_term):
            problems.append(f"academic term {self.academic_term!r} is not like 2026/2027-1/2")
        if self.activity_attributes not in ACTIVITY_ATTRIBUTES:
            problems.append(f"activity attributes {self.activity_attributes!r} are not one of EWP's")
        for name, code in (("agreement", self.agreement_isced), ("nominee", self.nominee_isced)):
            if not _ISCED.match(code):
                problems.append(f"the {name} ISCED-F code {code!r} does not have four digits")
        if not 1 <= self.eqf_level <= 8:
            problems.append(f"EQF level {self.eqf_level} is not between 1 and 8")
        if self.status not in STATUSES:
            problems.append(f"status {self.status!r} is not one of {', '.join(STATUSES)}")
        if bool(self.sending_iia_id) != bool(self.receiving_iia_id):
            problems.append("the sending and receiving iia-ids go together")
        for value in (
            self.sending_ounit_id,
            self.receiving_ounit_id,
            self.sending_iia_id,
            self.receiving_iia_id,
        ):
            if value is not None and not _IDENTIFIER.match(value):
                problems.append(f"{value!r} is not a printable ASCII identifier")
        if problems:
            raise EwpMobilityError("; ".join(problems))


def _sub(
    parent: etree._Element, name: str, text: str | None = None, ns: str = OMOBILITIES_NAMESPACE
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = text
    return element


def _nomination(mobility: EwpStudentMobility, parent: etree._Element) -> etree._Element:
    nomination = _sub(parent, "nomination")
    for side, hei, ounit, iia in (
        ("sending-hei", mobility.sending_hei_id, mobility.sending_ounit_id, mobility.sending_iia_id),
        ("receiving-hei", mobility.receiving_hei_id, mobility.receiving_ounit_id, mobility.receiving_iia_id),
    ):
        element = _sub(nomination, side)
        _sub(element, "hei-id", hei)
        if ounit:
            _sub(element, "ounit-id", ounit)
        if iia:
            _sub(element, "iia-id", iia)
    if mobility.academic_term:
        _sub(nomination, "sending-academic-term-ewp-id", mobility.academic_term)
    else:
        _sub(nomination, "non-standard-mobility-period")
    _sub(nomination, "receiving-academic-year-id", mobility.receiving_academic_year)
    _sub(nomination, "activity-type", ACTIVITY_TYPE)
    _sub(nomination, "activity-attributes", mobility.activity_attributes)
    _sub(nomination, "agreement-isced-f-code", mobility.agreement_isced)
    _sub(nomination, "eqf-level-studied-at-departure", str(mobility.eqf_level))
    _sub(nomination, "nominee-isced-f-code", mobility.nominee_isced)
    if mobility.comment:
        _sub(nomination, "comment", mobility.comment)
    return nomination


def _root() -> etree._Element:
    # The same namespace map when serving and when recomputing: C14N keeps prefixes as they are.
    return etree.Element(f"{{{OMOBILITIES_NAMESPACE}}}student-mobility", nsmap={None: OMOBILITIES_NAMESPACE})


def _canonical_hash(nomination: etree._Element) -> str:
    detached = etree.fromstring(etree.tostring(nomination))
    detached.attrib.pop("proposal-id", None)
    canonical = etree.tostring(detached, method="c14n2", strip_text=True)
    return hashlib.sha256(canonical).hexdigest()


def nomination_proposal_id(mobility: EwpStudentMobility) -> str:
    """The ``proposal-id`` of the mobility's nomination as :func:`student_mobility_element` writes it."""
    return _canonical_hash(_nomination(mobility, _root()))


def student_mobility_element(mobility: EwpStudentMobility) -> etree._Element:
    """A ``student-mobility`` element (in the v3 get-response namespace); refuses an invalid one."""
    mobility.check()
    root = _root()
    _sub(root, "omobility-id", mobility.omobility_id)
    student = _sub(root, "student")
    _sub(student, "given-names", mobility.given_names)
    _sub(student, "family-name", mobility.family_name)
    _sub(student, "global-id", mobility.global_id)
    _sub(student, "birth-date", mobility.birth_date.isoformat())
    _sub(student, "nationality", mobility.nationality)
    _sub(student, "gender", str(mobility.gender))
    _sub(student, "email", mobility.email)
    nomination = _nomination(mobility, root)
    nomination.set("proposal-id", _canonical_hash(nomination))
    _sub(root, "status", mobility.status)
    return root


def _text(parent: etree._Element, path: str, *, required: bool = True) -> str | None:
    ns = {"o": OMOBILITIES_NAMESPACE}
    value = parent.findtext(path, namespaces=ns)
    value = value.strip() if value is not None else None
    if required and not value:
        raise EwpMobilityError(f"{path.replace('o:', '')} is missing")
    return value or None


def parse_student_mobility(element: etree._Element) -> EwpStudentMobility:
    """Read a received ``student-mobility``; anything the schema or Accord cannot take is refused.
    Names may come in several languages: the first of each is kept."""
    nomination = element.find(f"{{{OMOBILITIES_NAMESPACE}}}nomination")
    if nomination is None:
        raise EwpMobilityError("nomination is missing")
    try:
        # xs:date may carry a time zone, which a birth date does not need.
        birth_date = date.fromisoformat((_text(element, "o:student/o:birth-date") or "")[:10])
    except ValueError:
        raise EwpMobilityError("birth-date is not a date") from None
    try:
        gender = int(_text(element, "o:student/o:gender") or "")
        eqf_level = int(_text(nomination, "o:eqf-level-studied-at-departure") or "")
    except ValueError:
        raise EwpMobilityError("gender and eqf-level-studied-at-departure must be integers") from None
    activity_type = _text(nomination, "o:activity-type")
    if activity_type != ACTIVITY_TYPE:
        raise EwpMobilityError(f"activity type {activity_type!r} is not {ACTIVITY_TYPE}")
    received = EwpStudentMobility(
        omobility_id=_text(element, "o:omobility-id") or "",
        given_names=_text(element, "o:student/o:given-names") or "",
        family_name=_text(element, "o:student/o:family-name") or "",
        global_id=_text(element, "o:student/o:global-id") or "",
        birth_date=birth_date,
        nationality=_text(element, "o:student/o:nationality") or "",
        gender=gender,
        email=_text(element, "o:student/o:email") or "",
        sending_hei_id=_text(nomination, "o:sending-hei/o:hei-id") or "",
        sending_ounit_id=_text(nomination, "o:sending-hei/o:ounit-id", required=False),
        sending_iia_id=_text(nomination, "o:sending-hei/o:iia-id", required=False),
        receiving_hei_id=_text(nomination, "o:receiving-hei/o:hei-id") or "",
        receiving_ounit_id=_text(nomination, "o:receiving-hei/o:ounit-id", required=False),
        receiving_iia_id=_text(nomination, "o:receiving-hei/o:iia-id", required=False),
        academic_term=_text(nomination, "o:sending-academic-term-ewp-id", required=False),
        receiving_academic_year=_text(nomination, "o:receiving-academic-year-id") or "",
        activity_attributes=_text(nomination, "o:activity-attributes") or "",
        agreement_isced=_text(nomination, "o:agreement-isced-f-code") or "",
        eqf_level=eqf_level,
        nominee_isced=_text(nomination, "o:nominee-isced-f-code") or "",
        comment=_text(nomination, "o:comment", required=False) or "",
        status=_text(element, "o:status") or "",
        proposal_id=(nomination.get("proposal-id") or "").strip(),
    )
    if not received.proposal_id:
        raise EwpMobilityError("the nomination has no proposal-id")
    received.check()
    return received


# --- Incoming Mobilities v2 ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EwpImobility:
    omobility_id: str
    actual_arrival: date | None = None
    actual_departure: date | None = None


def imobility_element(mobility: EwpImobility) -> etree._Element:
    if not _IDENTIFIER.match(mobility.omobility_id):
        raise EwpMobilityError(f"omobility-id {mobility.omobility_id!r} is not a printable ASCII identifier")
    root = etree.Element(f"{{{IMOBILITIES_NAMESPACE}}}student-mobility", nsmap={None: IMOBILITIES_NAMESPACE})
    _sub(root, "omobility-id", mobility.omobility_id, IMOBILITIES_NAMESPACE)
    if mobility.actual_arrival is not None:
        _sub(root, "actual-arrival-date", mobility.actual_arrival.isoformat(), IMOBILITIES_NAMESPACE)
    if mobility.actual_departure is not None:
        _sub(root, "actual-departure-date", mobility.actual_departure.isoformat(), IMOBILITIES_NAMESPACE)
    return root


def parse_imobility(element: etree._Element) -> EwpImobility:
    ns = {"i": IMOBILITIES_NAMESPACE}

    def day(name: str) -> date | None:
        text = (element.findtext(f"i:{name}", namespaces=ns) or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise EwpMobilityError(f"{name} {text!r} is not a date") from None

    omobility_id = (element.findtext("i:omobility-id", namespaces=ns) or "").strip()
    if not omobility_id:
        raise EwpMobilityError("omobility-id is missing")
    return EwpImobility(omobility_id, day("actual-arrival-date"), day("actual-departure-date"))
