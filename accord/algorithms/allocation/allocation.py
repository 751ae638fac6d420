"""Seat allocation for exchange places: student-proposing deferred acceptance with quotas and reserves.

Pure Python (numpy for one sort); nothing here imports Django. The public API:

- :func:`parse_instance` / :func:`instance_from_dict`: JSON in, a validated :class:`AllocationInstance`
  out, or one :class:`AllocationInputError` naming the offending item;
- :func:`allocate`: the student-optimal stable assignment, as an :class:`AllocationResult`;
- :func:`reallocate`: a new result after withdrawals or added seats, nobody worse off;
- :func:`find_blocking_pairs`: what a manual (override) assignment breaks.

Instance format (JSON)::

    {"places": [{"id": "P1", "capacity": 2, "quota": "Q1", "reserved": 1, "name": "Granada, autumn"}],
     "quotas": [{"id": "Q1", "capacity": 3, "name": "Granada agreement 2026/27"}],
     "applicants": [{"id": "A1", "score": 8.1, "preferences": ["P2", "P1"],
                     "place_scores": {"P1": 9.0}, "priority": false,
                     "ineligible": {"P3": "CEFR B1 required in Spanish, you have A2"}}],
     "tie_break_seed": 7}

Only ``id``/``capacity`` (places, quotas) and ``id``/``score`` (applicants) are required.

The rules
=========

**Standing.** An applicant's standing at a place is its score there (``place_scores[place]``, else
its overall ``score``), higher first. Equal scores are separated by a lottery: each applicant draws
one number from ``random.Random(tie_break_seed)``, in the order applicants appear in the instance,
and the same number settles its ties everywhere. So the same instance always gives the same result.

**Eligibility.** Choices listed in ``ineligible`` are removed before allocation; the reason appears
in the applicant's explanation.

**Quotas.** A quota caps the total number of seats taken at its places. The places under one quota
admit applicants together, going down one list of their applications ordered by standing: an
application is admitted when its place and the quota both have a free seat. Without place scores,
applicants therefore stand within a quota by their overall score. With place scores, an
application to a place stands by its score *for that place*, in the quota too. That is deliberate: a
quota ranking by overall score while its places rank by place score cannot always be satisfied.
Take quota Q (1 seat) over P1 and P2 (1 seat each); X applies to P2, Y and Z to P1; P1 ranks Z above
Y; the quota ranks Y above X above Z. X alone at P2 is undone by Y (P1 is free and Y outranks X in
Q); Y at P1 is undone by Z (P1 prefers Z); Z at P1 is undone by X (Q prefers X to Z). No assignment
is stable, and deferred acceptance would depend on who proposes first. One standing per application
avoids this and keeps the place's own ranking.

**Reserved seats.** A place with capacity ``c`` and ``reserved`` ``r`` admits, going down its
standings, while seats are free, except that non-priority applicants may hold only ``c - r`` seats in
this first pass. Seats still free afterwards (reserved seats no priority applicant claimed) go, again
by standing, to the non-priority applicants held back, within the quota, if any. Priority applicants
thus compete for all ``c`` seats, and reserved seats are a floor: when enough eligible priority
applicants want the place, at least ``r`` of them get it. A priority applicant who would have won a
general seat on score still counts towards the floor. Example: ``c = 3``, ``r = 1``, standings
N1 > P1 > N2 > N3 > P2 (P = priority) -> N1, P1, N2; with no priority applicant, N1, N2, N3.

**Stability.** Together these rules are the *admission rule* of a group of places (the places under
one quota, or a single place). An assignment is *stable* when no applicant ``a`` and place ``p`` form
a *blocking pair*: ``a`` chose ``p``, is eligible for it, prefers it to what ``a`` got, and ``p``'s
admission rule, applied to the group's current holders plus ``a`` asking for ``p``, admits ``a``. (If
``a`` already holds a seat at another place of the same quota, that seat stays in the set: it was
taken with ``a``'s standing there, which may be better than at ``p``.) Without reserved seats this
reads: ``(a, p)`` blocks when ``a`` prefers ``p``, fewer of ``p``'s holders than ``p``'s seats stand
above ``a`` at ``p``, and, if ``p`` has a quota, fewer of the quota's holders than the quota's seats
stand above ``a`` (each holder by their standing at the place they hold, ``a``'s own seat included;
at equal scores ``a``'s application to the place ``a`` prefers stands higher). That is justified envy
for two-level capacities; without place scores it is exactly the stability of the student-project
allocation problem (Abraham, Irving & Manlove), places being projects and quotas supervisors.

The admission rule is substitutable (an application turned away from some set of applications is
turned away from every larger set) and size-monotone. Under those two properties student-proposing
deferred acceptance ends in the stable assignment that every applicant likes at least as much as
any other stable assignment (Hatfield & Milgrom, 2005). The tests check both properties, stability
and that optimality against brute force on small instances, and agreement with the ``matching``
package.

**Re-allocation.** :func:`reallocate` runs deferred acceptance again with withdrawn applicants
removed and any added seats, but every remaining applicant keeps a guaranteed claim on the seat
they held: that application stands above everyone else's at the place (and in its quota), and the
applicant only proposes to places they prefer. Freed seats cascade down the waitlists and nobody can
end up worse off. The result is stable but for those guarantees: the only pairs that block it would
displace someone from the seat they kept.

The result
==========

:meth:`AllocationResult.to_dict` (what ``manage.py allocate`` writes)::

    {"assignments": {"A1": "P2", "A2": null},
     "cutoffs": {"P1": 8.42, "P2": null},
     "priority_cutoffs": {"P3": 6.5},
     "waitlists": {"P1": ["A2"], "P2": []},
     "explanations": {"A1": "Assigned to your 2nd choice P2. Your 1st choice P1 filled with ..."},
     "stats": {"seconds": 0.012, "assigned": 1, "unassigned": 1}}

- A *cut-off* is the score a non-priority newcomer had to beat: that of the lowest-standing holder
  they would have displaced, at the place when it is full, anywhere under its quota when the quota
  is what filled up; null while the place had room. For a full place without quota or reserved
  seats, that is the lowest score admitted. ``priority_cutoffs`` (present when some place has
  reserved seats) gives the same for priority applicants at those places.
- A *waitlist* lists, in the place's ranking order, the eligible applicants who chose the place and
  got a place they rank lower, or none.
- ``stats.seconds`` times the allocation itself; parsing, validation and the other outputs are not
  included. Cut-offs, waitlists and explanations are computed on first use.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from accord.algorithms.allocation.blocking import blocking_pairs
from accord.algorithms.allocation.engine import NO_PLACE, Outcome, allocate_seats, build_market
from accord.algorithms.allocation.explain import Explainer, cutoff, ordinal, waitlists
from accord.algorithms.allocation.model import (
    AllocationInputError,
    AllocationInstance,
    Applicant,
    Place,
    Quota,
    instance_from_dict,
    parse_instance,
)

__all__ = [
    "AllocationInputError",
    "AllocationInstance",
    "AllocationResult",
    "AllocationStats",
    "Applicant",
    "BlockingPair",
    "Place",
    "Quota",
    "allocate",
    "find_blocking_pairs",
    "instance_from_dict",
    "parse_instance",
    "reallocate",
]


@dataclass(frozen=True, slots=True)
class AllocationStats:
    """How the run went; ``seconds`` times the allocation itself: compiling and deferred acceptance."""

    seconds: float
    assigned: int
    unassigned: int

    def to_dict(self) -> dict[str, float | int]:
        """The JSON form."""
        return {"seconds": self.seconds, "assigned": self.assigned, "unassigned": self.unassigned}


class AllocationResult:
    """The assignment, and what is derived from it: cut-offs, waitlists and explanations.

    Only ``assignments`` and ``stats`` are computed by the allocation; the rest is computed on first
    use, and explanations one applicant at a time.
    """

    def __init__(self, instance: AllocationInstance, outcome: Outcome, seconds: float) -> None:
        self._instance = instance
        self._outcome = outcome
        # NO_PLACE is -1, so indexing this list with an assignment gives None for the unassigned.
        place_ids: list[str | None] = [*instance.index.place_position, None]
        applicant_ids = instance.index.applicant_position.keys()
        assigned_ids = map(place_ids.__getitem__, outcome.assignment)
        self.assignments: dict[str, str | None] = dict(zip(applicant_ids, assigned_ids, strict=True))
        active = outcome.market.active
        for position, taking_part in enumerate(active):
            if not taking_part:
                del self.assignments[instance.applicants[position].id]
        # Withdrawn applicants are unassigned in the outcome but not part of the result.
        unassigned = outcome.assignment.count(NO_PLACE) - active.count(False)
        self.stats = AllocationStats(seconds, len(self.assignments) - unassigned, unassigned)

    @cached_property
    def cutoffs(self) -> dict[str, float | None]:
        """Per place, the score a non-priority applicant needed (see :func:`~.allocation_explain.cutoff`)."""
        return {
            place.id: cutoff(self._outcome, i, priority=False)
            for i, place in enumerate(self._instance.places)
        }

    @cached_property
    def priority_cutoffs(self) -> dict[str, float | None]:
        """Per place with reserved seats, the score a priority applicant needed."""
        return {
            place.id: cutoff(self._outcome, i, priority=True)
            for i, place in enumerate(self._instance.places)
            if place.reserved
        }

    @cached_property
    def waitlists(self) -> dict[str, list[str]]:
        """Per place, in ranking order: eligible applicants who chose it and got something they like less."""
        return waitlists(self._instance, self._outcome)

    @cached_property
    def explanations(self) -> Mapping[str, str]:
        """Per applicant, why they got what they got, in plain language (written on first access)."""
        return _Explanations(self._instance, self._outcome, self.assignments)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: assignments, cutoffs, (priority_cutoffs,) waitlists, explanations, stats."""
        data: dict[str, Any] = {"assignments": self.assignments, "cutoffs": self.cutoffs}
        if self.priority_cutoffs:
            data["priority_cutoffs"] = self.priority_cutoffs
        data["waitlists"] = self.waitlists
        data["explanations"] = dict(self.explanations)
        data["stats"] = self.stats.to_dict()
        return data


class _Explanations(Mapping[str, str]):
    def __init__(
        self, instance: AllocationInstance, outcome: Outcome, assignments: Mapping[str, str | None]
    ) -> None:
        self._explainer = Explainer(instance, outcome)
        self._position = instance.index.applicant_position
        self._ids = assignments
        self._written: dict[str, str] = {}

    def __getitem__(self, applicant_id: str) -> str:
        if applicant_id not in self._ids:
            raise KeyError(applicant_id)
        if applicant_id not in self._written:
            self._written[applicant_id] = self._explainer.explain(self._position[applicant_id])
        return self._written[applicant_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def allocate(instance: AllocationInstance) -> AllocationResult:
    """Allocate the places of ``instance``: the student-optimal stable assignment (see the module docs)."""
    started = time.perf_counter()
    market = build_market(
        instance,
        capacity=[place.capacity for place in instance.places],
        quota_capacity=[quota.capacity for quota in instance.quotas],
    )
    outcome = allocate_seats(market)
    return AllocationResult(instance, outcome, time.perf_counter() - started)


def reallocate(
    instance: AllocationInstance,
    previous: AllocationResult | Mapping[str, str | None],
    withdrawn: Iterable[str] = (),
    *,
    added_capacity: Mapping[str, int] | None = None,
    added_quota_capacity: Mapping[str, int] | None = None,
) -> AllocationResult:
    """Allocate again after withdrawals and/or added seats; nobody remaining ends up worse off.

    ``previous`` is an earlier result, or its ``assignments`` (e.g. as stored, possibly with manual
    changes). Every remaining applicant keeps a guaranteed claim on the seat they held and can only
    move to a place they prefer; freed and added seats go down the waitlists. Withdrawn applicants
    are left out of the new result. Raises :class:`AllocationInputError` for unknown ids, negative
    additions, or previous assignments that no longer fit the capacities.
    """
    previous_assignments = previous.assignments if isinstance(previous, AllocationResult) else previous
    index = instance.index
    withdrawn_positions = frozenset(
        _position(index.applicant_position, "applicant", item) for item in withdrawn
    )
    capacity = _with_additions(
        [place.capacity for place in instance.places], index.place_position, added_capacity, "place"
    )
    quota_capacity = _with_additions(
        [quota.capacity for quota in instance.quotas], index.quota_position, added_quota_capacity, "quota"
    )
    started = time.perf_counter()
    kept = {
        _position(index.applicant_position, "applicant", applicant_id): _position(
            index.place_position, "place", place_id
        )
        for applicant_id, place_id in previous_assignments.items()
        if place_id is not None
    }
    kept = {applicant: place for applicant, place in kept.items() if applicant not in withdrawn_positions}
    _check_kept_seats_fit(instance, kept, capacity, quota_capacity)
    market = build_market(
        instance, capacity=capacity, quota_capacity=quota_capacity, withdrawn=withdrawn_positions, kept=kept
    )
    outcome = allocate_seats(market)
    return AllocationResult(instance, outcome, time.perf_counter() - started)


def _position(positions: Mapping[str, int], kind: str, item_id: str) -> int:
    if item_id not in positions:
        raise AllocationInputError(f"unknown {kind} {item_id!r}")
    return positions[item_id]


def _with_additions(
    capacities: list[int], positions: Mapping[str, int], additions: Mapping[str, int] | None, kind: str
) -> list[int]:
    for item_id, added in (additions or {}).items():
        if isinstance(added, bool) or not isinstance(added, int) or added < 0:
            raise AllocationInputError(
                f"added capacity for {kind} {item_id!r} must be a non-negative integer"
            )
        capacities[_position(positions, kind, item_id)] += added
    return capacities


def _check_kept_seats_fit(
    instance: AllocationInstance, kept: Mapping[int, int], capacity: list[int], quota_capacity: list[int]
) -> None:
    per_place = [0] * len(capacity)
    for place in kept.values():
        per_place[place] += 1
    per_quota = [0] * len(quota_capacity)
    for place, taken in enumerate(per_place):
        quota_id = instance.places[place].quota
        if taken > capacity[place]:
            raise AllocationInputError(
                f"the previous assignment puts {taken} applicants in place {instance.places[place].id!r}, "
                f"which has {capacity[place]} seats: add capacity to keep them"
            )
        if quota_id is not None:
            per_quota[instance.index.quota_position[quota_id]] += taken
    for quota, taken in enumerate(per_quota):
        if taken > quota_capacity[quota]:
            raise AllocationInputError(
                f"the previous assignment puts {taken} applicants under quota {instance.quotas[quota].id!r}, "
                f"which allows {quota_capacity[quota]}: add quota capacity to keep them"
            )


@dataclass(frozen=True, slots=True)
class BlockingPair:
    """An applicant and a place that would both rather be together than keep the given assignment."""

    applicant: str
    place: str
    choice_rank: int
    """Where the applicant ranked the place: 1 for first choice."""
    displaced: tuple[str, ...]
    """Applicants who would lose their seat to make room; empty when a seat is free."""
    description: str


def find_blocking_pairs(
    instance: AllocationInstance, assignments: Mapping[str, str | None]
) -> list[BlockingPair]:
    """The blocking pairs of ``assignments`` (e.g. after a coordinator's override); empty when stable.

    Applicants missing from ``assignments`` count as unassigned. An applicant assigned to a place
    they did not choose (or are ineligible for) prefers every eligible place they chose. Ordered by
    applicant, then by choice. Raises :class:`AllocationInputError` for unknown ids.
    """
    index = instance.index
    assignment = [NO_PLACE] * len(instance.applicants)
    for applicant_id, place_id in assignments.items():
        applicant = _position(index.applicant_position, "applicant", applicant_id)
        assignment[applicant] = (
            NO_PLACE if place_id is None else _position(index.place_position, "place", place_id)
        )
    market = build_market(
        instance,
        capacity=[place.capacity for place in instance.places],
        quota_capacity=[quota.capacity for quota in instance.quotas],
    )
    pairs = []
    for applicant, place, displaced in blocking_pairs(market, assignment):
        applicant_info = instance.applicants[applicant]
        place_info = instance.places[place]
        rank = applicant_info.preferences.index(place_info.id) + 1
        displaced_ids = tuple(instance.applicants[other].id for other in displaced)
        current = assignment[applicant]
        instead = "being unassigned" if current == NO_PLACE else instance.places[current].label
        outcome = (
            f"would admit them in place of {', '.join(displaced_ids)}"
            if displaced_ids
            else "has a free seat for them"
        )
        description = (
            f"{applicant_info.id} prefers {place_info.label} (their {ordinal(rank)} choice) to {instead}, "
            f"and {place_info.label} {outcome}."
        )
        pairs.append(BlockingPair(applicant_info.id, place_info.id, rank, displaced_ids, description))
    return pairs
