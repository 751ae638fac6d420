"""The conditions hash changes with every cooperation-condition field and with nothing else."""

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord.algorithms.agreements.content import (
    AgreementContent,
    AgreementPartner,
    AgreementTerms,
    CooperationCondition,
    LanguageSkill,
    SubjectArea,
    canonical_conditions,
    canonical_terms,
    conditions_hash,
    content_to_dict,
    parse_content,
    terms_hash,
)
from accord.algorithms.tests.agreements.test_strategies import (
    CONDITION_MUTATIONS,
    contents,
    mutate_condition,
    terms,
)

FEW = settings(max_examples=10, deadline=None)
SOME = settings(max_examples=20, deadline=None)
# Fields whose values are fixed vocabularies rather than text anyone types.
_VOCABULARY = {"mobility_type", "agreement_type"}


def example() -> AgreementContent:
    return AgreementContent(
        partners=(
            AgreementPartner("17", hei_id="uw.edu.pl", signing_date=date(2026, 3, 1)),
            AgreementPartner("hibo.no", signing_contact="Monica Turner"),
        ),
        conditions=(
            CooperationCondition(
                key="c1",
                mobility_type="student_studies",
                sending_partner=0,
                receiving_partner=1,
                first_academic_year="2026/2027",
                last_academic_year="2028/2029",
                mobilities_per_year=2,
                sending_unit_ref="140",
                subject_areas=(SubjectArea("0314", "Sociology"), SubjectArea("0413")),
                eqf_levels=(6, 7),
                language_skills=(LanguageSkill("en", "B2"), LanguageSkill("no", "B1", "0314", "Oral")),
                total_months_per_year=Decimal("10.5"),
                other_info="Café, Zürich",
            ),
            CooperationCondition(
                key="c2",
                mobility_type="staff_teaching",
                sending_partner=1,
                receiving_partner=0,
                first_academic_year="2026/2027",
                last_academic_year="2027/2028",
                mobilities_per_year=1,
                language_skills=(LanguageSkill("en", "C1"),),
                total_days_per_year=Decimal(8),
            ),
        ),
        terms=AgreementTerms("erasmus_iia", tuition_waiver=True, fees="None"),
    )


def map_texts(value: object, change: Callable[[str], str]) -> object:
    """``value`` with ``change`` applied to every text field but the fixed vocabularies."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,  # type: ignore[type-var]
            **{
                field.name: map_texts(getattr(value, field.name), change)
                for field in dataclasses.fields(value)
                if field.name not in _VOCABULARY
            },
        )
    if isinstance(value, tuple):
        return tuple(map_texts(item, change) for item in value)
    return change(value) if isinstance(value, str) else value


def replace_partners(content: AgreementContent, **changes: object) -> AgreementContent:
    partners = tuple(dataclasses.replace(partner, **changes) for partner in content.partners)  # type: ignore[arg-type]
    return dataclasses.replace(content, partners=partners)


def replace_conditions(
    content: AgreementContent, change: Callable[[CooperationCondition], object]
) -> AgreementContent:
    return dataclasses.replace(content, conditions=tuple(change(c) for c in content.conditions))  # type: ignore[misc]


# --- The canonical form --------------------------------------------------------------------------------


def test_the_canonical_form_is_compact_sorted_utf8_json_of_the_conditions() -> None:
    canonical = canonical_conditions(example())
    document = json.loads(canonical)

    assert (
        canonical == json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    assert document["format"] == "accord.agreement.conditions/1"
    assert "Café, Zürich".encode() in canonical
    studies = next(c for c in document["conditions"] if c["mobility_type"] == "student_studies")
    assert studies["sending"] == {"organisation_ref": "17", "unit_ref": "140"}
    assert studies["receiving"] == {"organisation_ref": "hibo.no", "unit_ref": None}
    assert studies["total_months_per_year"] == "10.5"
    assert "key" not in studies


def test_the_hash_is_the_lowercase_hex_sha256_of_the_canonical_form() -> None:
    content = example()

    assert conditions_hash(content) == hashlib.sha256(canonical_conditions(content)).hexdigest()
    assert terms_hash(content) == hashlib.sha256(canonical_terms(content)).hexdigest()
    assert len(conditions_hash(content)) == 64
    assert conditions_hash(content) == conditions_hash(content).lower()


def test_the_hash_of_a_known_content_does_not_drift() -> None:
    # Approvals stored today must verify tomorrow: any change to the canonical form must be deliberate
    # (and come with a new "format" string).
    assert conditions_hash(example()) == "9141f9fc1399cbd917172a2eefa48780fb2d6ac7cd4589d83f5c168e3616ec28"


def test_nothing_outside_the_conditions_reaches_the_canonical_form() -> None:
    canonical = canonical_conditions(example()).decode()

    for outside in ("uw.edu.pl", "2026-03-01", "Monica Turner", "erasmus_iia", "c1", "c2"):
        assert f'"{outside}"' not in canonical


def test_decimal_quotas_compare_by_value() -> None:
    content = example()
    tens = replace_conditions(
        content,
        lambda c: dataclasses.replace(
            c,
            total_months_per_year=Decimal("10.50") if c.total_months_per_year else None,
            total_days_per_year=Decimal("8.00") if c.total_days_per_year else None,
        ),
    )

    assert conditions_hash(tens) == conditions_hash(content)
    assert b'"total_days_per_year":"8"' in canonical_conditions(tens)


def test_terms_have_their_own_hash() -> None:
    content = example()
    changed = dataclasses.replace(content, terms=dataclasses.replace(content.terms, fees="EUR 100"))

    assert terms_hash(changed) != terms_hash(content)
    assert conditions_hash(changed) == conditions_hash(content)
    assert terms_hash(map_texts(content, lambda text: f"  {text}\r\n")) == terms_hash(content)  # type: ignore[arg-type]


# --- Every condition field is in -----------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(CONDITION_MUTATIONS))
@FEW
@given(content=contents(min_conditions=1), data=st.data())
def test_changing_any_condition_field_changes_the_hash(
    field: str, content: AgreementContent, data: st.DataObject
) -> None:
    mutated, _index = mutate_condition(data, content, field)

    assert parse_content(content_to_dict(mutated)) == mutated, "the mutation must give a valid content"
    assert conditions_hash(mutated) != conditions_hash(content)


@SOME
@given(contents(min_conditions=1), st.data())
def test_renaming_a_sending_or_receiving_organisation_changes_the_hash(
    content: AgreementContent, data: st.DataObject
) -> None:
    condition = data.draw(st.sampled_from(content.conditions))
    index = data.draw(st.sampled_from([condition.sending_partner, condition.receiving_partner]))
    partners = list(content.partners)
    partners[index] = dataclasses.replace(partners[index], organisation_ref="renamed-organisation")
    assume(len({p.organisation_ref for p in partners}) == len(partners))

    assert conditions_hash(dataclasses.replace(content, partners=tuple(partners))) != conditions_hash(content)


# --- Nothing else is -----------------------------------------------------------------------------------


@SOME
@given(contents(), st.data())
def test_signing_data_partner_ids_and_codes_do_not_change_the_hash(
    content: AgreementContent, data: st.DataObject
) -> None:
    changed = replace_partners(
        content,
        signing_contact=data.draw(st.none() | st.just("Someone Else")),
        signing_date=data.draw(st.none() | st.dates()),
        partner_agreement_id=data.draw(st.none() | st.just("IIA-42")),
        partner_agreement_code=data.draw(st.none() | st.just("2026/E+/42")),
        unit_ref=data.draw(st.none() | st.just("root")),
        hei_id=None,
    )

    assert conditions_hash(changed) == conditions_hash(content)


@SOME
@given(contents(), terms)
def test_terms_do_not_change_the_conditions_hash(
    content: AgreementContent, other_terms: AgreementTerms
) -> None:
    assert conditions_hash(dataclasses.replace(content, terms=other_terms)) == conditions_hash(content)


@SOME
@given(contents(), st.randoms(use_true_random=False))
def test_the_order_of_conditions_and_of_partners_does_not_change_the_hash(
    content: AgreementContent, random: object
) -> None:
    conditions = list(content.conditions)
    random.shuffle(conditions)  # type: ignore[attr-defined]
    order = list(range(len(content.partners)))
    random.shuffle(order)  # type: ignore[attr-defined]
    new_index = {old: new for new, old in enumerate(order)}
    shuffled = AgreementContent(
        partners=tuple(content.partners[old] for old in order),
        conditions=tuple(
            dataclasses.replace(
                c,
                sending_partner=new_index[c.sending_partner],
                receiving_partner=new_index[c.receiving_partner],
            )
            for c in conditions
        ),
        terms=content.terms,
    )

    assert conditions_hash(shuffled) == conditions_hash(content)


@SOME
@given(contents())
def test_the_order_inside_set_like_fields_does_not_change_the_hash(content: AgreementContent) -> None:
    reversed_sets = replace_conditions(
        content,
        lambda c: dataclasses.replace(
            c,
            subject_areas=c.subject_areas[::-1],
            eqf_levels=c.eqf_levels[::-1],
            language_skills=c.language_skills[::-1],
        ),
    )

    assert conditions_hash(reversed_sets) == conditions_hash(content)


@SOME
@given(contents())
def test_condition_keys_do_not_change_the_hash(content: AgreementContent) -> None:
    rekeyed = replace_conditions(content, lambda c: dataclasses.replace(c, key=f"renewed-{c.key}"))

    assert conditions_hash(rekeyed) == conditions_hash(content)


@SOME
@given(contents())
def test_decimal_representation_does_not_change_the_hash(content: AgreementContent) -> None:
    def spelled_out(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(Decimal("0.001"))

    respelled = replace_conditions(
        content,
        lambda c: dataclasses.replace(
            c,
            total_months_per_year=spelled_out(c.total_months_per_year),
            total_days_per_year=spelled_out(c.total_days_per_year),
        ),
    )

    assert conditions_hash(respelled) == conditions_hash(content)


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda text: f"  {text}\n\t", id="surrounding whitespace"),
        pytest.param(lambda text: unicodedata.normalize("NFD", text), id="NFD"),
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="CRLF line ends"),
    ],
)
@SOME
@given(content=contents())
def test_how_text_is_written_does_not_change_the_hash(
    rewrite: Callable[[str], str], content: AgreementContent
) -> None:
    rewritten = map_texts(content, rewrite)

    assert conditions_hash(rewritten) == conditions_hash(content)  # type: ignore[arg-type]
    assert terms_hash(rewritten) == terms_hash(content)  # type: ignore[arg-type]


def test_nfd_and_nfc_of_a_hand_written_text_hash_alike() -> None:
    content = example()
    nfd = replace_conditions(content, lambda c: dataclasses.replace(c, other_info="Cafe\u0301, Zu\u0308rich"))
    nfc = replace_conditions(content, lambda c: dataclasses.replace(c, other_info="Café, Zürich"))

    assert nfd.conditions[0].other_info != nfc.conditions[0].other_info
    assert conditions_hash(nfd) == conditions_hash(nfc)


def test_code_case_does_not_change_the_hash() -> None:
    content = example()
    shouted = replace_conditions(
        content,
        lambda c: dataclasses.replace(
            c,
            language_skills=tuple(
                LanguageSkill(
                    s.language.upper(), (s.cefr_level or "").lower() or None, s.isced_code, s.clarification
                )
                for s in c.language_skills
            ),
        ),
    )

    assert conditions_hash(shouted) == conditions_hash(content)


def test_a_partner_no_condition_refers_to_is_outside_the_hash() -> None:
    content = example()
    content = dataclasses.replace(
        content, partners=(*content.partners, AgreementPartner("observer")), terms=AgreementTerms("other")
    )
    renamed = dataclasses.replace(
        content, partners=(*content.partners[:2], AgreementPartner("another-observer"))
    )

    assert conditions_hash(renamed) == conditions_hash(content)
