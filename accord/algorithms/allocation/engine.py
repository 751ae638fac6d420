"""Deferred acceptance over integer arrays: the engine behind :mod:`accord.algorithms.allocation.allocation`.

Applicants, places and quotas are positions in the instance's tuples. Every application of one
applicant to one place has a *key*: its rank in a single order of all standings (kept seats first,
then score from high to low, then lottery number), so 0 is the best key and comparing two
standings is comparing two ints. A place ranks its applicants by key, and so does a quota.

Places that are neither under a binding quota nor have reserved seats ("plain" places) keep their
holders in a heap of negated keys and a *bar* (the worst key held once full): most proposals in a
scarce market are turned away by one list lookup and one comparison. Places under a binding quota or
with reserved seats are decided together by a :class:`GroupState`, which applies :func:`choose`.

When all places are plain and every applicant stands the same everywhere (no place scores, no kept
seats), all places share one ranking, and deferred acceptance reduces to serial dictatorship in
ranking order (:func:`serial_dictatorship`): same assignment, a fraction of the work.
"""

from __future__ import annotations

import random
import sys
from bisect import bisect_left, insort
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from heapq import heappush, heapreplace
from typing import NamedTuple

import numpy as np

from accord.algorithms.allocation.model import AllocationInstance

NO_PLACE = -1
UNLIMITED = sys.maxsize


class Contract(NamedTuple):
    """One applicant asking for, or holding, a seat at one place.

    Tuples order by key, then by the applicant's own preference (``choice_index``): the second only
    separates two applications of the same applicant with the same score.
    """

    key: float
    choice_index: int
    applicant: int
    place: int
    priority: bool
    """Held by a priority applicant, who may take reserved seats."""
    kept: bool
    """A seat kept from an earlier round (re-allocation): admitted whatever else applies."""


def choose(
    contracts: Sequence[Contract], capacity: Sequence[int], reserved: Sequence[int], quota_capacity: int
) -> list[bool]:
    """Which of ``contracts`` (sorted best first, all for places of one group) the group admits.

    Pass 1 goes down the standings and admits a contract when its place and the quota have a free
    seat and, for a non-priority contract, the place's general seats (capacity - reserved) are not
    all taken by non-priority contracts. Pass 2 gives the seats still free (reserved seats no
    priority applicant claimed) to the contracts held back by that last rule, again by standing.
    Kept seats stand first and are never held back, but a non-priority one still uses a general seat.

    The rule is a greedy choice over nested capacity limits, which is what makes it substitutable
    (a contract turned away from a set stays turned away from any larger set) and size-monotone;
    deferred acceptance relies on both, and the tests check them.
    """
    admitted = [False] * len(contracts)
    taken: dict[int, int] = {}
    general: dict[int, int] = {}
    total = 0
    held_back: list[int] = []
    for position, contract in enumerate(contracts):
        place = contract.place
        if total >= quota_capacity or taken.get(place, 0) >= capacity[place]:
            continue
        if not contract.priority:
            if not contract.kept and general.get(place, 0) >= capacity[place] - reserved[place]:
                held_back.append(position)
                continue
            general[place] = general.get(place, 0) + 1
        taken[place] = taken.get(place, 0) + 1
        total += 1
        admitted[position] = True
    for position in held_back:
        place = contracts[position].place
        if total < quota_capacity and taken.get(place, 0) < capacity[place]:
            taken[place] = taken.get(place, 0) + 1
            total += 1
            admitted[position] = True
    return admitted


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """Places whose seats are decided together: those of one binding quota, or one reserved place."""

    places: tuple[int, ...]
    quota_capacity: int
    has_reserved_seats: bool


class GroupState:
    """The contracts a group holds during deferred acceptance, sorted best first."""

    __slots__ = ("capacity", "held", "reserved", "spec", "taken", "total")

    def __init__(self, spec: GroupSpec, capacity: Sequence[int], reserved: Sequence[int]) -> None:
        self.spec = spec
        self.capacity = capacity
        self.reserved = reserved
        self.held: list[Contract] = []
        self.taken = dict.fromkeys(spec.places, 0)
        self.total = 0

    def offer(self, contract: Contract) -> list[int]:
        """Add ``contract`` and return the applicants the group now turns away (maybe its own)."""
        place = contract.place
        if self.taken[place] < self.capacity[place] and self.total < self.spec.quota_capacity:
            # Everything fits, so the choice keeps everything.
            insort(self.held, contract)
            self.taken[place] += 1
            self.total += 1
            return []
        if not self.spec.has_reserved_seats and (not self.held or contract > self.held[-1]):
            # Without reserved seats a newcomer who stands last loses to every holder.
            return [contract.applicant]
        candidates = [*self.held]
        insort(candidates, contract)
        admitted = choose(candidates, self.capacity, self.reserved, self.spec.quota_capacity)
        self.held = [candidate for candidate, kept in zip(candidates, admitted, strict=True) if kept]
        self.taken = dict.fromkeys(self.spec.places, 0)
        for held in self.held:
            self.taken[held.place] += 1
        self.total = len(self.held)
        return [candidate.applicant for candidate, kept in zip(candidates, admitted, strict=True) if not kept]

    def admits(self, newcomer: Contract) -> bool:
        """Whether the group would admit ``newcomer`` next to everything it holds."""
        position = bisect_left(self.held, newcomer)
        candidates = [*self.held[:position], newcomer, *self.held[position:]]
        return choose(candidates, self.capacity, self.reserved, self.spec.quota_capacity)[position]


@dataclass(slots=True)
class Market:
    """An instance compiled to integer arrays, ready for deferred acceptance."""

    choices: list[list[int]]
    """Each applicant's eligible places, best first (empty for withdrawn applicants)."""
    choice_keys: list[list[int] | None]
    """Per-choice keys of applicants whose standing differs between their choices, else None."""
    applicant_key: list[int]
    """Key of each applicant's overall score."""
    place_keys: dict[tuple[int, int], int]
    """Keys of (applicant, place) pairs with a place score different from the overall score."""
    priority: list[bool]
    key_owner: list[int]
    key_entry: list[int]
    entry_score: list[float]
    kept_key_count: int
    """Keys below this are seats kept from an earlier round (re-allocation)."""
    capacity: list[int]
    reserved: list[int]
    quota_of_place: list[int]
    quota_capacity: list[int]
    group_of_place: list[int]
    """Group deciding each place, or NO_PLACE for a plain place."""
    groups: list[GroupSpec]
    active: list[bool]
    """False for withdrawn applicants, who take no part."""
    common_ranking: bool
    """Every place ranks applicants the same way: all places plain, one standing per applicant."""

    def key_at(self, applicant: int, place: int) -> int:
        """Key of ``applicant``'s standing at ``place``."""
        return self.place_keys.get((applicant, place), self.applicant_key[applicant])

    def score_of_key(self, key: int) -> float:
        """The score behind a key: what an explanation shows."""
        return self.entry_score[self.key_entry[key]]

    def is_kept(self, key: float) -> bool:
        """Whether a key belongs to a seat kept from an earlier round."""
        return key < self.kept_key_count


def build_market(
    instance: AllocationInstance,
    *,
    capacity: Sequence[int],
    quota_capacity: Sequence[int],
    withdrawn: frozenset[int] = frozenset(),
    kept: Mapping[int, int] | None = None,
) -> Market:
    """Compile ``instance``: eligible choices, standings as keys, and the groups of linked places.

    ``kept`` maps applicants to the place they keep in a re-allocation: their list is cut after that
    place, and their application there stands above every other, so it can never be turned away.
    """
    kept = kept or {}
    applicants = instance.applicants
    # Shares the instance's lists: nothing below mutates a choice list, it only replaces some.
    choices = list(instance.index.preference_positions)
    for position in instance.index.with_ineligible:
        choices[position] = _eligible_places(instance, position)
    for position in withdrawn:
        choices[position] = []
    for applicant, place in kept.items():
        own = choices[applicant]
        choices[applicant] = [*own[: own.index(place)], place] if place in own else [*own, place]

    entry_owner, entry_score, kept_entries, place_entries = _standing_entries(instance, kept)
    entry_key, key_entry, key_owner = _rank_entries(instance, entry_owner, entry_score, len(kept))
    place_keys = {pair: entry_key[entry] for pair, entry in place_entries.items()}
    kept_keys = {applicant: entry_key[entry] for applicant, entry in kept_entries.items()}
    applicant_key = entry_key[: len(applicants)]
    choice_keys: list[list[int] | None] = [None] * len(applicants)
    for applicant in {pair[0] for pair in place_keys} | set(kept_keys):
        own = choices[applicant]
        keys = [place_keys.get((applicant, place), applicant_key[applicant]) for place in own]
        if applicant in kept_keys:
            keys[-1] = kept_keys[applicant]
        choice_keys[applicant] = keys

    quota_of_place = [
        NO_PLACE if place.quota is None else instance.index.quota_position[place.quota]
        for place in instance.places
    ]
    reserved = [place.reserved for place in instance.places]
    group_of_place, groups = _group_places(capacity, reserved, quota_of_place, quota_capacity)
    return Market(
        choices=choices,
        choice_keys=choice_keys,
        applicant_key=applicant_key,
        place_keys=place_keys,
        priority=instance.index.priorities,
        key_owner=key_owner,
        key_entry=key_entry,
        entry_score=entry_score,
        kept_key_count=len(kept),
        capacity=list(capacity),
        reserved=reserved,
        quota_of_place=quota_of_place,
        quota_capacity=list(quota_capacity),
        group_of_place=group_of_place,
        groups=groups,
        active=_active(len(applicants), withdrawn),
        common_ranking=not groups and not place_keys and not kept,
    )


def _active(applicant_count: int, withdrawn: frozenset[int]) -> list[bool]:
    active = [True] * applicant_count
    for position in withdrawn:
        active[position] = False
    return active


def _eligible_places(instance: AllocationInstance, applicant_position: int) -> list[int]:
    applicant = instance.applicants[applicant_position]
    positions = instance.index.preference_positions[applicant_position]
    return [
        place
        for place, place_id in zip(positions, applicant.preferences, strict=True)
        if place_id not in applicant.ineligible
    ]


def _standing_entries(
    instance: AllocationInstance, kept: Mapping[int, int]
) -> tuple[list[int], list[float], dict[int, int], dict[tuple[int, int], int]]:
    """Every distinct standing to rank: one per applicant, per differing place score, per kept seat.

    Entries 0..n-1 are the applicants' overall scores. An applicant's place score equal to another of
    its scores shares that entry, so the tie between its own applications falls to its preference.
    """
    applicants = instance.applicants
    place_position = instance.index.place_position
    entry_owner = list(range(len(applicants)))
    entry_score = list(instance.index.scores)
    place_entries: dict[tuple[int, int], int] = {}
    for owner in instance.index.with_place_scores:
        applicant = applicants[owner]
        entry_of_score = {applicant.score: owner}
        for place_id, score in applicant.place_scores.items():
            if score not in entry_of_score:
                entry_of_score[score] = len(entry_owner)
                entry_owner.append(owner)
                entry_score.append(score)
            if entry_of_score[score] != owner:
                place_entries[(owner, place_position[place_id])] = entry_of_score[score]
    kept_entries: dict[int, int] = {}
    for owner, place in kept.items():
        kept_entries[owner] = len(entry_owner)
        entry_owner.append(owner)
        entry_score.append(applicants[owner].score_at(instance.places[place].id))
    return entry_owner, entry_score, kept_entries, place_entries


def _rank_entries(
    instance: AllocationInstance, entry_owner: list[int], entry_score: list[float], kept_count: int
) -> tuple[list[int], list[int], list[int]]:
    """Rank entries: kept seats first, then by score (high first), then by lottery number.

    Lottery numbers come from ``random.Random(tie_break_seed).random()``, drawn in the order applicants
    appear in the instance: Python guarantees that sequence for a given seed, so a re-run, even on
    another Python version, breaks ties identically. One number per applicant (not per application)
    means a tie is settled the same way at every place.
    """
    draw = random.Random(instance.tie_break_seed).random
    lottery = np.fromiter(
        (draw() for _ in instance.applicants), dtype=np.float64, count=len(instance.applicants)
    )
    owners = np.array(entry_owner, dtype=np.int64)
    is_kept = np.zeros(len(entry_owner), dtype=bool)
    is_kept[len(entry_owner) - kept_count :] = True
    # lexsort's last key is the primary one.
    order = np.lexsort((lottery[owners], -np.array(entry_score, dtype=np.float64), ~is_kept))
    entry_key = np.empty(len(order), dtype=np.int64)
    entry_key[order] = np.arange(len(order))
    return entry_key.tolist(), order.tolist(), owners[order].tolist()


def _group_places(
    capacity: Sequence[int],
    reserved: Sequence[int],
    quota_of_place: Sequence[int],
    quota_capacity: Sequence[int],
) -> tuple[list[int], list[GroupSpec]]:
    """Group the places that must be decided together; the rest stay plain."""
    places_of_quota: list[list[int]] = [[] for _ in quota_capacity]
    for place, quota in enumerate(quota_of_place):
        if quota != NO_PLACE:
            places_of_quota[quota].append(place)
    group_of_place = [NO_PLACE] * len(capacity)
    groups: list[GroupSpec] = []
    for quota, places in enumerate(places_of_quota):
        # A quota at least as large as its places' seats can never bind: leave those places plain.
        if sum(capacity[place] for place in places) > quota_capacity[quota]:
            for place in places:
                group_of_place[place] = len(groups)
            has_reserved = any(reserved[place] for place in places)
            groups.append(GroupSpec(tuple(places), quota_capacity[quota], has_reserved))
    for place, seats in enumerate(reserved):
        if seats and group_of_place[place] == NO_PLACE:
            group_of_place[place] = len(groups)
            groups.append(GroupSpec((place,), UNLIMITED, True))
    return group_of_place, groups


@dataclass(frozen=True, slots=True)
class Threshold:
    """What a newcomer would need to enter a place, everyone else staying where they are.

    ``open``: a seat is free for them. Otherwise ``to_outrank`` is the lowest-standing holder they
    would have to outrank, or None when no standing would be enough.
    """

    open: bool
    to_outrank: Contract | None


@dataclass(slots=True)
class Outcome:
    """The matching deferred acceptance ended with, and the holders each place ended with."""

    market: Market
    assignment: list[int]
    choice_index: list[int]
    """Position of each applicant's place in its choices; len(choices) when unassigned."""
    plain_heaps: list[list[int]]
    group_states: list[GroupState]

    def threshold(self, place: int, priority: bool) -> Threshold:
        """The :class:`Threshold` of ``place`` for a newcomer who is, or is not, a priority applicant."""
        market = self.market
        group = market.group_of_place[place]
        if group == NO_PLACE:
            heap = self.plain_heaps[place]
            if market.capacity[place] == 0:
                return Threshold(open=False, to_outrank=None)
            if len(heap) < market.capacity[place]:
                return Threshold(open=True, to_outrank=None)
            worst = -heap[0]
            owner = market.key_owner[worst]
            holder = Contract(worst, 0, owner, place, market.priority[owner], market.is_kept(worst))
            return Threshold(open=False, to_outrank=holder)
        return _group_threshold(self.group_states[group], place, priority, len(market.key_owner))

    def holder_keys(self, place: int) -> list[int]:
        """Keys of the applicants holding a seat at ``place``."""
        group = self.market.group_of_place[place]
        if group == NO_PLACE:
            return [-negated for negated in self.plain_heaps[place]]
        return [int(c.key) for c in self.group_states[group].held if c.place == place]


def _group_threshold(state: GroupState, place: int, priority: bool, worst_key: int) -> Threshold:
    # Admission only gets easier with a better standing, so binary-search the holders for the
    # lowest one a newcomer placed just above would still beat.
    held = state.held

    def admitted_above(position: int) -> bool:
        key = held[position].key - 0.5 if position < len(held) else worst_key
        return state.admits(Contract(key, -1, NO_PLACE, place, priority, kept=False))

    if admitted_above(len(held)):
        return Threshold(open=True, to_outrank=None)
    if not admitted_above(0):
        return Threshold(open=False, to_outrank=None)
    low, high = 0, len(held)
    while high - low > 1:
        middle = (low + high) // 2
        if admitted_above(middle):
            low = middle
        else:
            high = middle
    return Threshold(open=False, to_outrank=held[low])


def allocate_seats(market: Market) -> Outcome:
    """The student-optimal stable matching of ``market``, by the quickest exact method."""
    return serial_dictatorship(market) if market.common_ranking else defer_acceptance(market)


def serial_dictatorship(market: Market) -> Outcome:
    """Applicants, best first, each take their best choice with a free seat.

    With one ranking shared by all places (``market.common_ranking``) this is the outcome of deferred
    acceptance: nobody ever displaces a better-ranked applicant, so nobody is ever displaced.
    """
    choices = market.choices
    free_seats = list(market.capacity)
    holders: list[list[int]] = [[] for _ in free_seats]
    next_choice = [0] * len(choices)
    for key, applicant in enumerate(market.key_owner):
        for index, place in enumerate(choices[applicant]):
            if free_seats[place]:
                free_seats[place] -= 1
                holders[place].append(-key)
                next_choice[applicant] = index + 1
                break
    for negated_keys in holders:
        # Appended best first, so reversed they ascend: a valid heap, worst holder first.
        negated_keys.reverse()
    return _collect(market, holders, [], next_choice)


def defer_acceptance(market: Market) -> Outcome:
    """Student-proposing deferred acceptance: applicants propose down their lists, places hold the best.

    The order in which applicants propose does not change the outcome; it is the student-optimal
    stable matching for the places' admission rules.
    """
    choices = market.choices
    choice_keys = market.choice_keys
    applicant_key = market.applicant_key
    key_owner = market.key_owner
    capacity = market.capacity
    priority = market.priority
    kept_key_count = market.kept_key_count
    group_of_place = market.group_of_place
    group_states = [GroupState(spec, capacity, market.reserved) for spec in market.groups]
    worst_key = len(key_owner)
    # Keys at or above a place's bar are turned away on sight: the worst key it holds once full, the
    # worst possible key while it has room (and for grouped places, which decide in their group).
    bar = [
        worst_key if seats > 0 or group != NO_PLACE else -1
        for seats, group in zip(capacity, group_of_place, strict=True)
    ]
    heaps: list[list[int]] = [[] for _ in capacity]
    next_choice = [0] * len(choices)
    waiting = list(range(len(choices) - 1, -1, -1))
    while waiting:
        applicant = waiting.pop()
        index = next_choice[applicant]
        own = choices[applicant]
        keys = choice_keys[applicant]
        key = applicant_key[applicant]
        end = len(own)
        while index < end:
            place = own[index]
            if keys is not None:
                key = keys[index]
            index += 1
            if key >= bar[place]:
                continue
            group = group_of_place[place]
            if group != NO_PLACE:
                contract = Contract(
                    key, index - 1, applicant, place, priority[applicant], kept=key < kept_key_count
                )
                turned_away = group_states[group].offer(contract)
                if applicant in turned_away:
                    waiting.extend(other for other in turned_away if other != applicant)
                    continue
                next_choice[applicant] = index
                waiting.extend(turned_away)
                break
            next_choice[applicant] = index
            heap = heaps[place]
            if len(heap) < capacity[place]:
                heappush(heap, -key)
                if len(heap) == capacity[place]:
                    bar[place] = -heap[0]
                break
            # Full, and this key beats the worst holder: swap them and let the displaced one go on.
            displaced_key = -heapreplace(heap, -key)
            bar[place] = -heap[0]
            applicant = key_owner[displaced_key]
            index = next_choice[applicant]
            own = choices[applicant]
            keys = choice_keys[applicant]
            key = applicant_key[applicant]
            end = len(own)
    return _collect(market, heaps, group_states, next_choice)


def _collect(
    market: Market, heaps: list[list[int]], group_states: list[GroupState], next_choice: list[int]
) -> Outcome:
    assignment = [NO_PLACE] * len(market.choices)
    choice_index = [len(own) for own in market.choices]
    for place, heap in enumerate(heaps):
        for negated_key in heap:
            applicant = market.key_owner[-negated_key]
            assignment[applicant] = place
            choice_index[applicant] = next_choice[applicant] - 1
    for state in group_states:
        for contract in state.held:
            assignment[contract.applicant] = contract.place
            choice_index[contract.applicant] = contract.choice_index
    return Outcome(market, assignment, choice_index, heaps, group_states)
