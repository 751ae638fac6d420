"""Properties of the allocation on random instances, checked against the rules as documented.

``Rules`` (``reference.py``) restates the documented rules naively; these tests hold the
engine to it: capacities, eligibility, stability, student-optimality by brute force, the admission
rule's substitutability, re-allocation and explanations.
"""

import json
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.algorithms.allocation.allocation import (
    AllocationInstance,
    Applicant,
    Place,
    Quota,
    allocate,
    find_blocking_pairs,
    parse_instance,
    reallocate,
)
from accord.algorithms.allocation.engine import (
    UNLIMITED,
    Contract,
    build_market,
    choose,
    defer_acceptance,
    serial_dictatorship,
)
from accord.algorithms.allocation.explain import format_score, ordinal
from accord.algorithms.tests.allocation.reference import (
    Rules,
    contested_instances,
    instance_to_json,
    instances,
    instances_with_assignments,
)

MANY = settings(max_examples=150, deadline=None)


@MANY
@given(instances(max_applicants=20, max_places=6))
def test_assignment_respects_capacities_quotas_and_eligibility(instance: AllocationInstance) -> None:
    result = allocate(instance)

    assert Rules(instance).fits(result.assignments)
    assert list(result.assignments) == [applicant.id for applicant in instance.applicants]
    assert result.stats.assigned == sum(place is not None for place in result.assignments.values())
    assert result.stats.assigned + result.stats.unassigned == len(instance.applicants)


@MANY
@given(instances(max_applicants=20, max_places=6))
def test_result_has_no_blocking_pair(instance: AllocationInstance) -> None:
    result = allocate(instance)

    assert Rules(instance).blocking_pairs(result.assignments) == set()
    assert find_blocking_pairs(instance, result.assignments) == []


@settings(max_examples=250, deadline=None)
@given(contested_instances())
def test_result_is_the_student_optimal_stable_assignment(instance: AllocationInstance) -> None:
    rules = Rules(instance)
    result = allocate(instance).assignments

    stable = list(rules.stable_assignments())

    assert result in stable
    for other in stable:
        for applicant_id, place_id in other.items():
            assert rules.rank(applicant_id, result[applicant_id]) <= rules.rank(applicant_id, place_id)


@MANY
@given(instances_with_assignments(max_applicants=10))
def test_blocking_pairs_of_a_manual_assignment_follow_the_admission_rule(
    case: tuple[AllocationInstance, dict[str, str | None]],
) -> None:
    instance, assignment = case

    found = find_blocking_pairs(instance, assignment)

    assert {(pair.applicant, pair.place) for pair in found} == Rules(instance).blocking_pairs(assignment)
    applicants = {applicant.id: applicant for applicant in instance.applicants}
    for pair in found:
        assert applicants[pair.applicant].preferences[pair.choice_rank - 1] == pair.place
        assert all(assignment[other] is not None for other in pair.displaced)


@MANY
@given(instances_with_assignments(max_applicants=10, reserved=False, within_capacity=True))
def test_without_reserved_seats_blocking_means_justified_envy(
    case: tuple[AllocationInstance, dict[str, str | None]],
) -> None:
    instance, assignment = case
    rules = Rules(instance)

    found = {(pair.applicant, pair.place) for pair in find_blocking_pairs(instance, assignment)}

    assert found == rules.justified_envy(assignment) == rules.blocking_pairs(assignment)


@st.composite
def nested_contract_sets(draw: st.DrawFn) -> tuple[list[int], list[int], int, list[Contract], list[Contract]]:
    places = draw(st.integers(1, 3))
    capacity = [draw(st.integers(0, 3)) for _ in range(places)]
    reserved = [draw(st.integers(0, seats)) for seats in capacity]
    quota = draw(st.one_of(st.just(UNLIMITED), st.integers(0, 5)))
    keys = draw(st.permutations(range(draw(st.integers(0, 9)))))
    larger = sorted(
        Contract(key, 0, key, draw(st.integers(0, places - 1)), draw(st.booleans()), kept=False)
        for key in keys
    )
    smaller = [contract for contract in larger if draw(st.booleans())]
    return capacity, reserved, quota, larger, smaller


@MANY
@given(nested_contract_sets())
def test_admission_rule_is_substitutable_and_size_monotone(
    case: tuple[list[int], list[int], int, list[Contract], list[Contract]],
) -> None:
    capacity, reserved, quota, larger, smaller = case

    def chosen(contracts: list[Contract]) -> set[Contract]:
        admitted = choose(contracts, capacity, reserved, quota)
        return {contract for contract, ok in zip(contracts, admitted, strict=True) if ok}

    assert chosen(larger) & set(smaller) <= chosen(smaller)
    assert len(chosen(smaller)) <= len(chosen(larger))


@MANY
@given(instances(max_applicants=10))
def test_same_instance_gives_the_same_result(instance: AllocationInstance) -> None:
    first = allocate(instance).to_dict()
    second = allocate(parse_instance(json.dumps(instance_to_json(instance)))).to_dict()

    for result in (first, second):
        del result["stats"]["seconds"]
    assert first == second


@MANY
@given(
    instances(max_applicants=10, distinct_scores=True, place_scores=False), st.randoms(), st.integers(0, 99)
)
def test_with_distinct_scores_neither_order_nor_seed_matters(
    instance: AllocationInstance, shuffler: random.Random, seed: int
) -> None:
    reordered = AllocationInstance(
        instance.places,
        tuple(shuffler.sample(instance.applicants, len(instance.applicants))),
        instance.quotas,
        tie_break_seed=seed,
    )

    assert allocate(reordered).assignments == allocate(instance).assignments


def _after_changes(
    instance: AllocationInstance, withdrawn: set[str], added: dict[str, int], added_quota: dict[str, int]
) -> AllocationInstance:
    """The instance as re-allocated: seats added, and withdrawn applicants choosing nothing.

    Withdrawn applicants stay in the list (with no choices) so that everyone keeps their lottery draw.
    """
    places = tuple(
        Place(p.id, p.capacity + added.get(p.id, 0), p.quota, p.reserved, p.name) for p in instance.places
    )
    quotas = tuple(Quota(q.id, q.capacity + added_quota.get(q.id, 0), q.name) for q in instance.quotas)
    applicants = tuple(
        Applicant(a.id, a.score, (), a.place_scores, a.priority) if a.id in withdrawn else a
        for a in instance.applicants
    )
    return AllocationInstance(places, applicants, quotas, instance.tie_break_seed)


@MANY
@given(instances(max_applicants=12), st.data())
def test_reallocation_leaves_nobody_worse_off(instance: AllocationInstance, data: st.DataObject) -> None:
    rules = Rules(instance)
    before = allocate(instance)
    applicant_ids = [applicant.id for applicant in instance.applicants]
    withdrawn = data.draw(st.sets(st.sampled_from(applicant_ids))) if applicant_ids else set()
    added = data.draw(st.dictionaries(st.sampled_from([p.id for p in instance.places]), st.integers(0, 2)))
    added_quota = (
        data.draw(st.dictionaries(st.sampled_from([q.id for q in instance.quotas]), st.integers(0, 2)))
        if instance.quotas
        else {}
    )

    after = reallocate(instance, before, withdrawn, added_capacity=added, added_quota_capacity=added_quota)

    assert set(after.assignments) == set(applicant_ids) - withdrawn
    for applicant_id, place_id in after.assignments.items():
        assert rules.rank(applicant_id, place_id) <= rules.rank(
            applicant_id, before.assignments[applicant_id]
        )
    changed = _after_changes(instance, withdrawn, added, added_quota)
    assert Rules(changed).fits(after.assignments)
    # Stable but for the guarantees: a pair can only block by taking a seat someone kept.
    for pair in find_blocking_pairs(changed, after.assignments):
        assert pair.displaced
        assert all(after.assignments[other] == before.assignments[other] for other in pair.displaced)


@MANY
@given(instances_with_assignments(max_applicants=10, within_capacity=True), st.data())
def test_reallocation_from_a_manual_assignment_leaves_nobody_worse_off(
    case: tuple[AllocationInstance, dict[str, str | None]], data: st.DataObject
) -> None:
    instance, manual = case
    rules = Rules(instance)
    withdrawn = data.draw(st.sets(st.sampled_from(list(manual)))) if manual else set()

    after = reallocate(instance, manual, withdrawn)

    assert rules.fits(after.assignments)
    for applicant_id, place_id in after.assignments.items():
        assert rules.rank(applicant_id, place_id) <= rules.rank(applicant_id, manual[applicant_id])


@MANY
@given(instances(max_applicants=12))
def test_reallocation_without_changes_moves_nobody(instance: AllocationInstance) -> None:
    before = allocate(instance)

    assert reallocate(instance, before).assignments == before.assignments


@MANY
@given(instances(max_applicants=15, quotas=False, reserved=False))
def test_cutoff_is_the_lowest_admitted_score_of_a_full_place(instance: AllocationInstance) -> None:
    result = allocate(instance)

    for place in instance.places:
        holders = [a for a in instance.applicants if result.assignments[a.id] == place.id]
        full = bool(holders) and len(holders) == place.capacity
        expected = min(a.score_at(place.id) for a in holders) if full else None
        assert result.cutoffs[place.id] == expected


@MANY
@given(instances(max_applicants=15))
def test_waitlists_hold_eligible_applicants_who_ranked_the_place_higher_in_ranking_order(
    instance: AllocationInstance,
) -> None:
    rules = Rules(instance)
    result = allocate(instance)

    for place in instance.places:
        waiting = [
            applicant.id
            for applicant in instance.applicants
            if place.id in rules.choices(applicant.id)
            and rules.rank(applicant.id, place.id)
            < rules.rank(applicant.id, result.assignments[applicant.id])
        ]
        assert result.waitlists[place.id] == sorted(waiting, key=lambda a: rules.standing(a, place.id))


_NUMBER = r"(\d+(?:\.\d+)?)"


@MANY
@given(instances(max_applicants=12))
def test_explanations_give_choice_ranks_cutoffs_and_reasons(instance: AllocationInstance) -> None:
    result = allocate(instance)
    labels = {place.id: place.label for place in instance.places}
    reserved = {place.id for place in instance.places if place.reserved}

    for applicant in instance.applicants:
        text = result.explanations[applicant.id]
        assigned = result.assignments[applicant.id]
        if assigned is None:
            assert text.startswith("Not assigned:")
            above = applicant.preferences
        else:
            rank = applicant.preferences.index(assigned)
            assert text.startswith(f"Assigned to your {ordinal(rank + 1)} choice {labels[assigned]}.")
            above = applicant.preferences[:rank]
        starts = [
            text.index(f"Your {ordinal(rank + 1)} choice {labels[place]} ")
            for rank, place in enumerate(above)
        ]
        assert starts == sorted(starts)
        for number, place_id in enumerate(above):
            sentence = text[starts[number] : starts[number + 1] if number + 1 < len(starts) else len(text)]
            if place_id in applicant.ineligible:
                assert f"was not open to you: {applicant.ineligible[place_id]}." in sentence
                continue
            match = re.search(rf"scoring {_NUMBER} or more.*; your score there was {_NUMBER}", sentence)
            if match is None:
                assert "no seat" in sentence
                continue
            needed, mine = match.groups()
            cutoffs = (
                result.priority_cutoffs if applicant.priority and place_id in reserved else result.cutoffs
            )
            assert needed == format_score(cutoffs[place_id])
            assert mine == format_score(applicant.score_at(place_id))
            assert float(needed) >= float(mine)
            assert ("a tie the lottery decided against you" in sentence) == (needed == mine)


@MANY
@given(instances(max_applicants=20, max_places=6, quotas=False, reserved=False, place_scores=False))
def test_with_one_common_ranking_serial_dictatorship_is_deferred_acceptance(
    instance: AllocationInstance,
) -> None:
    market = build_market(
        instance,
        capacity=[p.capacity for p in instance.places],
        quota_capacity=[q.capacity for q in instance.quotas],
    )
    assert market.common_ranking

    by_dictatorship = serial_dictatorship(market)
    by_deferred_acceptance = defer_acceptance(market)

    assert by_dictatorship.assignment == by_deferred_acceptance.assignment
    assert by_dictatorship.choice_index == by_deferred_acceptance.choice_index
    for place in range(len(instance.places)):
        assert by_dictatorship.threshold(place, False) == by_deferred_acceptance.threshold(place, False)
