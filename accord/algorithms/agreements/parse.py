"""Reading and validating an agreement document: :func:`parse_content`.

Pure Python, no Django import; re-exported by :mod:`accord.algorithms.agreements.content`. Beyond JSON
types, it enforces these rules, reporting every breach at once in one :class:`AgreementContentError`,
each under the path of the field at fault (``conditions[1].eqf_levels``; ``__all__`` when the document
is not an object at all):

* ISCED-F codes, CEFR levels, languages (ISO 639) and academic years ("2026/2027") must be known ones;
* an ``erasmus_iia`` has exactly two partners, four-digit ISCED-F codes (IIAs v7) and at least one
  recommended language skill on student-studies and staff-teaching conditions (the schema's
  ``minOccurs="1"``); other agreement types have two partners or more and no such requirements;
* EQF levels (1-8), total months per year and blended mobility belong to student mobility, total days
  per year to staff mobility; quotas are positive, and months and days have at most two decimals,
  as in EWP; the last academic year is not before the first;
* no organisation partners with itself (the same ``organisation_ref``, or the same hei-id in any
  case), a condition's sending and receiving partners are two different partners that exist, and
  condition keys are unique;
* set-like lists (subject areas, EQF levels, language skills) hold no duplicates, so that "the same
  set" has one meaning for the hash and the diff;
* unknown fields are errors, not silently dropped: a stored version must say everything it meant.

Text is stored normalised (:func:`~accord.algorithms.agreements.model.normalise_text`; CEFR levels in
upper case, language codes in lower case; an empty optional text becomes ``None``), so that a document
read and written again is stable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, cast

from accord.algorithms.agreements.model import (
    AGREEMENT_TYPES,
    FORMAT_VERSION,
    MOBILITY_TYPES,
    STAFF_MOBILITY_TYPES,
    STUDENT_MOBILITY_TYPES,
    AgreementContent,
    AgreementContentError,
    AgreementPartner,
    AgreementTerms,
    AgreementType,
    CooperationCondition,
    LanguageSkill,
    MobilityType,
    SubjectArea,
    decimal_text,
    normalise_text,
)
from accord.reference.academic_years import parse_academic_year
from accord.reference.cefr import get_cefr
from accord.reference.eqf import is_eqf
from accord.reference.isced import get_isced
from accord.reference.languages import get_language

__all__ = ["parse_content"]

_ERASMUS: Final = "erasmus_iia"
# The IIAs v7 schema requires a recommended language skill on these two mobility specifications only.
_NEEDS_LANGUAGE_SKILL: Final = frozenset({"student_studies", "staff_teaching"})
_ERASMUS_ISCED_LENGTH: Final = 4
# EWP's xs:decimal quotas have fractionDigits 2.
_QUOTA_EXPONENT: Final = -2
# A sanity bound: without one, "1E+999999" would be accepted and written out as a million digits.
_QUOTA_LIMIT: Final = Decimal(1_000_000_000)
_DOCUMENT_ERRORS: Final = "__all__"
_TERMS_TEXTS: Final = (
    "fees",
    "insurance",
    "housing",
    "funding_commitments",
    "other_terms",
    "termination_notice",
)


def _field_names(cls: type) -> frozenset[str]:
    return frozenset(field.name for field in dataclasses.fields(cls))


def _describe(value: Any) -> str:
    """How a JSON value of the wrong type is named in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _at(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


_MISSING: Final = object()


class _Parser:
    """Reads one document, collecting every error instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def object(self, value: Any, path: str, what: str, allowed: frozenset[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(path or _DOCUMENT_ERRORS, f"{what} must be an object, not {_describe(value)}.")
            return None
        for name in sorted(set(value) - allowed, key=str):
            self.error(_at(path, str(name)), f"Unknown field '{name}' in {what.lower()}.")
        return value

    def list(self, data: Mapping[str, Any], name: str, path: str) -> list[Any]:
        value = data.get(name, [])
        if not isinstance(value, list | tuple):
            self.error(_at(path, name), f"Expected a list, not {_describe(value)}.")
            return []
        return list(value)

    def present(self, data: Mapping[str, Any], name: str, path: str) -> Any:
        value = data.get(name, _MISSING)
        if value is _MISSING:
            self.error(_at(path, name), "This field is required.")
        return value

    def text(self, data: Mapping[str, Any], name: str, path: str, *, required: bool = False) -> str:
        value = self.present(data, name, path) if required else data.get(name, "")
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            self.error(_at(path, name), f"Expected text, not {_describe(value)}.")
            return ""
        text = normalise_text(value)
        if required and not text:
            self.error(_at(path, name), "This field cannot be blank.")
        return text

    def optional_text(self, data: Mapping[str, Any], name: str, path: str) -> str | None:
        value = data.get(name)
        if value is None:
            return None
        return self.text(data, name, path) or None

    def boolean(self, data: Mapping[str, Any], name: str, path: str) -> bool:
        value = data.get(name, False)
        if not isinstance(value, bool):
            self.error(_at(path, name), f"Expected true or false, not {_describe(value)}.")
            return False
        return value

    def integer(self, value: Any, path: str) -> int | None:
        if isinstance(value, float | Decimal):
            self.error(path, f"{value} is not a whole number.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if value is not _MISSING:
                self.error(path, f"Expected a whole number, not {_describe(value)}.")
            return None
        # mypy does not narrow Any through the `or` above.
        return cast(int, value)

    def quota(self, data: Mapping[str, Any], name: str, path: str) -> Decimal | None:
        value = data.get(name)
        if value is None:
            return None
        path = _at(path, name)
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.error(path, f"Expected a number, not {_describe(value)}.")
            return None
        try:
            # repr, not the binary value: 2.3 means "2.3", not 2.29999999999999982236431605997495353221893.
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            self.error(path, f"'{value}' is not a number.")
            return None
        if not number.is_finite():
            self.error(path, f"'{value}' is not a number.")
        elif number <= 0:
            self.error(path, "Must be more than 0.")
        elif number >= _QUOTA_LIMIT:
            self.error(path, f"Must be less than {_QUOTA_LIMIT:,}.")
        # Finite by now, so the exponent is a number rather than "n", "N" or "F".
        elif cast(int, number.normalize().as_tuple().exponent) < _QUOTA_EXPONENT:
            self.error(path, "Use at most two decimal places.")
        else:
            return Decimal(decimal_text(number))
        return None

    def date(self, data: Mapping[str, Any], name: str, path: str) -> date | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(_at(path, name), f"'{value}' is not a date: write it as YYYY-MM-DD.")
        return None

    def academic_year(self, data: Mapping[str, Any], name: str, path: str) -> str | None:
        value = self.present(data, name, path)
        if value is _MISSING:
            return None
        try:
            return parse_academic_year(value).label
        except ValueError as error:
            self.error(_at(path, name), str(error))
        return None

    def isced(self, value: Any, path: str, erasmus: bool) -> str:
        field = get_isced(value) if isinstance(value, str) else None
        if field is None:
            self.error(path, f"'{value}' is not an ISCED-F 2013 field code (such as '0413').")
            return ""
        if erasmus and len(field.code) != _ERASMUS_ISCED_LENGTH:
            whole_field = field.code.ljust(_ERASMUS_ISCED_LENGTH, "0")
            hint = f" ('{whole_field}' is the whole field)" if get_isced(whole_field) else ""
            self.error(
                path,
                f"An Erasmus+ agreement needs a four-digit ISCED-F code; "
                f"'{field.code}' is a {field.level} field{hint}.",
            )
        return field.code


def parse_content(data: Mapping[str, Any]) -> AgreementContent:
    """Validate a JSON document (as :func:`content_to_dict` writes it) and return its content.

    Raises :class:`AgreementContentError` listing every problem, each under its field path.
    """
    parser = _Parser()
    document = parser.object(data, "", "An agreement", _field_names(AgreementContent) | {"format_version"})
    if document is None:
        raise AgreementContentError(parser.errors)
    version = document.get("format_version", FORMAT_VERSION)
    if isinstance(version, bool) or version != FORMAT_VERSION:
        parser.error("format_version", f"Unsupported format version {version!r}: expected {FORMAT_VERSION}.")
    terms = _parse_terms(parser, parser.present(document, "terms", ""))
    erasmus = terms is not None and terms.agreement_type == _ERASMUS
    partners = _parse_partners(parser, parser.present(document, "partners", ""), erasmus)
    conditions = _parse_conditions(parser, document, erasmus)
    if parser.errors or terms is None or partners is None:
        raise AgreementContentError(parser.errors)
    return AgreementContent(partners=tuple(partners), conditions=tuple(conditions), terms=terms)


def _parse_terms(parser: _Parser, value: Any) -> AgreementTerms | None:
    if value is _MISSING:
        return None
    data = parser.object(value, "terms", "Terms", _field_names(AgreementTerms))
    if data is None:
        return None
    agreement_type = parser.text(data, "agreement_type", "terms", required=True)
    if agreement_type not in AGREEMENT_TYPES:
        if agreement_type:
            parser.error(
                "terms.agreement_type",
                f"'{agreement_type}' is not an agreement type: use one of {', '.join(AGREEMENT_TYPES)}.",
            )
        return None
    return AgreementTerms(
        agreement_type=cast(AgreementType, agreement_type),
        tuition_waiver=parser.boolean(data, "tuition_waiver", "terms"),
        **{name: parser.text(data, name, "terms") for name in _TERMS_TEXTS},
    )


def _parse_partners(parser: _Parser, value: Any, erasmus: bool) -> list[AgreementPartner] | None:
    if value is _MISSING:
        return None
    if not isinstance(value, list | tuple):
        parser.error("partners", f"Expected a list, not {_describe(value)}.")
        return None
    partners: list[AgreementPartner] = []
    by_ref: dict[str, int] = {}
    by_hei: dict[str, int] = {}
    for index, item in enumerate(value):
        path = _at("partners", index)
        data = parser.object(item, path, "A partner", _field_names(AgreementPartner))
        if data is None:
            continue
        partner = AgreementPartner(
            organisation_ref=parser.text(data, "organisation_ref", path, required=True),
            hei_id=parser.optional_text(data, "hei_id", path),
            unit_ref=parser.optional_text(data, "unit_ref", path),
            partner_agreement_id=parser.optional_text(data, "partner_agreement_id", path),
            partner_agreement_code=parser.optional_text(data, "partner_agreement_code", path),
            signing_contact=parser.optional_text(data, "signing_contact", path),
            signing_date=parser.date(data, "signing_date", path),
        )
        for name, identity, seen in (
            ("organisation_ref", partner.organisation_ref, by_ref),
            ("hei_id", (partner.hei_id or "").casefold(), by_hei),
        ):
            if identity and identity in seen:
                parser.error(
                    _at(path, name),
                    f"This organisation is already partners[{seen[identity]}]: "
                    "an organisation cannot partner with itself.",
                )
            seen.setdefault(identity, index)
        partners.append(partner)
    if len(value) < 2:
        parser.error("partners", "An agreement needs at least two partners.")
    elif erasmus and len(value) > 2:
        parser.error(
            "partners",
            "An Erasmus+ inter-institutional agreement has exactly two partners; "
            "choose another agreement type for a multilateral agreement.",
        )
    return partners


def _parse_conditions(
    parser: _Parser, document: Mapping[str, Any], erasmus: bool
) -> list[CooperationCondition]:
    raw_partners = document.get("partners")
    partner_count = len(raw_partners) if isinstance(raw_partners, list | tuple) else None
    conditions = []
    keys: dict[str, int] = {}
    for index, item in enumerate(parser.list(document, "conditions", "")):
        path = _at("conditions", index)
        data = parser.object(item, path, "A condition", _field_names(CooperationCondition))
        if data is None:
            continue
        condition = _parse_condition(parser, data, path, partner_count, erasmus)
        # Read again rather than from the condition, which is None when any other field is wrong.
        raw_key = data.get("key")
        key = normalise_text(raw_key) if isinstance(raw_key, str) else ""
        if key in keys:
            parser.error(
                _at(path, "key"),
                f"Key '{key}' is already used by conditions[{keys[key]}]: each condition needs its own key.",
            )
        if key:
            keys.setdefault(key, index)
        if condition is not None:
            conditions.append(condition)
    return conditions


def _parse_condition(
    parser: _Parser, data: Mapping[str, Any], path: str, partner_count: int | None, erasmus: bool
) -> CooperationCondition | None:
    key = parser.text(data, "key", path, required=True)
    mobility_type = parser.text(data, "mobility_type", path, required=True)
    if mobility_type and mobility_type not in MOBILITY_TYPES:
        parser.error(
            _at(path, "mobility_type"),
            f"'{mobility_type}' is not a mobility type: use one of {', '.join(MOBILITY_TYPES)}.",
        )
    student = mobility_type in STUDENT_MOBILITY_TYPES
    staff = mobility_type in STAFF_MOBILITY_TYPES

    sending = _partner_index(parser, data, "sending_partner", path, partner_count)
    receiving = _partner_index(parser, data, "receiving_partner", path, partner_count)
    if sending is not None and sending == receiving:
        parser.error(
            _at(path, "receiving_partner"), "The receiving partner must differ from the sending partner."
        )

    first = parser.academic_year(data, "first_academic_year", path)
    last = parser.academic_year(data, "last_academic_year", path)
    if first is not None and last is not None and last < first:
        parser.error(_at(path, "last_academic_year"), f"{last} is before the first academic year, {first}.")

    mobilities = parser.integer(
        parser.present(data, "mobilities_per_year", path), _at(path, "mobilities_per_year")
    )
    if mobilities is not None and mobilities < 1:
        parser.error(_at(path, "mobilities_per_year"), "Agree at least one mobility per year.")

    months = parser.quota(data, "total_months_per_year", path)
    days = parser.quota(data, "total_days_per_year", path)
    if months is not None and staff:
        parser.error(
            _at(path, "total_months_per_year"),
            "Staff mobility is counted in days: use total_days_per_year.",
        )
    if days is not None and student:
        parser.error(
            _at(path, "total_days_per_year"),
            "Student mobility is counted in months: use total_months_per_year.",
        )
    blended = parser.boolean(data, "blended", path)
    if blended and staff:
        parser.error(_at(path, "blended"), "Blended mobility applies to student mobility only.")

    eqf_levels = _parse_eqf_levels(parser, data, path, staff)
    subject_areas = _parse_subject_areas(parser, data, path, erasmus)
    language_skills = _parse_language_skills(parser, data, path, erasmus)
    if erasmus and mobility_type in _NEEDS_LANGUAGE_SKILL and not language_skills:
        parser.error(
            _at(path, "language_skills"),
            "Student studies and staff teaching in an Erasmus+ agreement need at least one "
            "recommended language skill.",
        )
    sending_unit = parser.optional_text(data, "sending_unit_ref", path)
    receiving_unit = parser.optional_text(data, "receiving_unit_ref", path)
    other_info = parser.text(data, "other_info", path)
    if (
        mobility_type not in MOBILITY_TYPES
        or sending is None
        or receiving is None
        or first is None
        or last is None
        or mobilities is None
    ):
        return None
    return CooperationCondition(
        key=key,
        mobility_type=cast(MobilityType, mobility_type),
        sending_partner=sending,
        receiving_partner=receiving,
        first_academic_year=first,
        last_academic_year=last,
        mobilities_per_year=mobilities,
        sending_unit_ref=sending_unit,
        receiving_unit_ref=receiving_unit,
        subject_areas=subject_areas,
        eqf_levels=eqf_levels,
        language_skills=language_skills,
        total_months_per_year=months,
        total_days_per_year=days,
        blended=blended,
        other_info=other_info,
    )


def _partner_index(
    parser: _Parser, data: Mapping[str, Any], name: str, path: str, partner_count: int | None
) -> int | None:
    index = parser.integer(parser.present(data, name, path), _at(path, name))
    if index is None or partner_count is None:
        return None
    if not 0 <= index < partner_count:
        parser.error(
            _at(path, name),
            f"There is no partner {index}: partners are numbered from 0 to {partner_count - 1}.",
        )
        return None
    return index


def _parse_eqf_levels(parser: _Parser, data: Mapping[str, Any], path: str, staff: bool) -> tuple[int, ...]:
    levels: list[int] = []
    levels_path = _at(path, "eqf_levels")
    for value in parser.list(data, "eqf_levels", path):
        if not is_eqf(value):
            parser.error(levels_path, f"{value!r} is not an EQF level: use a whole number from 1 to 8.")
        elif value in levels:
            parser.error(levels_path, f"EQF level {value} is listed twice.")
        else:
            levels.append(value)
    if levels and staff:
        parser.error(levels_path, "EQF levels apply to student mobility only; leave them out for staff.")
    return tuple(levels)


def _unique_items(
    parser: _Parser,
    data: Mapping[str, Any],
    name: str,
    path: str,
    read: Callable[[Mapping[str, Any], str], Any],
    allowed: frozenset[str],
    what: str,
) -> tuple[Any, ...]:
    items: list[Any] = []
    for index, item in enumerate(parser.list(data, name, path)):
        item_path = _at(_at(path, name), index)
        item_data = parser.object(item, item_path, what, allowed)
        if item_data is None:
            continue
        value = read(item_data, item_path)
        if value in items:
            parser.error(item_path, f"This is the same as {name}[{items.index(value)}].")
        else:
            items.append(value)
    return tuple(items)


def _parse_subject_areas(
    parser: _Parser, data: Mapping[str, Any], path: str, erasmus: bool
) -> tuple[SubjectArea, ...]:
    def read(item: Mapping[str, Any], item_path: str) -> SubjectArea:
        code = parser.isced(
            parser.present(item, "isced_code", item_path), _at(item_path, "isced_code"), erasmus
        )
        return SubjectArea(code, parser.optional_text(item, "clarification", item_path))

    return _unique_items(
        parser, data, "subject_areas", path, read, _field_names(SubjectArea), "A subject area"
    )


def _parse_language_skills(
    parser: _Parser, data: Mapping[str, Any], path: str, erasmus: bool
) -> tuple[LanguageSkill, ...]:
    def read(item: Mapping[str, Any], item_path: str) -> LanguageSkill:
        raw_language = parser.present(item, "language", item_path)
        language = get_language(raw_language) if isinstance(raw_language, str) else None
        if language is None and raw_language is not _MISSING:
            parser.error(
                _at(item_path, "language"),
                f"'{raw_language}' is not a language code: use ISO 639-1 ('en'), "
                "or ISO 639-3 for a language without a two-letter code.",
            )
        raw_level = item.get("cefr_level")
        level = get_cefr(raw_level) if isinstance(raw_level, str) else None
        if raw_level is not None and level is None:
            parser.error(
                _at(item_path, "cefr_level"),
                f"'{raw_level}' is not a CEFR level: use A1, A2, B1, B2, C1 or C2.",
            )
        raw_code = item.get("isced_code")
        code = parser.isced(raw_code, _at(item_path, "isced_code"), erasmus) if raw_code is not None else None
        clarification = parser.optional_text(item, "clarification", item_path)
        if clarification is not None and raw_code is None:
            parser.error(
                _at(item_path, "clarification"), "A clarification needs the ISCED-F code it clarifies."
            )
        return LanguageSkill(
            language=language.code if language else "",
            cefr_level=level.code if level else None,
            isced_code=code,
            clarification=clarification,
        )

    return _unique_items(
        parser, data, "language_skills", path, read, _field_names(LanguageSkill), "A language skill"
    )
