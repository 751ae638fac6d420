"""Blocking pairs of a given assignment, e.g. one a coordinator changed by hand.

Uses the same admission rule (:func:`~accord.algorithms.allocation.engine.choose`) as the allocation,
so an allocation's own result never has one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from accord.algorithms.allocation.engine import NO_PLACE, UNLIMITED, Contract, Market, choose


def blocking_pairs(market: Market, assignment: Sequence[int]) -> list[tuple[int, int, list[int]]]:
    """Every (applicant, place) pair that blocks ``assignment``, as (applicant, place, displaced).

    A pair blocks when the applicant is eligible for the place, ranks it above its assignment, and
    the admission rule (:func:`choose`) of the place's group, applied to the group's holders plus
    this applicant, admits them. Here every quota forms a group, binding or not, because a manual
    assignment may overfill places. ``displaced`` lists the holders who would lose their seat.
    """
    group_of = [
        quota if quota != NO_PLACE else len(market.quota_capacity) + place
        for place, quota in enumerate(market.quota_of_place)
    ]
    held: dict[int, list[Contract]] = {}
    for applicant, place in enumerate(assignment):
        if place != NO_PLACE:
            held.setdefault(group_of[place], []).append(_held_contract(market, applicant, place))
    for contracts in held.values():
        contracts.sort()

    def limit(group: int) -> int:
        return market.quota_capacity[group] if group < len(market.quota_capacity) else UNLIMITED

    chosen = {
        group: {
            c.applicant
            for c, ok in zip(contracts, _choose(market, contracts, limit(group)), strict=True)
            if ok
        }
        for group, contracts in held.items()
    }
    pairs: list[tuple[int, int, list[int]]] = []
    for applicant, own in enumerate(market.choices):
        current = assignment[applicant]
        better = own.index(current) if current in own else len(own)
        for choice, place in enumerate(own[:better]):
            group = group_of[place]
            contracts = held.get(group, [])
            key = market.key_at(applicant, place)
            newcomer = Contract(key, choice, applicant, place, market.priority[applicant], kept=False)
            position = bisect_left(contracts, newcomer)
            candidates = [*contracts[:position], newcomer, *contracts[position:]]
            admitted = _choose(market, candidates, limit(group))
            if admitted[position]:
                holding = chosen.get(group, set())
                displaced = [
                    c.applicant
                    for c, ok in zip(candidates, admitted, strict=True)
                    if not ok and c.applicant in holding and c.applicant != applicant
                ]
                pairs.append((applicant, place, displaced))
    return pairs


def _held_contract(market: Market, applicant: int, place: int) -> Contract:
    own = market.choices[applicant]
    choice = own.index(place) if place in own else len(own)
    key = market.key_at(applicant, place)
    return Contract(key, choice, applicant, place, market.priority[applicant], kept=False)


def _choose(market: Market, contracts: Sequence[Contract], quota_capacity: int) -> list[bool]:
    return choose(contracts, market.capacity, market.reserved, quota_capacity)
