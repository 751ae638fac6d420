"""Agreement contents to and from EWP IIAs API v7 ``iia`` elements.

Pure Python (lxml), no Django import. :func:`write_iia` writes an ``iia`` for a get-response as
text, with its ``iia-hash`` computed on the way (:func:`iia_element` gives it as an lxml element), and
:func:`content_from_iia` reads one back into the JSON document of
:mod:`accord.algorithms.agreements.content`. What the hash covers survives the round trip exactly:
``conditions_hash`` of the content, and the EWP ``iia-hash`` of the element, are the same after
``content_from_iia(iia_element(content))``.

Partners are identified in EWP by hei-id, so every partner of an exported content needs one; an
imported content names each partner by its hei-id (``organisation_ref``), and the caller maps those
to its own organisations. Units travel as ``ounit-id`` s in both directions. Contacts other than the
signing contact's name, and the terms that EWP has no element for, are not exchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, cast

from lxml import etree

from accord.algorithms.agreements.model import AgreementContent, CooperationCondition, decimal_text
from accord.algorithms.ewp.iia_hash import IIAS_V7_NAMESPACE, IiaHash, sha256_hex

__all__ = [
    "CONTACT_NAMESPACE",
    "IiaXmlError",
    "ImportedIia",
    "WrittenIia",
    "content_from_iia",
    "element_of",
    "get_response",
    "get_response_of",
    "iia_element",
    "reorder_partners",
    "write_iia",
]

CONTACT_NAMESPACE: Final = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
_NSMAP: Final = {None: IIAS_V7_NAMESPACE, "c": CONTACT_NAMESPACE}

# The schema's order of the four kinds of specification inside cooperation-conditions.
_SPEC_ELEMENTS: Final = (
    ("student_studies", "student-studies-mobility-spec"),
    ("student_traineeship", "student-traineeship-mobility-spec"),
    ("staff_teaching", "staff-teacher-mobility-spec"),
    ("staff_training", "staff-training-mobility-spec"),
)
_MOBILITY_TYPE_OF: Final = {element: mobility for mobility, element in _SPEC_ELEMENTS}
_STUDENT: Final = frozenset({"student_studies", "student_traineeship"})


class IiaXmlError(ValueError):
    """An element that cannot be read as an agreement, or a content that cannot be written as one."""


def _q(name: str) -> str:
    return f"{{{IIAS_V7_NAMESPACE}}}{name}"


# --- writing ----------------------------------------------------------------------------------------

# Text that XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF); lxml refuses it
# too, so an agreement holding it cannot be written at all.
_NOT_XML_TEXT: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class WrittenIia:
    """An ``iia`` element written as XML text, and the hash the official stylesheet computes for it.

    ``xml`` declares no namespace: it is a fragment of the ``iias-get-response`` that
    :func:`get_response_of` writes, whose root declares the IIAs namespace (default) and the contact
    namespace (prefix ``c``).
    """

    xml: str
    hash: IiaHash


def iia_element(
    content: AgreementContent,
    *,
    in_effect: bool,
    terminated_as_a_whole: bool = False,
    ounit_ids: Mapping[str, str] | None = None,
) -> etree._Element:
    """An ``iia`` element for ``content``: :func:`write_iia` read back as an lxml element."""
    written = write_iia(
        content, in_effect=in_effect, terminated_as_a_whole=terminated_as_a_whole, ounit_ids=ounit_ids
    )
    return element_of(written)


def element_of(written: WrittenIia) -> etree._Element:
    """The ``iia`` element of ``written`` (the only child of a get-response holding just it)."""
    return etree.fromstring(get_response_of([written]))[0]


def write_iia(
    content: AgreementContent,
    *,
    in_effect: bool,
    terminated_as_a_whole: bool = False,
    ounit_ids: Mapping[str, str] | None = None,
) -> WrittenIia:
    """The ``iia`` element for ``content`` as XML text, its partners in the order of the content.

    The serving institution's copy lists that institution first; reorder the partners before calling
    (the conditions follow them by index). ``ounit_ids`` maps Accord unit references to the EWP
    ounit-ids the node publishes (by default the references themselves).

    The ``iia-hash`` is computed while writing, from the values written, by the rules of
    :mod:`accord.algorithms.ewp.iia_hash`: nothing Accord writes is flagged ``not-yet-defined``, carries a
    ``v6-value`` or an attribute inside a mobility, or sits in a mobility's contact, so the text to hash
    is every value of a mobility's leaf elements, named after their parent and grandparent, then its
    academic years. This equals :func:`~accord.algorithms.ewp.iia_hash.hash_iia` of the element (tests
    check both against the official stylesheet) at a fraction of the cost of walking a tree.
    """
    units = ounit_ids or {}
    missing = [str(index) for index, partner in enumerate(content.partners) if not partner.hei_id]
    if missing:
        raise IiaXmlError(f"partners {', '.join(missing)} have no hei-id; EWP identifies partners by hei-id.")
    if len(content.partners) != 2:
        raise IiaXmlError(f"an EWP IIA has exactly two partners, this agreement has {len(content.partners)}.")
    writer = _IiaWriter()
    if terminated_as_a_whole:
        writer.hashed.append("_@terminated-as-a-whole@_")
    out = writer.out
    out.append("<iia>")
    for position, partner in enumerate(content.partners, start=1):
        out.append("<partner>")
        assert partner.hei_id, "partners without a hei-id were refused above"
        writer.leaf("hei-id", partner.hei_id)
        if partner.unit_ref:
            writer.leaf("ounit-id", units.get(partner.unit_ref, partner.unit_ref))
        if partner.partner_agreement_id:
            writer.leaf("iia-id", partner.partner_agreement_id)
        if partner.partner_agreement_code:
            writer.leaf("iia-code", partner.partner_agreement_code)
        if partner.signing_contact:
            out.append("<signing-contact>")
            writer.leaf("c:contact-name", partner.signing_contact)
            out.append("</signing-contact>")
        if partner.signing_date:
            writer.leaf("signing-date", partner.signing_date.isoformat())
        out.append("</partner>")
        writer.hashed.append(f"_iia-id_{position}={partner.partner_agreement_id or ''}_")
    writer.leaf("in-effect", "true" if in_effect else "false")
    if terminated_as_a_whole:
        out.append('<cooperation-conditions terminated-as-a-whole="true">')
    else:
        out.append("<cooperation-conditions>")
    for mobility_type, element_name in _SPEC_ELEMENTS:
        for condition in content.conditions:
            if condition.mobility_type == mobility_type:
                writer.spec(element_name, condition, content, units)
    out.append("</cooperation-conditions>")
    text = "".join(writer.hashed)
    digest = sha256_hex(text)
    out.append(f"<iia-hash>{digest}</iia-hash></iia>")
    xml = "".join(out)
    invalid = _NOT_XML_TEXT.search(xml)
    if invalid is not None:
        raise IiaXmlError(f"the agreement holds a character XML cannot carry: {invalid.group()!r}.")
    iia_id = content.partners[0].partner_agreement_id or ""
    return WrittenIia(xml, IiaHash(iia_id=iia_id, text_to_hash=text, valid_for_approval=True, hash=digest))


class _IiaWriter:
    """The XML text of one ``iia`` (``out``) and its text to hash (``hashed``), written side by side.

    The XML is written without indentation: blanks between elements mean nothing to readers or to the
    hash, and leaving them out keeps serving cheap.
    """

    __slots__ = ("hashed", "out")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.hashed: list[str] = []

    def leaf(self, name: str, value: str) -> None:
        """Write ``<name>value</name>``."""
        self.out.append(f"<{name}>{_escape(value)}</{name}>")

    def hashed_leaf(self, path: str, name: str, value: str) -> None:
        """A leaf of a mobility: written, and hashed as ``_grandparent.parent.name=value_``."""
        self.out.append(f"<{name}>{_escape(value)}</{name}>")
        self.hashed.append(f"_{path}{name}={value}_")

    def spec(
        self,
        element_name: str,
        condition: CooperationCondition,
        content: AgreementContent,
        units: Mapping[str, str],
    ) -> None:
        out = self.out
        leaf = self.hashed_leaf
        path = f"cooperation-conditions.{element_name}."
        sender = content.partners[condition.sending_partner]
        receiver = content.partners[condition.receiving_partner]
        out.append(f"<{element_name}>")
        leaf(path, "sending-hei-id", sender.hei_id or "")
        if condition.sending_unit_ref:
            leaf(path, "sending-ounit-id", units.get(condition.sending_unit_ref, condition.sending_unit_ref))
        leaf(path, "receiving-hei-id", receiver.hei_id or "")
        if condition.receiving_unit_ref:
            leaf(
                path,
                "receiving-ounit-id",
                units.get(condition.receiving_unit_ref, condition.receiving_unit_ref),
            )
        # The academic years are hashed after everything else of the mobility, by their name alone.
        self.leaf("receiving-first-academic-year-id", condition.first_academic_year)
        self.leaf("receiving-last-academic-year-id", condition.last_academic_year)
        leaf(path, "mobilities-per-year", str(condition.mobilities_per_year))
        for skill in condition.language_skills:
            skill_path = f"{element_name}.recommended-language-skill."
            out.append("<recommended-language-skill>")
            leaf(skill_path, "language", skill.language)
            if skill.cefr_level:
                leaf(skill_path, "cefr-level", skill.cefr_level)
            if skill.isced_code:
                self.subject_area(
                    "recommended-language-skill.subject-area.", skill.isced_code, skill.clarification
                )
            out.append("</recommended-language-skill>")
        for area in condition.subject_areas:
            self.subject_area(f"{element_name}.subject-area.", area.isced_code, area.clarification)
        if condition.other_info:
            leaf(path, "other-info-terms", condition.other_info)
        if condition.mobility_type in _STUDENT:
            if condition.total_months_per_year is not None:
                leaf(path, "total-months-per-year", decimal_text(condition.total_months_per_year))
            leaf(path, "blended", "true" if condition.blended else "false")
            for level in condition.eqf_levels:
                leaf(path, "eqf-level", str(level))
        elif condition.total_days_per_year is not None:
            leaf(path, "total-days-per-year", decimal_text(condition.total_days_per_year))
        out.append(f"</{element_name}>")
        self.hashed.append(
            f"_receiving-first-academic-year-id={condition.first_academic_year}_"
            f"_receiving-last-academic-year-id={condition.last_academic_year}_"
        )

    def subject_area(self, path: str, isced_code: str, clarification: str | None) -> None:
        self.out.append("<subject-area>")
        self.hashed_leaf(path, "isced-f-code", isced_code)
        if clarification:
            self.hashed_leaf(path, "isced-clarification", clarification)
        self.out.append("</subject-area>")


def _escape(text: str) -> str:
    # ``\r`` becomes a character reference: written raw, it would reach the reader, and so the hash the
    # reader computes, as ``\n``. Four substring tests cost less than a regular expression, and most
    # values need no escaping.
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text


def get_response_of(iias: Iterable[WrittenIia]) -> bytes:
    """A complete ``iias-get-response`` document (UTF-8 bytes) holding the written ``iias``."""
    body = "".join(f"\n{written.xml}" for written in iias)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<iias-get-response xmlns="{IIAS_V7_NAMESPACE}" xmlns:c="{CONTACT_NAMESPACE}">{body}\n'
        "</iias-get-response>\n"
    ).encode()


def get_response(iias: Iterable[etree._Element]) -> bytes:
    """A complete ``iias-get-response`` document (UTF-8 bytes) holding ``iias``."""
    root = etree.Element(_q("iias-get-response"), nsmap=_NSMAP)
    root.extend(iias)
    return cast(bytes, etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# --- reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedIia:
    """One ``iia`` as received: the content document, and what EWP says about it beside the content."""

    document: dict[str, Any]
    in_effect: bool
    terminated_as_a_whole: bool
    iia_hash: str
    not_yet_defined: bool
    """Some element is flagged ``not-yet-defined``; such an agreement cannot be approved."""


def _text(element: etree._Element, name: str, namespace: str = IIAS_V7_NAMESPACE) -> str | None:
    child = element.find(f"{{*}}{name}")
    if child is None or child.text is None:
        return None
    return cast(str, child.text).strip()


def _subject_area(element: etree._Element | None) -> tuple[str | None, str | None]:
    if element is None:
        return None, None
    return _text(element, "isced-f-code"), _text(element, "isced-clarification")


def content_from_iia(iia: etree._Element) -> ImportedIia:
    """The agreement document of a received ``iia`` element (read with a safe parser beforehand).

    Partners are named by hei-id (``organisation_ref`` and ``hei_id`` alike) and conditions get the
    keys ``c1``, ``c2``, ... in document order. The result still has to pass ``parse_content``,
    which reports, by field, what Accord cannot accept.
    """
    if iia.tag != _q("iia"):
        raise IiaXmlError(f"expected an IIAs v7 <iia> element, found {iia.tag}.")
    partners = []
    hei_positions: dict[str, int] = {}
    for index, element in enumerate(iia.findall(_q("partner"))):
        hei_id = _text(element, "hei-id")
        if not hei_id:
            raise IiaXmlError(f"partner {index + 1} has no hei-id.")
        hei_positions[hei_id.lower()] = index
        signing = element.find(_q("signing-contact"))
        signing_date = _text(element, "signing-date")
        partners.append(
            {
                "organisation_ref": hei_id,
                "hei_id": hei_id,
                "unit_ref": _text(element, "ounit-id"),
                "partner_agreement_id": _text(element, "iia-id"),
                "partner_agreement_code": _text(element, "iia-code"),
                "signing_contact": _text(signing, "contact-name", CONTACT_NAMESPACE)
                if signing is not None
                else None,
                # xs:date may carry a time zone ("2026-03-01Z"); Accord keeps the day.
                "signing_date": date.fromisoformat(signing_date[:10]).isoformat() if signing_date else None,
            }
        )
    conditions_element = iia.find(_q("cooperation-conditions"))
    if conditions_element is None:
        raise IiaXmlError("the agreement has no cooperation-conditions.")
    conditions = [
        _read_spec(spec, index, hei_positions)
        for index, spec in enumerate(
            child for child in conditions_element if etree.QName(child).localname in _MOBILITY_TYPE_OF
        )
    ]
    document = {
        "partners": partners,
        "conditions": conditions,
        "terms": {"agreement_type": "erasmus_iia"},
    }
    return ImportedIia(
        document=document,
        in_effect=_text(iia, "in-effect") == "true",
        terminated_as_a_whole=conditions_element.get("terminated-as-a-whole") in ("true", "1"),
        iia_hash=(_text(iia, "iia-hash") or "").lower(),
        not_yet_defined=any(
            element.get("not-yet-defined") in ("true", "1") for element in iia.iter(etree.Element)
        ),
    )


def _partner_index(hei_id: str | None, positions: Mapping[str, int], what: str) -> int:
    if hei_id is None or hei_id.lower() not in positions:
        raise IiaXmlError(f"{what} {hei_id!r} is not one of the agreement's partners.")
    return positions[hei_id.lower()]


def _read_spec(spec: etree._Element, index: int, positions: Mapping[str, int]) -> dict[str, Any]:
    mobility_type = _MOBILITY_TYPE_OF[etree.QName(spec).localname]
    condition: dict[str, Any] = {
        "key": f"c{index + 1}",
        "mobility_type": mobility_type,
        "sending_partner": _partner_index(_text(spec, "sending-hei-id"), positions, "sending-hei-id"),
        "receiving_partner": _partner_index(_text(spec, "receiving-hei-id"), positions, "receiving-hei-id"),
        "sending_unit_ref": _text(spec, "sending-ounit-id"),
        "receiving_unit_ref": _text(spec, "receiving-ounit-id"),
        "first_academic_year": _text(spec, "receiving-first-academic-year-id"),
        "last_academic_year": _text(spec, "receiving-last-academic-year-id"),
        "mobilities_per_year": _integer(_text(spec, "mobilities-per-year")),
        "language_skills": [
            _language_skill(element) for element in spec.findall(_q("recommended-language-skill"))
        ],
        "subject_areas": [
            {"isced_code": code, "clarification": clarification}
            for code, clarification in map(_subject_area, spec.findall(_q("subject-area")))
        ],
        "other_info": _text(spec, "other-info-terms") or "",
    }
    if mobility_type in _STUDENT:
        condition["total_months_per_year"] = _text(spec, "total-months-per-year")
        condition["blended"] = _text(spec, "blended") == "true"
        condition["eqf_levels"] = [_integer(element.text) for element in spec.findall(_q("eqf-level"))]
    else:
        condition["total_days_per_year"] = _text(spec, "total-days-per-year")
    return condition


def _integer(text: str | None) -> int | str | None:
    # Left as text when it is not a whole number, so that parse_content names the field at fault.
    return int(text) if text is not None and text.strip().isdigit() else text


def _language_skill(element: etree._Element) -> dict[str, Any]:
    code, clarification = _subject_area(element.find(_q("subject-area")))
    return {
        "language": _text(element, "language"),
        "cefr_level": _text(element, "cefr-level"),
        "isced_code": code,
        "clarification": clarification,
    }


def reorder_partners(document: Mapping[str, Any], first_hei_id: str) -> dict[str, Any]:
    """The document with the partner whose hei-id is ``first_hei_id`` first, condition indexes following."""
    partners: Sequence[Mapping[str, Any]] = document["partners"]
    first = next(
        (
            index
            for index, partner in enumerate(partners)
            if (partner.get("hei_id") or "").lower() == first_hei_id.lower()
        ),
        None,
    )
    if first is None:
        raise IiaXmlError(f"{first_hei_id} is not a partner of this agreement.")
    order = [first, *(index for index in range(len(partners)) if index != first)]
    new_index = {old: new for new, old in enumerate(order)}
    return {
        **document,
        "partners": [partners[index] for index in order],
        "conditions": [
            {
                **condition,
                "sending_partner": new_index[condition["sending_partner"]],
                "receiving_partner": new_index[condition["receiving_partner"]],
            }
            for condition in document["conditions"]
        ],
    }
