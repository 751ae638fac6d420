"""Canonical serialisation and SHA-256 of an agreement's cooperation conditions (and, apart, its terms).

Pure Python, no Django import; re-exported by :mod:`accord.algorithms.agreements.content`. An approval
records :func:`conditions_hash`, so the hash must change exactly when what the partners agreed to
exchange changes, and never because of how the same agreement happens to be written down.

What the conditions hash covers
===============================

IN, for every cooperation condition:

* ``mobility_type``, ``first_academic_year``, ``last_academic_year``, ``mobilities_per_year``,
  ``total_months_per_year``, ``total_days_per_year``, ``blended``, ``other_info``;
* who sends and who receives: the sending and receiving partners' ``organisation_ref`` with the
  condition's ``sending_unit_ref`` / ``receiving_unit_ref``;
* ``subject_areas`` (``isced_code``, ``clarification``), ``eqf_levels`` and ``language_skills``
  (``language``, ``cefr_level``, ``isced_code``, ``clarification``).

OUT:

* the condition ``key``: it is Accord's bookkeeping to follow a condition across versions, chosen
  by whoever created the condition, not something the partners agree on; a renewal or a partner's
  imported copy gives other keys to the same conditions;
* the *position* of a partner in ``partners`` (conditions name partners by ``organisation_ref``
  instead), so reordering partners changes nothing;
* everything about partners that is not referenced as sender or receiver: ``hei_id``, the partner's
  own ``unit_ref``, ``partner_agreement_id``/``partner_agreement_code`` (identifiers of the document,
  not of its content; an organisation's hei-id may become known later), ``signing_contact`` and
  ``signing_date`` (they record the approval, so cannot be part of what is approved), and a partner
  no condition refers to;
* :class:`~accord.algorithms.agreements.model.AgreementTerms`: the issue fixes the approval hash to the
  cooperation conditions; :func:`terms_hash` hashes the terms on their own for a layer that wants to
  approve them too.

Canonical form
==============

UTF-8 JSON with sorted keys and no insignificant whitespace (``separators=(",", ":")``, non-ASCII kept
as is), of ``{"format": "accord.agreement.conditions/1", "conditions": [...]}``, where:

* every text is :func:`~accord.algorithms.agreements.model.normalise_text`-ed (NFC, ``\\n`` line ends,
  surrounding whitespace trimmed), an empty optional text is ``null``, CEFR levels are upper case
  and language codes lower case;
* Decimals are strings without insignificant zeros (``2.50`` and ``2.5`` are both ``"2.5"``);
* subject areas, EQF levels and language skills, which are sets, are sorted (by their canonical
  JSON, EQF levels numerically), and so are the conditions themselves, by their own canonical JSON:
  their position in the agreement is not part of the hash;
* the ``format`` string is constant; it exists so that a future change of this form cannot produce
  the hash of an older one for different content.

Contents are taken as :func:`~accord.algorithms.agreements.parse.parse_content` makes them valid.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

from accord.algorithms.agreements.model import (
    AgreementContent,
    AgreementPartner,
    CooperationCondition,
    LanguageSkill,
    SubjectArea,
    json_value,
    normalise_text,
)

__all__ = [
    "CONDITIONS_FORMAT",
    "TERMS_FORMAT",
    "canonical_conditions",
    "canonical_terms",
    "conditions_hash",
    "terms_hash",
]

CONDITIONS_FORMAT: Final = "accord.agreement.conditions/1"
TERMS_FORMAT: Final = "accord.agreement.terms/1"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _optional(text: str | None) -> str | None:
    return normalise_text(text) or None if text is not None else None


def _sorted_set(items: list[Any]) -> list[Any]:
    return sorted(items, key=_dumps)


def _subject_area(area: SubjectArea) -> dict[str, Any]:
    return {"isced_code": normalise_text(area.isced_code), "clarification": _optional(area.clarification)}


def _language_skill(skill: LanguageSkill) -> dict[str, Any]:
    level = _optional(skill.cefr_level)
    return {
        "language": normalise_text(skill.language).lower(),
        "cefr_level": level.upper() if level else None,
        "isced_code": _optional(skill.isced_code),
        "clarification": _optional(skill.clarification),
    }


def _party(partner: AgreementPartner, unit_ref: str | None) -> dict[str, Any]:
    return {"organisation_ref": normalise_text(partner.organisation_ref), "unit_ref": _optional(unit_ref)}


def _canonical_condition(content: AgreementContent, condition: CooperationCondition) -> dict[str, Any]:
    def quota(value: Any) -> str | None:
        return json_value(value) if value is not None else None

    return {
        "mobility_type": condition.mobility_type,
        "sending": _party(content.partners[condition.sending_partner], condition.sending_unit_ref),
        "receiving": _party(content.partners[condition.receiving_partner], condition.receiving_unit_ref),
        "first_academic_year": normalise_text(condition.first_academic_year),
        "last_academic_year": normalise_text(condition.last_academic_year),
        "mobilities_per_year": condition.mobilities_per_year,
        "total_months_per_year": quota(condition.total_months_per_year),
        "total_days_per_year": quota(condition.total_days_per_year),
        "blended": condition.blended,
        "subject_areas": _sorted_set([_subject_area(area) for area in condition.subject_areas]),
        "eqf_levels": sorted(condition.eqf_levels),
        "language_skills": _sorted_set([_language_skill(skill) for skill in condition.language_skills]),
        "other_info": normalise_text(condition.other_info),
    }


def canonical_conditions(content: AgreementContent) -> bytes:
    """The canonical serialisation of ``content``'s cooperation conditions (see the module docstring)."""
    conditions = _sorted_set([_canonical_condition(content, c) for c in content.conditions])
    return _dumps({"format": CONDITIONS_FORMAT, "conditions": conditions}).encode("utf-8")


def canonical_terms(content: AgreementContent) -> bytes:
    """The canonical serialisation of ``content``'s terms, with the same text rules as the conditions."""
    return _dumps({"format": TERMS_FORMAT, "terms": json_value(content.terms)}).encode("utf-8")


def conditions_hash(content: AgreementContent) -> str:
    """Lower-case hex SHA-256 of :func:`canonical_conditions`: what an approval records."""
    return hashlib.sha256(canonical_conditions(content)).hexdigest()


def terms_hash(content: AgreementContent) -> str:
    """Lower-case hex SHA-256 of :func:`canonical_terms`."""
    return hashlib.sha256(canonical_terms(content)).hexdigest()
