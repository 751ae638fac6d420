"""Learning-agreement components, change proposals with reasons, diffs and credit rules."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.mobility.learning_agreement import (
    ChangeReason,
    ChangeStatus,
    CreditRule,
    CreditRuleKind,
    LearningAgreementError,
    Section,
    changes_between,
    check_credit_rules,
    components_hash,
    components_to_dicts,
    credits_by_term,
    diff_components,
    parse_changes,
    parse_components,
    totals,
)


def item(ref, title, credits="6", section="studied", term="1/2", **extra):
    return {"ref": ref, "section": section, "title": title, "credits": credits, "term": term, **extra}


FIRST = [
    item("a", "Databases", "6", code="DB1"),
    item("b", "Networks", "5"),
    item("r", "Informatics II", "11", section="recognised"),
]


def test_components_round_trip_through_their_json_form():
    components = parse_components(FIRST)
    assert parse_components(components_to_dicts(components)) == components
    assert components[0].credits == Decimal(6)
    assert components[0].label == "DB1 Databases"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credits", "-1", "must not be negative"),
        ("credits", "abc", "is not a number"),
        ("credits", "2.25", "at most one decimal place"),
        ("credits", True, "is not a number"),
        ("term", "3/2", "is not a term"),
        ("term", "", "is required"),
        ("title", " ", "is required"),
        ("section", "table-z", "is not one of"),
        ("ref", "a b", "letters, digits"),
    ],
)
def test_each_bad_field_is_named_with_its_path(field, value, message):
    bad = item("x", "Thing")
    bad[field] = value
    with pytest.raises(LearningAgreementError) as caught:
        parse_components([item("a", "Fine"), bad])
    assert message in caught.value.errors[f"components[1].{field}"][0]


def test_refs_are_unique_and_the_list_must_be_a_list():
    with pytest.raises(LearningAgreementError) as caught:
        parse_components([item("a", "One"), item("a", "Two")])
    assert "components[1].ref" in caught.value.errors
    with pytest.raises(LearningAgreementError):
        parse_components({"a": 1})


def test_virtual_components_need_no_term_and_credits_may_be_absent():
    (component,) = parse_components([item("v", "Online seminar", None, section="virtual", term="")])
    assert component.credits is None and component.credit_value == 0


def test_the_hash_changes_with_content_and_order_but_not_with_spacing():
    components = parse_components(FIRST)
    respaced = parse_components([{**FIRST[0], "title": "  Databases "}, *FIRST[1:]])
    assert components_hash(components) == components_hash(respaced)
    assert components_hash(components) != components_hash(components[::-1])
    assert components_hash(components) != components_hash(parse_components([*FIRST[:2]]))


def test_a_change_needs_a_reason_of_the_right_direction():
    first = parse_components(FIRST)
    proposed = parse_components([FIRST[0], item("c", "Compilers", "5"), FIRST[2]])
    with pytest.raises(LearningAgreementError) as caught:
        changes_between(first, proposed, {"b": (ChangeReason.NOT_AVAILABLE, "")})
    assert "give a reason" in caught.value.errors["changes.c"][0]
    with pytest.raises(LearningAgreementError) as caught:
        changes_between(
            first,
            proposed,
            {"b": (ChangeReason.EXTENDING_MOBILITY, ""), "c": (ChangeReason.SUBSTITUTING_DELETED, "")},
        )
    assert "not a reason for a component deleted" in caught.value.errors["changes.b"][0]
    changes = changes_between(
        first,
        proposed,
        {"b": (ChangeReason.NOT_AVAILABLE, ""), "c": (None, "Recommended by the host tutor")},
    )
    assert [(c.ref, c.status) for c in changes] == [("b", ChangeStatus.DELETED), ("c", ChangeStatus.INSERTED)]
    assert changes[1].reason_text == "Recommended by the host tutor"


def test_an_edited_component_is_a_deletion_and_an_insertion():
    first = parse_components(FIRST)
    edited = parse_components([item("a", "Databases", "7", code="DB1"), *FIRST[1:]])
    changes = changes_between(first, edited, {"a": (None, "credits corrected")})
    assert [c.status for c in changes] == [ChangeStatus.DELETED, ChangeStatus.INSERTED]


def test_reasons_are_read_with_their_codes_checked():
    assert parse_changes([{"ref": "a", "reason_code": "timetable-conflict"}]) == {
        "a": (ChangeReason.TIMETABLE_CONFLICT, "")
    }
    with pytest.raises(LearningAgreementError) as caught:
        parse_changes([{"ref": "a", "reason_code": "bored"}])
    assert "changes[0].reason_code" in caught.value.errors


def test_the_diff_reads_like_a_list_of_what_happened():
    first = parse_components(FIRST)
    second = parse_components([item("a", "Databases", "7.5", code="DB1"), FIRST[2], item("c", "Compilers")])
    lines = diff_components(first, second)
    assert [(line.kind, line.ref) for line in lines] == [("changed", "a"), ("removed", "b"), ("added", "c")]
    assert lines[0].fields == (("credits", "6", "7.5"),)
    assert diff_components(first, first) == ()


def test_credit_rules_report_what_is_met_and_by_how_much():
    components = parse_components(
        [
            item("a", "A", "20", term="1/2"),
            item("b", "B", "8", term="2/2"),
            item("r", "R", "28", section="recognised"),
        ]
    )
    rules = [
        CreditRule(CreditRuleKind.MIN_STUDIED_TOTAL, Decimal(27)),
        CreditRule(CreditRuleKind.MAX_STUDIED_TOTAL, Decimal(27)),
        CreditRule(CreditRuleKind.MIN_STUDIED_PER_TERM, Decimal(10)),
        CreditRule(CreditRuleKind.MIN_RECOGNISED_TOTAL, Decimal(28)),
        CreditRule(CreditRuleKind.MIN_RECOGNISED_SHARE, Decimal(100)),
        CreditRule(CreditRuleKind.MIN_ACTIVITY_HOURS, Decimal(8)),
    ]
    results = check_credit_rules(components, rules)
    assert [result.met for result in results] == [True, False, False, True, True, False]
    assert "2/2: 8" in results[2].detail
    assert credits_by_term(components, Section.STUDIED) == {"1/2": Decimal(20), "2/2": Decimal(8)}
    assert totals(components) == {Section.STUDIED: Decimal(28), Section.RECOGNISED: Decimal(28)}


def test_staff_activity_hours_count_for_their_rule():
    components = parse_components([item("t", "Lectures", None, section="activity", term="", hours="8")])
    (result,) = check_credit_rules(components, [CreditRule(CreditRuleKind.MIN_ACTIVITY_HOURS, Decimal(8))])
    assert result.met


credit_text = st.integers(min_value=0, max_value=600).map(lambda tenths: str(Decimal(tenths) / 10))
component_lists = st.lists(
    st.tuples(
        st.sampled_from(["studied", "recognised", "virtual"]), credit_text, st.sampled_from(["1/2", "2/2"])
    ),
    max_size=8,
).map(
    lambda rows: [
        item(f"c{i}", f"Course {i}", credits, section, term)
        for i, (section, credits, term) in enumerate(rows)
    ]
)


@given(component_lists, component_lists)
def test_changes_account_for_every_difference(old_items, new_items):
    old, new = parse_components(old_items), parse_components(new_items)
    reasons = {}
    for ref in {c.ref for c in old} | {c.ref for c in new}:
        reasons[ref] = (None, "because")
    changes = changes_between(old, new, reasons)
    deleted = {c.ref for c in changes if c.status is ChangeStatus.DELETED}
    inserted = {c.ref for c in changes if c.status is ChangeStatus.INSERTED}
    kept = {c.ref for c in old} - deleted
    # Applying the changes to the old list gives the new list, by ref and content.
    rebuilt = {c.ref: c for c in old if c.ref in kept} | {c.ref: c for c in new if c.ref in inserted}
    assert rebuilt == {c.ref: c for c in new}
    assert (changes == ()) == (diff_components(old, new) == ())


@given(component_lists)
def test_term_totals_add_up_to_the_section_total(items):
    components = parse_components(items)
    by_term = credits_by_term(components, Section.STUDIED)
    assert sum(by_term.values(), Decimal(0)) == totals(components).get(Section.STUDIED, Decimal(0))
