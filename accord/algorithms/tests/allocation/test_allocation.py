"""Hand-computed examples of the allocation rules, input validation, and Django independence."""

import json
import random

import pytest

from accord.algorithms.allocation.allocation import (
    AllocationInputError,
    AllocationInstance,
    Applicant,
    Place,
    Quota,
    allocate,
    find_blocking_pairs,
    parse_instance,
    reallocate,
)

SPANISH = "CEFR B1 required in Spanish, you have A2"


def _instance(places, applicants, quotas=(), seed=0) -> AllocationInstance:
    return AllocationInstance(tuple(places), tuple(applicants), tuple(quotas), tie_break_seed=seed)


def _chain() -> AllocationInstance:
    """A takes P1 from B, who goes on to take P2 from C."""
    return _instance(
        [Place("P1", 1), Place("P2", 1)],
        [Applicant("A", 9, ("P1",)), Applicant("B", 8, ("P1", "P2")), Applicant("C", 7, ("P2",))],
    )


# --- Deferred acceptance ----------------------------------------------------------------------------


def test_the_example_of_the_brief_reads_as_promised() -> None:
    instance = _instance(
        [Place("P1", 1), Place("P2", 1)],
        [Applicant("A1", 8.42, ("P1",)), Applicant("A2", 8.10, ("P1", "P2"))],
    )

    result = allocate(instance)

    assert result.assignments == {"A1": "P1", "A2": "P2"}
    assert result.explanations["A2"] == (
        "Assigned to your 2nd choice P2. "
        "Your 1st choice P1 filled with applicants scoring 8.42 or more; your score there was 8.10."
    )
    assert result.explanations["A1"] == "Assigned to your 1st choice P1."
    assert result.cutoffs == {"P1": 8.42, "P2": 8.10}
    assert result.waitlists == {"P1": ["A2"], "P2": []}


def test_a_displaced_applicant_moves_down_their_list() -> None:
    result = allocate(_chain())

    assert result.assignments == {"A": "P1", "B": "P2", "C": None}
    assert result.explanations["C"] == (
        "Not assigned: no place you chose could take you. "
        "Your 1st choice P2 filled with applicants scoring 8.00 or more; your score there was 7.00."
    )
    assert result.stats.assigned == 2
    assert result.stats.unassigned == 1


def test_applicants_get_the_better_of_two_stable_assignments() -> None:
    # P1 prefers B and P2 prefers A, but each applicant gets their own first choice: that is
    # stable too, and the best stable assignment for both applicants.
    instance = _instance(
        [Place("P1", 1), Place("P2", 1)],
        [
            Applicant("A", 5, ("P1", "P2"), place_scores={"P1": 1, "P2": 9}),
            Applicant("B", 5, ("P2", "P1"), place_scores={"P1": 9, "P2": 1}),
        ],
    )

    assert allocate(instance).assignments == {"A": "P1", "B": "P2"}


def test_a_place_ranks_by_its_own_score_when_given() -> None:
    instance = _instance(
        [Place("P1", 1)],
        [Applicant("A", 9, ("P1",)), Applicant("B", 6, ("P1",), place_scores={"P1": 9.5})],
    )

    result = allocate(instance)

    assert result.assignments == {"A": None, "B": "P1"}
    assert result.cutoffs == {"P1": 9.5}
    assert "scoring 9.50 or more; your score there was 9.00." in result.explanations["A"]


def test_ties_are_broken_by_the_seeded_lottery_drawn_in_instance_order() -> None:
    def lottery_winner(seed: int) -> str:
        draw = random.Random(seed).random
        first, second = draw(), draw()
        return "A" if first < second else "B"

    seeds = {lottery_winner(seed): seed for seed in range(10)}
    for winner, seed in seeds.items():
        instance = _instance(
            [Place("P1", 1)], [Applicant("A", 7, ("P1",)), Applicant("B", 7, ("P1",))], seed=seed
        )
        result = allocate(instance)
        loser = "B" if winner == "A" else "A"
        assert result.assignments == {winner: "P1", loser: None}
        assert result.explanations[loser].endswith(
            "scoring 7.00 or more; your score there was 7.00, a tie the lottery decided against you."
        )
    assert set(seeds) == {"A", "B"}


def test_eligibility_removes_a_choice_and_explains_why() -> None:
    instance = _instance(
        [Place("P1", 2), Place("P2", 1)],
        [Applicant("A", 9, ("P1", "P2"), ineligible={"P1": SPANISH})],
    )

    result = allocate(instance)

    assert result.assignments == {"A": "P2"}
    assert result.explanations["A"] == (
        f"Assigned to your 2nd choice P2. Your 1st choice P1 was not open to you: {SPANISH}."
    )
    assert result.waitlists == {"P1": [], "P2": []}
    assert result.cutoffs == {"P1": None, "P2": 9}


def test_explanations_use_place_names_when_given() -> None:
    instance = _instance(
        [Place("P1", 0, name="Universidad de Granada"), Place("P2", 1, name="Uppsala universitet")],
        [Applicant("A", 9, ("P1", "P2"))],
    )

    assert allocate(instance).explanations["A"] == (
        "Assigned to your 2nd choice Uppsala universitet. "
        "Your 1st choice Universidad de Granada has no seats in this round."
    )


def test_an_applicant_without_choices_is_told_so() -> None:
    result = allocate(_instance([Place("P1", 1)], [Applicant("A", 9, ())]))

    assert result.assignments == {"A": None}
    assert result.explanations["A"] == "Not assigned: you did not choose any place."


def test_result_serialises_to_the_documented_json() -> None:
    data = allocate(_chain()).to_dict()

    assert list(data) == ["assignments", "cutoffs", "waitlists", "explanations", "stats"]
    assert data["assignments"] == {"A": "P1", "B": "P2", "C": None}
    assert data["cutoffs"] == {"P1": 9, "P2": 8}
    assert data["waitlists"] == {"P1": ["B"], "P2": ["C"]}
    assert set(data["explanations"]) == {"A", "B", "C"}
    assert set(data["stats"]) == {"seconds", "assigned", "unassigned"}
    assert data["stats"]["seconds"] >= 0
    assert json.loads(json.dumps(data)) == data


def test_an_empty_instance_allocates_nothing() -> None:
    result = allocate(_instance([], []))

    assert result.to_dict()["assignments"] == {}
    assert result.stats.assigned == result.stats.unassigned == 0


# --- Quotas -----------------------------------------------------------------------------------------


def test_a_quota_caps_its_places_together_by_overall_score() -> None:
    instance = _instance(
        [Place("P1", 2, quota="Q1"), Place("P2", 2, quota="Q1")],
        [
            Applicant("A", 9, ("P1",)),
            Applicant("B", 8, ("P2",)),
            Applicant("C", 7, ("P1",)),
            Applicant("D", 6, ("P2",)),
        ],
        quotas=[Quota("Q1", 2, name="Granada 2026/27")],
    )

    result = allocate(instance)

    assert result.assignments == {"A": "P1", "B": "P2", "C": None, "D": None}
    assert result.cutoffs == {"P1": 8, "P2": 8}
    assert result.explanations["C"].endswith(
        "Your 1st choice P1 shares the quota Granada 2026/27 with other places, and that quota filled with "
        "applicants scoring 8.00 or more; your score there was 7.00."
    )


def test_an_applicant_may_move_up_within_a_full_quota() -> None:
    # B holds a quota seat at P2; moving B to their first choice P1 keeps the quota count.
    instance = _instance(
        [Place("P1", 1, quota="Q1"), Place("P2", 1, quota="Q1")],
        [Applicant("A", 9, ("P1", "P2")), Applicant("B", 8, ("P1", "P2"))],
        quotas=[Quota("Q1", 1)],
    )

    assert allocate(instance).assignments == {"A": "P1", "B": None}
    assert [p.applicant for p in find_blocking_pairs(instance, {"A": "P2", "B": None})] == ["A"]


def test_the_quota_example_without_a_stable_assignment_under_separate_rankings() -> None:
    # The module docs' example: P1 ranks Z above Y, overall Y > X > Z. Applications stand by the
    # score for their place, also in the quota, so X (8 at P2) takes the one quota seat.
    instance = _instance(
        [Place("P1", 1, quota="Q"), Place("P2", 1, quota="Q")],
        [
            Applicant("X", 8, ("P2",)),
            Applicant("Y", 9, ("P1",), place_scores={"P1": 6}),
            Applicant("Z", 7, ("P1",), place_scores={"P1": 7.5}),
        ],
        quotas=[Quota("Q", 1)],
    )

    result = allocate(instance)

    assert result.assignments == {"X": "P2", "Y": None, "Z": None}
    assert find_blocking_pairs(instance, result.assignments) == []
    assert result.waitlists == {"P1": ["Z", "Y"], "P2": []}


def test_a_quota_with_room_for_all_its_places_changes_nothing() -> None:
    places = [Place("P1", 1, quota="Q1"), Place("P2", 1, quota="Q1")]
    applicants = [Applicant("A", 9, ("P1",)), Applicant("B", 8, ("P2",)), Applicant("C", 7, ("P2",))]

    result = allocate(_instance(places, applicants, quotas=[Quota("Q1", 5)]))

    assert result.assignments == {"A": "P1", "B": "P2", "C": None}


# --- Reserved seats ---------------------------------------------------------------------------------


def _reserved_place(*applicants: Applicant) -> AllocationInstance:
    return _instance([Place("P", 3, reserved=1)], applicants)


def test_reserved_seats_are_a_floor_that_a_merit_seat_also_counts_towards() -> None:
    result = allocate(
        _reserved_place(
            Applicant("N1", 10, ("P",)),
            Applicant("P1", 9, ("P",), priority=True),
            Applicant("N2", 8, ("P",)),
            Applicant("N3", 7, ("P",)),
            Applicant("P2", 6, ("P",), priority=True),
        )
    )

    assert result.assignments == {"N1": "P", "P1": "P", "N2": "P", "N3": None, "P2": None}


def test_a_reserved_seat_goes_to_a_priority_applicant_before_higher_scores() -> None:
    result = allocate(
        _reserved_place(
            Applicant("N1", 10, ("P",)),
            Applicant("N2", 9, ("P",)),
            Applicant("N3", 8, ("P",)),
            Applicant("P1", 5, ("P",), priority=True),
        )
    )

    assert result.assignments == {"N1": "P", "N2": "P", "N3": None, "P1": "P"}
    assert result.cutoffs == {"P": 9}
    assert result.priority_cutoffs == {"P": 5}
    assert result.explanations["N3"] == (
        "Not assigned: no place you chose could take you. Your 1st choice P filled with applicants scoring "
        "9.00 or more (1 of its 3 seats is reserved for priority applicants); your score there was 8.00."
    )
    assert "priority_cutoffs" in result.to_dict()


def test_an_unclaimed_reserved_seat_falls_back_to_general_applicants() -> None:
    result = allocate(
        _reserved_place(Applicant("N1", 10, ("P",)), Applicant("N2", 9, ("P",)), Applicant("N3", 8, ("P",)))
    )

    assert result.assignments == {"N1": "P", "N2": "P", "N3": "P"}
    # Any priority applicant would take the fallen-back seat, so it does not count as a blocking
    # pair that none applied.
    assert find_blocking_pairs(_reserved_place(), {}) == []


def test_a_fully_reserved_place_explains_itself_to_others() -> None:
    instance = _instance(
        [Place("P", 1, reserved=1)],
        [Applicant("N", 9, ("P",)), Applicant("V", 5, ("P",), priority=True)],
    )

    result = allocate(instance)

    assert result.assignments == {"N": None, "V": "P"}
    assert result.explanations["N"].endswith(
        "Your 1st choice P had no seat open to you: 1 of its 1 seats is reserved for priority applicants."
    )


# --- Re-allocation ----------------------------------------------------------------------------------


def test_a_withdrawal_frees_a_seat_that_cascades_down_the_waitlists() -> None:
    instance = _chain()
    before = allocate(instance)

    after = reallocate(instance, before, {"A"})

    assert after.assignments == {"B": "P1", "C": "P2"}
    assert after.explanations["C"] == "Assigned to your 1st choice P2."


def test_added_capacity_goes_to_the_waitlist() -> None:
    instance = _chain()

    after = reallocate(instance, allocate(instance), added_capacity={"P1": 1})

    assert after.assignments == {"A": "P1", "B": "P1", "C": "P2"}


def test_a_reallocation_never_takes_a_seat_away() -> None:
    instance = _instance(
        [Place("P1", 1), Place("P2", 1)],
        [Applicant("Low", 5, ("P1", "P2")), Applicant("High", 9, ("P1",))],
    )
    manual = {"Low": "P1", "High": None}

    after = reallocate(instance, manual)

    assert after.assignments == {"Low": "P1", "High": None}
    assert after.explanations["High"] == (
        "Not assigned: no place you chose could take you. "
        "Your 1st choice P1 stayed full: seats given in the earlier round are kept in a re-allocation."
    )


def test_a_reallocation_keeps_a_manual_seat_outside_the_applicants_choices() -> None:
    instance = _instance(
        [Place("P1", 1), Place("P2", 1)], [Applicant("A", 9, ("P1",)), Applicant("B", 8, ("P1",))]
    )

    after = reallocate(instance, {"A": "P1", "B": "P2"}, {"A"})

    assert after.assignments == {"B": "P1"}
    kept = reallocate(instance, {"A": "P1", "B": "P2"})
    assert kept.assignments == {"A": "P1", "B": "P2"}
    assert kept.explanations["B"] == (
        "Assigned to P2, which was not among your choices. "
        "Your 1st choice P1 stayed full: seats given in the earlier round are kept in a re-allocation."
    )


@pytest.mark.parametrize(
    ("withdrawn", "added", "previous", "message"),
    [
        ({"Z"}, {}, {}, "unknown applicant 'Z'"),
        (set(), {"P9": 1}, {}, "unknown place 'P9'"),
        (set(), {"P1": -1}, {}, "added capacity for place 'P1' must be a non-negative integer"),
        (set(), {}, {"A": "P9"}, "unknown place 'P9'"),
        (set(), {}, {"Z": "P1"}, "unknown applicant 'Z'"),
        (set(), {}, {"A": "P1", "B": "P1"}, "puts 2 applicants in place 'P1', which has 1 seats"),
    ],
)
def test_reallocation_rejects_inconsistent_input(withdrawn, added, previous, message) -> None:
    with pytest.raises(AllocationInputError, match=message):
        reallocate(_chain(), previous, withdrawn, added_capacity=added)


def test_reallocation_rejects_previous_assignments_beyond_a_quota() -> None:
    instance = _instance(
        [Place("P1", 1, quota="Q"), Place("P2", 1, quota="Q")],
        [Applicant("A", 9, ("P1",)), Applicant("B", 8, ("P2",))],
        quotas=[Quota("Q", 1)],
    )

    with pytest.raises(AllocationInputError, match="puts 2 applicants under quota 'Q', which allows 1"):
        reallocate(instance, {"A": "P1", "B": "P2"})
    assert reallocate(instance, {"A": "P1", "B": "P2"}, added_quota_capacity={"Q": 1}).assignments == {
        "A": "P1",
        "B": "P2",
    }


# --- Overrides --------------------------------------------------------------------------------------


def test_an_override_that_breaks_stability_reports_its_blocking_pairs() -> None:
    instance = _chain()

    swapped = find_blocking_pairs(instance, {"A": "P2", "B": "P1", "C": None})
    passed_over = find_blocking_pairs(instance, {"A": "P1", "B": None, "C": "P2"})

    # C does not block at P2: A holds it with a better score, even though A did not choose it.
    assert [(p.applicant, p.place, p.choice_rank, p.displaced) for p in swapped] == [("A", "P1", 1, ("B",))]
    assert (
        swapped[0].description
        == "A prefers P1 (their 1st choice) to P2, and P1 would admit them in place of B."
    )
    assert [(p.applicant, p.place, p.choice_rank, p.displaced) for p in passed_over] == [
        ("B", "P2", 2, ("C",))
    ]


def test_an_override_into_a_free_seat_is_reported_as_such() -> None:
    pairs = find_blocking_pairs(_chain(), {"A": "P1"})

    assert [p.description for p in pairs] == [
        "B prefers P2 (their 2nd choice) to being unassigned, and P2 has a free seat for them.",
        "C prefers P2 (their 1st choice) to being unassigned, and P2 has a free seat for them.",
    ]


def test_the_allocation_itself_has_no_blocking_pairs() -> None:
    instance = _chain()

    assert find_blocking_pairs(instance, allocate(instance).assignments) == []


def test_blocking_pairs_reject_unknown_ids() -> None:
    with pytest.raises(AllocationInputError, match="unknown place 'P9'"):
        find_blocking_pairs(_chain(), {"A": "P9"})


# --- Parsing and validation -------------------------------------------------------------------------


def _json(**changes: object) -> str:
    data = {
        "places": [{"id": "P1", "capacity": 2, "quota": "Q1"}, {"id": "P2", "capacity": 1}],
        "quotas": [{"id": "Q1", "capacity": 3}],
        "applicants": [{"id": "A1", "score": 8.1, "preferences": ["P2", "P1"], "place_scores": {"P1": 9.0}}],
        "tie_break_seed": 7,
    }
    data.update(changes)
    return json.dumps(data)


def _applicant(**fields: object) -> str:
    return _json(applicants=[{"id": "A1", "score": 8, "preferences": ["P1"], **fields}])


def test_parses_the_documented_format() -> None:
    instance = parse_instance(_json())

    assert instance.places == (Place("P1", 2, quota="Q1"), Place("P2", 1))
    assert instance.quotas == (Quota("Q1", 3),)
    assert instance.applicants[0].score_at("P1") == 9.0
    assert instance.applicants[0].score_at("P2") == 8.1
    assert instance.tie_break_seed == 7


INVALID_INSTANCES = [
    ("{", r"invalid JSON: Expecting property name enclosed in double quotes \(line 1, column 2\)"),
    ("[]", "the instance must be a JSON object, got list"),
    ('{"applicants": []}', "the instance has no 'places' list"),
    (_json(extra=1), "the instance: unknown field 'extra'"),
    (_json(places={"id": "P1"}), "'places' must be a list, got dict"),
    (_json(places=[{"id": "P1", "capacity": 1}, {"id": "P1", "capacity": 2}]), "duplicate place id 'P1'"),
    (_json(quotas=[{"id": "Q1", "capacity": 1}, {"id": "Q1", "capacity": 1}]), "duplicate quota id 'Q1'"),
    (
        _json(applicants=[{"id": "A1", "score": 1}, {"id": "A1", "score": 2}]),
        "duplicate applicant id 'A1'",
    ),
    (_applicant(preferences=["P9"]), "applicant 'A1' prefers unknown place 'P9'"),
    (_applicant(preferences=["P1", "P2", "P1"]), "applicant 'A1' lists place 'P1' twice"),
    (_applicant(preferences="P1"), "applicant 'A1': preferences must be a list of place ids"),
    (_applicant(preferences=[1]), "applicant 'A1': preferences must be place ids, got 1"),
    (_applicant(score="high"), "applicant 'A1': score must be a finite number, got 'high'"),
    (_applicant(score=True), "applicant 'A1': score must be a finite number, got True"),
    (_applicant(score=None), "applicant 'A1': score must be a finite number, got None"),
    (
        '{"places": [], "applicants": [{"id": "A1", "score": 1' + "0" * 400 + "}]}",
        "score must be a finite number",
    ),
    ('{"places": [], "applicants": [{"id": "A1", "score": NaN}]}', "invalid JSON: NaN is not a number"),
    (_applicant(place_scores={"P1": "9"}), r"applicant 'A1': place_scores\['P1'\] must be a finite number"),
    (_applicant(place_scores={"P7": 9}), "applicant 'A1': place_scores names unknown place 'P7'"),
    (_applicant(place_scores=[9]), "applicant 'A1': place_scores must be an object keyed by place id"),
    (_applicant(ineligible={"P7": "no"}), "applicant 'A1': ineligible names unknown place 'P7'"),
    (_applicant(ineligible={"P1": ""}), r"applicant 'A1': ineligible\['P1'\] must be a non-empty reason"),
    (_applicant(priority="yes"), "applicant 'A1': priority must be true or false, got 'yes'"),
    (_applicant(grade=5), "applicant 'A1': unknown field 'grade'"),
    (_json(applicants=[{"score": 1}]), "applicants\\[0\\]: missing 'id'"),
    (_json(applicants=[{"id": 5, "score": 1}]), "applicants\\[0\\]: 'id' must be a non-empty string, got 5"),
    (_json(applicants=[{"id": "A1"}]), "applicant 'A1': missing 'score'"),
    (
        _json(places=[{"id": "P1", "capacity": -1}]),
        "place 'P1': capacity must be a non-negative integer, got -1",
    ),
    (
        _json(places=[{"id": "P1", "capacity": 1.5}]),
        "place 'P1': capacity must be a non-negative integer, got 1.5",
    ),
    (_json(places=[{"id": "P1", "capacity": True}]), "place 'P1': capacity must be a non-negative integer"),
    (_json(places=[{"id": "P1"}]), "place 'P1': missing 'capacity'"),
    (
        _json(places=[{"id": "P1", "capacity": 2, "reserved": 3}]),
        r"place 'P1': reserved \(3\) exceeds capacity \(2\)",
    ),
    (_json(places=[{"id": "P1", "capacity": 2, "quota": "Q9"}]), "place 'P1' refers to unknown quota 'Q9'"),
    (_json(places=[{"id": "P1", "capacity": 2, "capcity": 2}]), "place 'P1': unknown field 'capcity'"),
    (_json(places=[{"id": "P1", "capacity": 2, "name": 3}]), "place 'P1': name must be a string, got 3"),
    (_json(places=["P1"]), "places\\[0\\] must be a JSON object, got str"),
    (
        _json(quotas=[{"id": "Q1", "capacity": -2}]),
        "quota 'Q1': capacity must be a non-negative integer, got -2",
    ),
    (_json(tie_break_seed="seven"), "tie_break_seed must be an integer, got 'seven'"),
]


@pytest.mark.parametrize(
    ("text", "message"), INVALID_INSTANCES, ids=[message for _, message in INVALID_INSTANCES]
)
def test_invalid_instances_are_rejected_with_a_message_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(AllocationInputError, match=message):
        parse_instance(text)


def test_input_errors_are_value_errors_and_cover_direct_construction() -> None:
    assert issubclass(AllocationInputError, ValueError)
    with pytest.raises(AllocationInputError, match="place 'P1': capacity must be a non-negative integer"):
        Place("P1", -1)
    with pytest.raises(AllocationInputError, match="applicant 'A' prefers unknown place 'P2'"):
        _instance([Place("P1", 1)], [Applicant("A", 1, ("P2",))])


def test_parses_bytes_and_rejects_non_utf8() -> None:
    assert parse_instance(_json().encode()).tie_break_seed == 7
    with pytest.raises(AllocationInputError, match="not UTF-8"):
        parse_instance(b'{"places": [], "applicants": [{"id": "\xff"}]}')
