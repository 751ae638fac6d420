"""Hypothesis strategies for agreement contents, and single-field mutations of them.

Shared by the agreement tests. Every content they produce must be valid and normalised, or the
properties the other modules prove would be about contents that cannot exist: ``test_content``
checks that of the contents (its round trip), ``test_hash`` of every mutation.
"""

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from hypothesis import assume
from hypothesis import strategies as st

from accord.algorithms.agreements.content import (
    AGREEMENT_TYPES,
    MOBILITY_TYPES,
    STUDENT_MOBILITY_TYPES,
    AgreementContent,
    AgreementPartner,
    AgreementTerms,
    CooperationCondition,
    LanguageSkill,
    SubjectArea,
    decimal_text,
    normalise_text,
)
from accord.reference.academic_years import AcademicYear, parse_academic_year
from accord.reference.cefr import is_cefr
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

ISCED_CODES = ("0011", "0111", "0213", "0231", "0314", "0413", "0511", "0613", "0714", "0912", "1013")
LANGUAGES = ("en", "fr", "de", "es", "pl", "no", "pt", "it", "sw", "zh")
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Accented letters, a combining accent and line breaks, so that normalisation is exercised.
_ALPHABET = "abcXYZ éüñß→-\n\u0301"

texts = st.text(alphabet=_ALPHABET, max_size=8).map(normalise_text)
optional_texts = texts.map(lambda text: text or None)
identifiers = st.text(alphabet="abcdefghij0123456789.-", min_size=1, max_size=8)
quotas = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(999), places=2).map(
    lambda value: Decimal(decimal_text(value))
)
# Built once: hypothesis validates a strategy the first time it is drawn from, and building these
# inside the composites below made generation several times slower.
_optional_identifiers = st.none() | identifiers
_optional_quotas = st.none() | quotas
_optional_cefr = st.none() | st.sampled_from(CEFR_LEVELS)
_optional_dates = st.none() | st.dates(date(2000, 1, 1), date(2050, 12, 31))
_eqf_levels = st.lists(st.integers(1, 8), unique=True, max_size=4).map(tuple)
_mobility_types = st.sampled_from(MOBILITY_TYPES)
_first_years = st.integers(2000, 2040)
_durations = st.integers(0, 6)
_mobilities = st.integers(1, 50)


_skill_subject = st.just((None, None)) | st.tuples(st.sampled_from(ISCED_CODES), optional_texts)
_language_skill = st.builds(
    lambda language, cefr_level, subject: LanguageSkill(language, cefr_level, *subject),
    st.sampled_from(LANGUAGES),
    _optional_cefr,
    _skill_subject,
)
# Indexed by the minimum size: Erasmus+ studies and teaching need at least one skill.
_language_skills = tuple(
    st.lists(_language_skill, min_size=size, max_size=3, unique_by=lambda s: s.language).map(tuple)
    for size in (0, 1)
)
_subject_areas = st.lists(
    st.builds(SubjectArea, st.sampled_from(ISCED_CODES), optional_texts),
    max_size=3,
    unique_by=lambda area: area.isced_code,
).map(tuple)
_pairs = {count: st.permutations(range(count)).map(lambda order: order[:2]) for count in (2, 3, 4)}


@st.composite
def condition(draw: st.DrawFn, key: str, partner_count: int, erasmus: bool) -> CooperationCondition:
    mobility_type = draw(_mobility_types)
    student = mobility_type in STUDENT_MOBILITY_TYPES
    sending, receiving = draw(_pairs[partner_count])
    first = draw(_first_years)
    needs_skill = erasmus and mobility_type in {"student_studies", "staff_teaching"}
    return CooperationCondition(
        key=key,
        mobility_type=mobility_type,
        sending_partner=sending,
        receiving_partner=receiving,
        first_academic_year=AcademicYear(first).label,
        last_academic_year=AcademicYear(first + draw(_durations)).label,
        mobilities_per_year=draw(_mobilities),
        sending_unit_ref=draw(_optional_identifiers),
        receiving_unit_ref=draw(_optional_identifiers),
        subject_areas=draw(_subject_areas),
        eqf_levels=draw(_eqf_levels) if student else (),
        language_skills=draw(_language_skills[needs_skill]),
        total_months_per_year=draw(_optional_quotas) if student else None,
        total_days_per_year=None if student else draw(_optional_quotas),
        blended=draw(st.booleans()) if student else False,
        other_info=draw(texts),
    )


@st.composite
def partner(draw: st.DrawFn, organisation_ref: str) -> AgreementPartner:
    return AgreementPartner(
        organisation_ref=organisation_ref,
        # Derived from the (unique) ref, so that two partners never share a hei-id.
        hei_id=f"{organisation_ref}.edu" if draw(st.booleans()) else None,
        unit_ref=draw(_optional_identifiers),
        partner_agreement_id=draw(_optional_identifiers),
        partner_agreement_code=draw(optional_texts),
        signing_contact=draw(optional_texts),
        signing_date=draw(_optional_dates),
    )


terms = st.builds(
    AgreementTerms,
    agreement_type=st.sampled_from(AGREEMENT_TYPES),
    tuition_waiver=st.booleans(),
    fees=texts,
    insurance=texts,
    housing=texts,
    funding_commitments=texts,
    other_terms=texts,
    termination_notice=texts,
)


_partner_counts = st.integers(2, 4)
_refs = {count: st.lists(identifiers, min_size=count, max_size=count, unique=True) for count in (2, 3, 4)}
_keys = {size: st.lists(identifiers, min_size=size, max_size=3, unique=True) for size in (0, 1)}


@st.composite
def contents(draw: st.DrawFn, min_conditions: int = 0) -> AgreementContent:
    """A valid, normalised agreement content: what ``parse_content`` returns."""
    agreement_terms = draw(terms)
    erasmus = agreement_terms.agreement_type == "erasmus_iia"
    partner_count = 2 if erasmus else draw(_partner_counts)
    refs = draw(_refs[partner_count])
    keys = draw(_keys[min_conditions])
    return AgreementContent(
        partners=tuple(draw(partner(ref)) for ref in refs),
        conditions=tuple(draw(condition(key, partner_count, erasmus)) for key in keys),
        terms=agreement_terms,
    )


# --- Single-field mutations of one condition ------------------------------------------------------------

Mutation = Callable[[AgreementContent, CooperationCondition], CooperationCondition | None]

_SAME_FAMILY = {
    "student_studies": "student_traineeship",
    "student_traineeship": "student_studies",
    "staff_teaching": "staff_training",
    "staff_training": "staff_teaching",
}


def _replace(condition: CooperationCondition, **changes: object) -> CooperationCondition:
    return dataclasses.replace(condition, **changes)  # type: ignore[arg-type]


def _mobility_type(content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
    target = _SAME_FAMILY[c.mobility_type]
    if content.terms.agreement_type == "erasmus_iia" and not c.language_skills:
        return None
    return _replace(c, mobility_type=target)


def _other_partner(name: str) -> Mutation:
    def mutate(content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
        free = sorted(set(range(len(content.partners))) - {c.sending_partner, c.receiving_partner})
        return _replace(c, **{name: free[0]}) if free else None

    return mutate


def _toggle_unit(name: str) -> Mutation:
    return lambda _content, c: _replace(c, **{name: None if getattr(c, name) else "unit-7"})


def _unused(pool: tuple[str, ...], used: set[str | None]) -> str:
    return next(value for value in pool if value not in used)


def _first_area(change: Callable[[SubjectArea, CooperationCondition], SubjectArea]) -> Mutation:
    def mutate(_content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
        if not c.subject_areas:
            return None
        return _replace(c, subject_areas=(change(c.subject_areas[0], c), *c.subject_areas[1:]))

    return mutate


def _first_skill(change: Callable[[LanguageSkill, CooperationCondition], LanguageSkill | None]) -> Mutation:
    def mutate(_content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
        changed = change(c.language_skills[0], c) if c.language_skills else None
        return _replace(c, language_skills=(changed, *c.language_skills[1:])) if changed else None

    return mutate


def _area_codes(c: CooperationCondition) -> set[str | None]:
    return {area.isced_code for area in c.subject_areas}


def _skill_cefr(skill: LanguageSkill, _c: CooperationCondition) -> LanguageSkill:
    level = CEFR_LEVELS[(CEFR_LEVELS.index(skill.cefr_level) + 1) % 6] if skill.cefr_level else "B2"
    return dataclasses.replace(skill, cefr_level=level)


def _skill_isced(skill: LanguageSkill, _c: CooperationCondition) -> LanguageSkill:
    return dataclasses.replace(skill, isced_code=_unused(ISCED_CODES, {skill.isced_code}))


def _skill_clarification(skill: LanguageSkill, _c: CooperationCondition) -> LanguageSkill | None:
    if skill.isced_code is None:
        return None
    return dataclasses.replace(skill, clarification=None if skill.clarification else "see annex")


def _toggle_eqf(_content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
    if c.mobility_type not in STUDENT_MOBILITY_TYPES:
        return None
    levels = set(c.eqf_levels) ^ {7}
    return _replace(c, eqf_levels=tuple(sorted(levels)))


def _quota(name: str, student: bool) -> Mutation:
    def mutate(_content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
        if (c.mobility_type in STUDENT_MOBILITY_TYPES) != student:
            return None
        value = getattr(c, name)
        return _replace(c, **{name: Decimal(5) if value is None else value + Decimal("0.5")})

    return mutate


def _shift_first(_content: AgreementContent, c: CooperationCondition) -> CooperationCondition:
    first, last = parse_academic_year(c.first_academic_year), parse_academic_year(c.last_academic_year)
    return _replace(c, first_academic_year=(first.next() if first < last else first.previous()).label)


def _blended(_content: AgreementContent, c: CooperationCondition) -> CooperationCondition | None:
    return _replace(c, blended=not c.blended) if c.mobility_type in STUDENT_MOBILITY_TYPES else None


# Every field of a condition but its key, which is bookkeeping and never part of the hash or the diff;
# a dotted name changes a field of an item of a set-like field.
CONDITION_MUTATIONS: dict[str, Mutation] = {
    "mobility_type": _mobility_type,
    "sending_partner": _other_partner("sending_partner"),
    "receiving_partner": _other_partner("receiving_partner"),
    "sending_unit_ref": _toggle_unit("sending_unit_ref"),
    "receiving_unit_ref": _toggle_unit("receiving_unit_ref"),
    "subject_areas": lambda _content, c: _replace(
        c, subject_areas=(*c.subject_areas, SubjectArea(_unused(ISCED_CODES, _area_codes(c))))
    ),
    "subject_areas.isced_code": _first_area(
        lambda area, c: dataclasses.replace(area, isced_code=_unused(ISCED_CODES, _area_codes(c)))
    ),
    "subject_areas.clarification": _first_area(
        lambda area, _c: dataclasses.replace(area, clarification=None if area.clarification else "see annex")
    ),
    "eqf_levels": _toggle_eqf,
    "language_skills": lambda _content, c: _replace(
        c,
        language_skills=(
            *c.language_skills,
            LanguageSkill(_unused(LANGUAGES, {skill.language for skill in c.language_skills}), "C1"),
        ),
    ),
    "language_skills.language": _first_skill(
        lambda skill, c: dataclasses.replace(
            skill, language=_unused(LANGUAGES, {s.language for s in c.language_skills})
        )
    ),
    "language_skills.cefr_level": _first_skill(_skill_cefr),
    "language_skills.isced_code": _first_skill(_skill_isced),
    "language_skills.clarification": _first_skill(_skill_clarification),
    "mobilities_per_year": lambda _content, c: _replace(c, mobilities_per_year=c.mobilities_per_year + 1),
    "total_months_per_year": _quota("total_months_per_year", student=True),
    "total_days_per_year": _quota("total_days_per_year", student=False),
    "blended": _blended,
    "first_academic_year": _shift_first,
    "last_academic_year": lambda _content, c: _replace(
        c, last_academic_year=parse_academic_year(c.last_academic_year).next().label
    ),
    "other_info": lambda _content, c: _replace(c, other_info=normalise_text(f"{c.other_info} amended")),
}


def mutate_condition(
    data: st.DataObject, content: AgreementContent, field: str
) -> tuple[AgreementContent, int]:
    """``content`` with ``field`` of one of its conditions changed (the example is skipped if none can be)."""
    mutations = {i: CONDITION_MUTATIONS[field](content, c) for i, c in enumerate(content.conditions)}
    applicable = sorted(i for i, mutated in mutations.items() if mutated is not None)
    assume(applicable)
    index = data.draw(st.sampled_from(applicable), label="condition")
    conditions = list(content.conditions)
    conditions[index] = mutations[index]  # type: ignore[assignment]  # None was filtered out above
    return dataclasses.replace(content, conditions=tuple(conditions)), index


# --- The generators themselves ----------------------------------------------------------------------------


def test_the_reference_codes_used_by_the_generators_are_valid() -> None:
    assert all(is_isced(code) and len(code) == 4 for code in ISCED_CODES)
    assert all(is_language(code) for code in LANGUAGES)
    assert all(is_cefr(level) for level in CEFR_LEVELS)
