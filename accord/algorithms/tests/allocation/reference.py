"""The allocation rules written out naively from the module documentation, plus instance strategies.

Nothing here uses the engine: it is the specification the engine is tested against. It is slow on
purpose (plain sorting and counting), which is fine for the small instances of the tests.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Mapping

from hypothesis import strategies as st

from accord.algorithms.allocation.allocation import AllocationInstance, Applicant, Place, Quota

Assignment = Mapping[str, str | None]


class Rules:
    """Standings, admission and blocking pairs of one instance, as the documentation states them."""

    def __init__(self, instance: AllocationInstance) -> None:
        self.instance = instance
        self.places = {place.id: place for place in instance.places}
        self.quotas = {quota.id: quota for quota in instance.quotas}
        self.applicants = {applicant.id: applicant for applicant in instance.applicants}
        draw = random.Random(instance.tie_break_seed).random
        self.lottery = {applicant.id: draw() for applicant in instance.applicants}

    def choices(self, applicant_id: str) -> list[str]:
        """The applicant's eligible choices, best first."""
        applicant = self.applicants[applicant_id]
        return [place for place in applicant.preferences if place not in applicant.ineligible]

    def standing(self, applicant_id: str, place_id: str) -> tuple[float, float, int]:
        """Sort key, smaller is better: score there (high first), lottery draw, own preference."""
        applicant = self.applicants[applicant_id]
        # A place the applicant did not choose, or is not eligible for, comes after all eligible choices.
        choices = self.choices(applicant_id)
        own_rank = choices.index(place_id) if place_id in choices else len(choices)
        return (-applicant.score_at(place_id), self.lottery[applicant_id], own_rank)

    def rank(self, applicant_id: str, place_id: str | None) -> int:
        """Position in the applicant's list; an unlisted place after every listed one; None last."""
        preferences = self.applicants[applicant_id].preferences
        if place_id is None:
            return len(preferences) + 1
        return preferences.index(place_id) if place_id in preferences else len(preferences)

    def group(self, place_id: str) -> list[str]:
        """The places admitting together with ``place_id``: its quota's places, or itself."""
        quota = self.places[place_id].quota
        if quota is None:
            return [place_id]
        return [place.id for place in self.instance.places if place.quota == quota]

    def quota_limit(self, place_id: str) -> float:
        quota = self.places[place_id].quota
        return math.inf if quota is None else self.quotas[quota].capacity

    def admitted(self, applications: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """The two-pass admission rule for (applicant, place) applications to the places of one group."""
        ordered = sorted(applications, key=lambda pair: self.standing(*pair))
        limit = self.quota_limit(ordered[0][1]) if ordered else math.inf
        seats: dict[str, int] = {}
        general: dict[str, int] = {}
        admitted: set[tuple[str, str]] = set()
        held_back = []
        for applicant_id, place_id in ordered:
            place = self.places[place_id]
            if len(admitted) >= limit or seats.get(place_id, 0) >= place.capacity:
                continue
            priority = self.applicants[applicant_id].priority
            if not priority and general.get(place_id, 0) >= place.capacity - place.reserved:
                held_back.append((applicant_id, place_id))
                continue
            if not priority:
                general[place_id] = general.get(place_id, 0) + 1
            seats[place_id] = seats.get(place_id, 0) + 1
            admitted.add((applicant_id, place_id))
        for applicant_id, place_id in held_back:
            if len(admitted) < limit and seats.get(place_id, 0) < self.places[place_id].capacity:
                seats[place_id] = seats.get(place_id, 0) + 1
                admitted.add((applicant_id, place_id))
        return admitted

    def better_choices(self, applicant_id: str, current: str | None) -> list[str]:
        choices = self.choices(applicant_id)
        return choices[: choices.index(current)] if current in choices else choices

    def blocking_pairs(self, assignment: Assignment) -> set[tuple[str, str]]:
        """Pairs (a, p): a prefers p, and p's admission rule admits a next to p's group's holders."""
        pairs = set()
        for applicant_id in self.applicants:
            for place_id in self.better_choices(applicant_id, assignment.get(applicant_id)):
                group = self.group(place_id)
                holders = [(other, place) for other, place in assignment.items() if place in group]
                if (applicant_id, place_id) in self.admitted([*holders, (applicant_id, place_id)]):
                    pairs.add((applicant_id, place_id))
        return pairs

    def justified_envy(self, assignment: Assignment) -> set[tuple[str, str]]:
        """Blocking pairs by counting, for instances without reserved seats and within capacities.

        (a, p) blocks when a prefers p and fewer holders than seats stand above a, both at p and
        (if p has a quota) among the holders of all the quota's places, each at their own place.
        """
        pairs = set()
        for applicant_id in self.applicants:
            for place_id in self.better_choices(applicant_id, assignment.get(applicant_id)):
                mine = self.standing(applicant_id, place_id)
                above_at_place = sum(
                    self.standing(other, place) < mine
                    for other, place in assignment.items()
                    if place == place_id
                )
                above_in_group = sum(
                    self.standing(other, place) < mine
                    for other, place in assignment.items()
                    if place in self.group(place_id)
                )
                if above_at_place < self.places[place_id].capacity and above_in_group < self.quota_limit(
                    place_id
                ):
                    pairs.add((applicant_id, place_id))
        return pairs

    def fits(self, assignment: Assignment) -> bool:
        """Within every place's and quota's capacity, and everyone at an eligible place they chose."""
        taken: dict[str, int] = {}
        for applicant_id, place_id in assignment.items():
            if place_id is not None:
                if place_id not in self.choices(applicant_id):
                    return False
                taken[place_id] = taken.get(place_id, 0) + 1
        if any(taken[place_id] > self.places[place_id].capacity for place_id in taken):
            return False
        per_quota: dict[str, int] = {}
        for place_id, count in taken.items():
            quota = self.places[place_id].quota
            if quota is not None:
                per_quota[quota] = per_quota.get(quota, 0) + count
        return all(count <= self.quotas[quota].capacity for quota, count in per_quota.items())

    def is_stable(self, assignment: Assignment) -> bool:
        """No blocking pair (stops at the first one)."""
        for applicant_id in self.applicants:
            for place_id in self.better_choices(applicant_id, assignment.get(applicant_id)):
                group = self.group(place_id)
                holders = [(other, place) for other, place in assignment.items() if place in group]
                if (applicant_id, place_id) in self.admitted([*holders, (applicant_id, place_id)]):
                    return False
        return True

    def stable_assignments(self) -> Iterator[dict[str, str | None]]:
        """Every stable assignment, by brute force over the assignments within capacities."""
        applicant_ids = list(self.applicants)
        options = [[None, *self.choices(applicant_id)] for applicant_id in applicant_ids]
        for combination in itertools.product(*options):
            assignment = dict(zip(applicant_ids, combination, strict=True))
            if self.fits(assignment) and self.is_stable(assignment):
                yield assignment


SCORES = st.sampled_from([5, 6, 6.5, 7, 8.25, 9])


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    min_applicants: int = 0,
    max_applicants: int = 8,
    max_places: int = 4,
    max_choices: int = 4,
    quotas: bool = True,
    reserved: bool = True,
    place_scores: bool = True,
    every_place_scored: bool = False,
    ineligible: bool = True,
    priority: bool = True,
    distinct_scores: bool = False,
    min_capacity: int = 0,
    max_capacity: int = 3,
) -> AllocationInstance:
    """Small random instances; few score values, so that ties (and the lottery) matter.

    ``every_place_scored`` gives each chosen place its own score, so places rank applicants
    differently and instances tend to have several stable assignments.
    """
    quota_list = [
        Quota(
            f"Q{i}",
            draw(st.integers(min_capacity, max_capacity + 1)),
            name=draw(st.sampled_from([None, f"Quota {i}"])),
        )
        for i in range(draw(st.integers(0, 2)) if quotas else 0)
    ]
    places = []
    for i in range(draw(st.integers(1, max_places))):
        capacity = draw(st.integers(min_capacity, max_capacity))
        places.append(
            Place(
                f"P{i}",
                capacity,
                quota=draw(st.sampled_from([None, *(quota.id for quota in quota_list)])),
                reserved=draw(st.integers(0, capacity)) if reserved else 0,
                name=draw(st.sampled_from([None, f"University {i}"])),
            )
        )
    place_ids = [place.id for place in places]
    count = draw(st.integers(min_applicants, max_applicants))
    score_values = st.integers(0, 10_000).map(lambda thousandths: thousandths / 1000)
    scores = (
        draw(st.lists(score_values, min_size=count, max_size=count, unique=True)) if distinct_scores else None
    )
    applicants = []
    for i in range(count):
        preferences = draw(st.permutations(place_ids))[
            : draw(st.integers(0, min(max_choices, len(place_ids))))
        ]
        if every_place_scored:
            chosen_place_scores = {place: draw(st.integers(0, 9)) for place in preferences}
        elif place_scores:
            chosen_place_scores = {place: draw(SCORES) for place in preferences if draw(st.booleans())}
        else:
            chosen_place_scores = {}
        applicants.append(
            Applicant(
                f"A{i}",
                scores[i] if scores is not None else draw(SCORES),
                tuple(preferences),
                place_scores=chosen_place_scores,
                priority=draw(st.booleans()) if priority else False,
                ineligible={
                    place: f"missing {place} requirement" for place in preferences if draw(st.booleans())
                }
                if ineligible and draw(st.integers(0, 3)) == 0
                else {},
            )
        )
    return AllocationInstance(
        tuple(places), tuple(applicants), tuple(quota_list), tie_break_seed=draw(st.integers(0, 2**32))
    )


@st.composite
def instances_with_assignments(
    draw: st.DrawFn, *, within_capacity: bool = False, **instance_options: object
) -> tuple[AllocationInstance, dict[str, str | None]]:
    """An instance and a manual assignment: any place (even unchosen, over capacity), or within capacity."""
    instance = draw(instances(**instance_options))
    rules = Rules(instance)
    assignment: dict[str, str | None] = {}
    for applicant in instance.applicants:
        if within_capacity:
            candidate = draw(st.sampled_from([None, *rules.choices(applicant.id)]))
            assignment[applicant.id] = (
                candidate if rules.fits({**assignment, applicant.id: candidate}) else None
            )
        else:
            assignment[applicant.id] = draw(st.sampled_from([None, *(place.id for place in instance.places)]))
    return instance, assignment


def instance_to_json(instance: AllocationInstance) -> dict[str, object]:
    """The JSON form of an instance, with every optional field written out."""
    return {
        "places": [
            {"id": p.id, "capacity": p.capacity, "quota": p.quota, "reserved": p.reserved, "name": p.name}
            for p in instance.places
        ],
        "quotas": [{"id": q.id, "capacity": q.capacity, "name": q.name} for q in instance.quotas],
        "applicants": [
            {
                "id": a.id,
                "score": a.score,
                "preferences": list(a.preferences),
                "place_scores": dict(a.place_scores),
                "priority": a.priority,
                "ineligible": dict(a.ineligible),
            }
            for a in instance.applicants
        ],
        "tie_break_seed": instance.tie_break_seed,
    }


@st.composite
def contested_instances(draw: st.DrawFn) -> AllocationInstance:
    """Small random markets built to have several stable assignments, for brute-force comparisons.

    About as many seats as applicants, long lists, and places that mostly favour the applicants who
    like them less. Hypothesis' own choices lean towards simple, aligned preferences, which almost
    always have a single stable assignment, so the market comes from a seeded ``random.Random``.
    """
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    quota_list = [Quota("Q0", rnd.randint(1, 2))] if rnd.random() < 0.6 else []
    places = [
        Place(
            f"P{i}",
            rnd.choice([1, 1, 1, 2]),
            quota=rnd.choice([None, *[quota.id for quota in quota_list] * 2]),
            reserved=rnd.choice([0, 0, 0, 1]),
        )
        for i in range(rnd.randint(2, 4))
    ]
    applicants = []
    for i in range(rnd.randint(3, 6)):
        preferences = rnd.sample(
            [place.id for place in places], rnd.randint(max(1, len(places) - 1), len(places))
        )
        contrary = rnd.random() < 0.8
        applicants.append(
            Applicant(
                f"A{i}",
                rnd.randint(0, 9),
                tuple(preferences),
                place_scores={
                    place: 3 * rank + rnd.randint(0, 3) if contrary else rnd.randint(0, 9)
                    for rank, place in enumerate(preferences)
                },
                priority=rnd.random() < 0.3,
                ineligible={preferences[-1]: "not eligible"} if rnd.random() < 0.1 else {},
            )
        )
    return AllocationInstance(tuple(places), tuple(applicants), tuple(quota_list), rnd.randint(0, 99))
