"""Accord's allocation gives the same assignments as the ``matching`` package on random instances.

Without quotas the problem is hospital/residents (``HospitalResident``, resident-optimal); with quotas
it is student/project allocation (``StudentAllocation``, student-optimal), places being projects and
quotas supervisors (a place without a quota gets a supervisor of its own). Every score is distinct,
so each place's ranking is strict and both sides must find the same, unique student-optimal
assignment. ``matching`` ranks a supervisor's students once for all its projects, so places under a
quota carry no place scores here.
"""

import random
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident, StudentAllocation

from accord.algorithms.allocation.allocation import AllocationInstance, Applicant, Place, Quota, allocate


def _random_instance(
    rnd: random.Random, *, applicants: int, places: int, with_quotas: bool
) -> AllocationInstance:
    quotas = [Quota(f"Q{i}", rnd.randint(1, 4)) for i in range(rnd.randint(1, 3))] if with_quotas else []
    place_list = [
        Place(
            f"P{i}", rnd.randint(1, 3), quota=rnd.choice([None, *(q.id for q in quotas)]) if quotas else None
        )
        for i in range(places)
    ]
    # One pool of distinct scores for overall and place scores alike: every ranking is strict.
    scores = iter(value / 100 for value in rnd.sample(range(100_000), applicants * (places + 1)))
    applicant_list = []
    for i in range(applicants):
        preferences = rnd.sample([place.id for place in place_list], rnd.randint(0, places))
        scoreable = [place.id for place in place_list if place.quota is None and place.id in preferences]
        applicant_list.append(
            Applicant(
                f"A{i}",
                next(scores),
                tuple(preferences),
                place_scores={place: next(scores) for place in scoreable if rnd.random() < 0.7},
                ineligible={place: "not eligible" for place in preferences if rnd.random() < 0.1},
            )
        )
    return AllocationInstance(tuple(place_list), tuple(applicant_list), tuple(quotas), rnd.randint(0, 99))


def _eligible_preferences(instance: AllocationInstance) -> dict[str, list[str]]:
    # ``matching`` needs every resident or student to rank at least one place.
    eligible = {a.id: [p for p in a.preferences if p not in a.ineligible] for a in instance.applicants}
    return {applicant: places for applicant, places in eligible.items() if places}


def _ranked(instance: AllocationInstance, who: dict[str, list[str]], places: set[str], by_place: str | None):
    applicants = {a.id: a for a in instance.applicants}
    chose = [a for a, choices in who.items() if places & set(choices)]
    return sorted(
        chose, key=lambda a: -(applicants[a].score_at(by_place) if by_place else applicants[a].score)
    )


def _hospital_resident(instance: AllocationInstance) -> dict[str, str | None]:
    residents = _eligible_preferences(instance)
    hospitals = {p.id: _ranked(instance, residents, {p.id}, by_place=p.id) for p in instance.places}
    capacities = {p.id: p.capacity for p in instance.places}
    with warnings.catch_warnings():
        # It warns about places nobody chose, which are fine here.
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        matching = game.solve(optimal="resident")
    return _as_assignment(instance, matching)


def _student_allocation(instance: AllocationInstance) -> dict[str, str | None]:
    students = _eligible_preferences(instance)
    supervisor_of = {p.id: p.quota or f"alone-{p.id}" for p in instance.places}
    supervisor_capacity = {q.id: q.capacity for q in instance.quotas} | {
        f"alone-{p.id}": p.capacity for p in instance.places if p.quota is None
    }
    supervisor_prefs = {}
    for supervisor in supervisor_capacity:
        places = {place for place, owner in supervisor_of.items() if owner == supervisor}
        by_place = None if supervisor in {q.id for q in instance.quotas} else next(iter(places))
        supervisor_prefs[supervisor] = _ranked(instance, students, places, by_place)
    with warnings.catch_warnings():
        # It warns about unchosen places and quotas larger than their places' seats, both fine here.
        warnings.simplefilter("ignore")
        game = StudentAllocation.create_from_dictionaries(
            students,
            supervisor_prefs,
            supervisor_of,
            {p.id: p.capacity for p in instance.places},
            supervisor_capacity,
        )
        matching = game.solve(optimal="student")
    return _as_assignment(instance, matching)


def _as_assignment(instance: AllocationInstance, matching: object) -> dict[str, str | None]:
    assignment: dict[str, str | None] = {applicant.id: None for applicant in instance.applicants}
    for place, holders in matching.items():
        for holder in holders:
            assignment[holder.name] = place.name
    return assignment


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_agrees_with_hospital_resident_without_quotas(seed: int) -> None:
    rnd = random.Random(seed)
    instance = _random_instance(
        rnd, applicants=rnd.randint(1, 25), places=rnd.randint(1, 6), with_quotas=False
    )

    assert allocate(instance).assignments == _hospital_resident(instance)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_agrees_with_student_allocation_with_quotas(seed: int) -> None:
    rnd = random.Random(seed)
    instance = _random_instance(
        rnd, applicants=rnd.randint(1, 25), places=rnd.randint(1, 6), with_quotas=True
    )

    assert allocate(instance).assignments == _student_allocation(instance)


def test_agrees_with_both_on_a_larger_scarce_instance() -> None:
    rnd = random.Random(2026)
    plain = _random_instance(rnd, applicants=400, places=40, with_quotas=False)
    with_quotas = _random_instance(rnd, applicants=400, places=40, with_quotas=True)

    assert allocate(plain).assignments == _hospital_resident(plain)
    assert allocate(with_quotas).assignments == _student_allocation(with_quotas)
