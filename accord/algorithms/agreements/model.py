"""The data model of an agreement version: typed, frozen dataclasses and their JSON form.

Pure Python, no Django import. The public names are re-exported by
:mod:`accord.algorithms.agreements.content`, which callers should import from; the document format and
the rules it must satisfy are described there and in :mod:`accord.algorithms.agreements.parse`.

The model mirrors an EWP IIAs API v7 ``iia`` (``get-response.xsd``) so that an Erasmus+ agreement can be
exchanged without loss, and widens it where partnerships outside Erasmus+ need more:

* :class:`AgreementPartner` is an EWP ``partner`` (``hei-id``, ``ounit-id``, ``iia-id``, ``iia-code``,
  signing contact and date) identified by ``organisation_ref``: Accord's organisation id, or a SCHAC
  hei-id for an organisation Accord does not hold.
* :class:`CooperationCondition` is one ``*-mobility-spec``: a one-way flow of students or staff from a
  sending to a receiving partner over a range of academic years. ``key`` is chosen by the caller and
  kept across versions, so that diffs follow a condition even when conditions are reordered.
* :class:`AgreementTerms` holds what EWP has no element for (fees, insurance, housing, ...).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal, get_args

__all__ = [
    "AGREEMENT_TYPES",
    "FORMAT_VERSION",
    "MOBILITY_TYPES",
    "STAFF_MOBILITY_TYPES",
    "STUDENT_MOBILITY_TYPES",
    "AgreementContent",
    "AgreementContentError",
    "AgreementPartner",
    "AgreementTerms",
    "AgreementType",
    "CooperationCondition",
    "LanguageSkill",
    "MobilityType",
    "SubjectArea",
    "content_from_dict",
    "content_to_dict",
    "decimal_text",
    "json_value",
    "normalise_text",
]

MobilityType = Literal["student_studies", "student_traineeship", "staff_teaching", "staff_training"]
AgreementType = Literal["erasmus_iia", "memorandum_of_understanding", "specific_agreement", "other"]

MOBILITY_TYPES: Final[tuple[MobilityType, ...]] = get_args(MobilityType)
STUDENT_MOBILITY_TYPES: Final = frozenset({"student_studies", "student_traineeship"})
STAFF_MOBILITY_TYPES: Final = frozenset({"staff_teaching", "staff_training"})
AGREEMENT_TYPES: Final[tuple[AgreementType, ...]] = get_args(AgreementType)

# Written into every document so that a later change of format can still read old versions.
FORMAT_VERSION: Final = 1


@dataclasses.dataclass(frozen=True, slots=True)
class SubjectArea:
    """An ISCED-F 2013 field (EWP ``subject-area``), with an optional clarification of the field."""

    isced_code: str
    clarification: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class LanguageSkill:
    """A recommended language skill (EWP ``recommended-language-skill``).

    ``language`` is an ISO 639 code, ``cefr_level`` the recommended minimum ("B2", optional as in EWP),
    and ``isced_code``/``clarification`` the optional subject area the recommendation applies to.
    """

    language: str
    cefr_level: str | None = None
    isced_code: str | None = None
    clarification: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class AgreementPartner:
    """One party to the agreement; ``organisation_ref`` identifies it (see the module docstring)."""

    organisation_ref: str
    hei_id: str | None = None
    unit_ref: str | None = None
    partner_agreement_id: str | None = None
    partner_agreement_code: str | None = None
    signing_contact: str | None = None
    signing_date: date | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class CooperationCondition:
    """One mobility specification: ``sending_partner`` sends up to ``mobilities_per_year`` people a year
    to ``receiving_partner`` (both indexes into :attr:`AgreementContent.partners`) from
    ``first_academic_year`` to ``last_academic_year`` ("2026/2027" labels), both included.

    Students have ``total_months_per_year``, ``eqf_levels`` and ``blended``; staff have
    ``total_days_per_year``. ``subject_areas``, ``eqf_levels`` and ``language_skills`` are sets: their
    order carries no meaning.
    """

    key: str
    mobility_type: MobilityType
    sending_partner: int
    receiving_partner: int
    first_academic_year: str
    last_academic_year: str
    mobilities_per_year: int
    sending_unit_ref: str | None = None
    receiving_unit_ref: str | None = None
    subject_areas: tuple[SubjectArea, ...] = ()
    eqf_levels: tuple[int, ...] = ()
    language_skills: tuple[LanguageSkill, ...] = ()
    total_months_per_year: Decimal | None = None
    total_days_per_year: Decimal | None = None
    blended: bool = False
    other_info: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class AgreementTerms:
    """The agreement's type and the terms EWP cooperation conditions do not cover, as free text."""

    agreement_type: AgreementType
    tuition_waiver: bool = False
    fees: str = ""
    insurance: str = ""
    housing: str = ""
    funding_commitments: str = ""
    other_terms: str = ""
    termination_notice: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class AgreementContent:
    """Everything one version of an agreement says: who, which mobility flows, and on what terms."""

    partners: tuple[AgreementPartner, ...]
    conditions: tuple[CooperationCondition, ...]
    terms: AgreementTerms


class AgreementContentError(ValueError):
    """A document that is not a valid agreement; ``errors`` maps each field path to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {path: list(messages) for path, messages in errors.items()}
        count = sum(len(messages) for messages in self.errors.values())
        first_path, first_messages = next(iter(self.errors.items()))
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"{first_path}: {first_messages[0]}{more}")


# --- Normal forms -----------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """The stored and hashed form of text: NFC, ``\\n`` line ends, no surrounding whitespace."""
    # Browsers submit text areas with \r\n; the same words must not become a different version.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def decimal_text(value: Decimal) -> str:
    """A quota as plain text without insignificant zeros: ``2.50`` gives "2.5", ``1E+1`` gives "10"."""
    return format(value.normalize(), "f")


def json_value(value: Any) -> Any:
    """The JSON form of any part of a content, as :func:`content_to_dict` writes it.

    Dataclasses become objects, tuples lists, dates ISO strings, Decimals :func:`decimal_text`, and text
    is normalised.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: json_value(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [json_value(item) for item in value]
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def content_to_dict(content: AgreementContent) -> dict[str, Any]:
    """The JSON document for ``content``, which :func:`parse_content` reads back as an equal content."""
    return {"format_version": FORMAT_VERSION, **json_value(content)}


def content_from_dict(document: Mapping[str, Any]) -> AgreementContent:
    """The content of a document :func:`content_to_dict` wrote, read back without validation.

    For stored versions only, which were validated when they were written: re-validating them costs
    more than the rest of serving them. Anything received goes through ``parse_content`` instead.
    """
    return AgreementContent(
        partners=tuple(
            AgreementPartner(
                **{
                    **partner,
                    "signing_date": date.fromisoformat(partner["signing_date"])
                    if partner.get("signing_date")
                    else None,
                }
            )
            for partner in document["partners"]
        ),
        conditions=tuple(_condition_from_dict(condition) for condition in document["conditions"]),
        terms=AgreementTerms(**document["terms"]),
    )


def _condition_from_dict(condition: Mapping[str, Any]) -> CooperationCondition:
    def quota(name: str) -> Decimal | None:
        value = condition.get(name)
        return Decimal(value) if value is not None else None

    return CooperationCondition(
        **{
            **condition,
            "subject_areas": tuple(SubjectArea(**area) for area in condition.get("subject_areas", ())),
            "eqf_levels": tuple(condition.get("eqf_levels", ())),
            "language_skills": tuple(
                LanguageSkill(**skill) for skill in condition.get("language_skills", ())
            ),
            "total_months_per_year": quota("total_months_per_year"),
            "total_days_per_year": quota("total_days_per_year"),
        }
    )
