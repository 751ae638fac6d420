"""Agreement contents to and from EWP IIAs API v7 ``iia`` elements.

Pure Python (lxml), no Django import. :func:`iia_element` writes an ``iia`` for a get-response,
:func:`content_from_iia` reads one back into the JSON document of
:mod:`accord.algorithms.agreement_content`. What the hash covers survives the round trip exactly:
``conditions_hash`` of the content, and the EWP ``iia-hash`` of the element, are the same after
``content_from_iia(iia_element(content))``.

Partners are identified in EWP by hei-id, so every partner of an exported content needs one; an
imported content names each partner by its hei-id (``organisation_ref``), and the caller maps those
to its own organisations. Units travel as ``ounit-id`` s in both directions. Contacts other than the
signing contact's name, and the terms that EWP has no element for, are not exchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from lxml import etree

from accord.algorithms.agreement_model import AgreementContent, CooperationCondition, decimal_text
from accord.algorithms.iia_hash import IIAS_V7_NAMESPACE, hash_iia

__all__ = [
    "CONTACT_NAMESPACE",
    "IiaXmlError",
    "ImportedIia",
    "content_from_iia",
    "get_response",
    "iia_element",
    "reorder_partners",
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


def _sub(parent: etree._Element, name: str, text: str | None = None, namespace: str = IIAS_V7_NAMESPACE):
    child = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        child.text = text
    return child


# --- writing ----------------------------------------------------------------------------------------


def iia_element(
    content: AgreementContent,
    *,
    in_effect: bool,
    terminated_as_a_whole: bool = False,
    ounit_ids: Mapping[str, str] | None = None,
) -> etree._Element:
    """An ``iia`` element for ``content``, its partners in the order of the content.

    The serving institution's copy lists that institution first; reorder the partners before calling
    (the conditions follow them by index). ``ounit_ids`` maps Accord unit references to the EWP
    ounit-ids the node publishes (by default the references themselves). The ``iia-hash`` is computed
    natively, as the official stylesheet would.
    """
    units = ounit_ids or {}
    missing = [str(index) for index, partner in enumerate(content.partners) if not partner.hei_id]
    if missing:
        raise IiaXmlError(f"partners {', '.join(missing)} have no hei-id; EWP identifies partners by hei-id.")
    if len(content.partners) != 2:
        raise IiaXmlError(f"an EWP IIA has exactly two partners, this agreement has {len(content.partners)}.")
    iia = etree.Element(_q("iia"), nsmap=_NSMAP)
    for partner in content.partners:
        element = _sub(iia, "partner")
        _sub(element, "hei-id", partner.hei_id)
        if partner.unit_ref:
            _sub(element, "ounit-id", units.get(partner.unit_ref, partner.unit_ref))
        if partner.partner_agreement_id:
            _sub(element, "iia-id", partner.partner_agreement_id)
        if partner.partner_agreement_code:
            _sub(element, "iia-code", partner.partner_agreement_code)
        if partner.signing_contact:
            contact = _sub(element, "signing-contact")
            _sub(contact, "contact-name", partner.signing_contact, CONTACT_NAMESPACE)
        if partner.signing_date:
            _sub(element, "signing-date", partner.signing_date.isoformat())
    _sub(iia, "in-effect", "true" if in_effect else "false")
    conditions = _sub(iia, "cooperation-conditions")
    if terminated_as_a_whole:
        conditions.set("terminated-as-a-whole", "true")
    for mobility_type, element_name in _SPEC_ELEMENTS:
        for condition in content.conditions:
            if condition.mobility_type == mobility_type:
                _write_spec(_sub(conditions, element_name), condition, content, units)
    hash_element = _sub(iia, "iia-hash", "0" * 64)
    hash_element.text = hash_iia(iia).hash
    return iia


def _write_spec(
    spec: etree._Element, condition: CooperationCondition, content: AgreementContent, units: Mapping[str, str]
) -> None:
    sender = content.partners[condition.sending_partner]
    receiver = content.partners[condition.receiving_partner]
    _sub(spec, "sending-hei-id", sender.hei_id)
    if condition.sending_unit_ref:
        _sub(spec, "sending-ounit-id", units.get(condition.sending_unit_ref, condition.sending_unit_ref))
    _sub(spec, "receiving-hei-id", receiver.hei_id)
    if condition.receiving_unit_ref:
        _sub(
            spec, "receiving-ounit-id", units.get(condition.receiving_unit_ref, condition.receiving_unit_ref)
        )
    _sub(spec, "receiving-first-academic-year-id", condition.first_academic_year)
    _sub(spec, "receiving-last-academic-year-id", condition.last_academic_year)
    _sub(spec, "mobilities-per-year", str(condition.mobilities_per_year))
    for skill in condition.language_skills:
        element = _sub(spec, "recommended-language-skill")
        _sub(element, "language", skill.language)
        if skill.cefr_level:
            _sub(element, "cefr-level", skill.cefr_level)
        if skill.isced_code:
            _write_subject_area(_sub(element, "subject-area"), skill.isced_code, skill.clarification)
    for area in condition.subject_areas:
        _write_subject_area(_sub(spec, "subject-area"), area.isced_code, area.clarification)
    if condition.other_info:
        _sub(spec, "other-info-terms", condition.other_info)
    if condition.mobility_type in _STUDENT:
        if condition.total_months_per_year is not None:
            _sub(spec, "total-months-per-year", decimal_text(condition.total_months_per_year))
        _sub(spec, "blended", "true" if condition.blended else "false")
        for level in condition.eqf_levels:
            _sub(spec, "eqf-level", str(level))
    elif condition.total_days_per_year is not None:
        _sub(spec, "total-days-per-year", decimal_text(condition.total_days_per_year))


def _write_subject_area(element: etree._Element, isced_code: str, clarification: str | None) -> None:
    _sub(element, "isced-f-code", isced_code)
    if clarification:
        _sub(element, "isced-clarification", clarification)


def get_response(iias: Iterable[etree._Element]) -> bytes:
    """A complete ``iias-get-response`` document (UTF-8 bytes) holding ``iias``."""
    root = etree.Element(_q("iias-get-response"), nsmap=_NSMAP)
    root.extend(iias)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


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
    return child.text.strip()


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
