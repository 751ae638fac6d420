"""What an allocation tells people: cut-off scores, waitlists and plain-language explanations.

Everything here is derived from a finished :class:`~accord.algorithms.allocation.engine.Outcome`,
after the allocation has been timed.
"""

from __future__ import annotations

from typing import NamedTuple

from accord.algorithms.allocation.engine import NO_PLACE, Outcome
from accord.algorithms.allocation.model import AllocationInstance, Applicant


def ordinal(number: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def format_score(score: float) -> str:
    """Two decimals, as scores are usually given, unless that would hide a difference."""
    if round(score, 2) == score:
        return f"{score:.2f}"
    return repr(float(score))


def cutoff(outcome: Outcome, place: int, priority: bool) -> float | None:
    """The score a newcomer (priority applicant or not) had to beat to enter ``place``; None if it had room.

    That is the score of the lowest-standing holder the newcomer would have displaced: at the place
    itself, or anywhere under its quota when the quota is what filled up. When no standing would
    have been enough (e.g. all seats reserved and taken), the lowest score admitted there.
    """
    market = outcome.market
    threshold = outcome.threshold(place, priority)
    if threshold.to_outrank is not None:
        return market.score_of_key(int(threshold.to_outrank.key))
    holders = outcome.holder_keys(place)
    if threshold.open or not holders:
        return None
    return market.score_of_key(max(holders))


def waitlists(instance: AllocationInstance, outcome: Outcome) -> dict[str, list[str]]:
    """For each place, in ranking order: who chose it, was eligible, and ended somewhere they like less."""
    market = outcome.market
    entries: list[list[tuple[int, int]]] = [[] for _ in instance.places]
    for applicant, own in enumerate(market.choices):
        keys = market.choice_keys[applicant]
        key = market.applicant_key[applicant]
        for choice in range(outcome.choice_index[applicant]):
            entries[own[choice]].append((key if keys is None else keys[choice], applicant))
    applicants = instance.applicants
    return {
        place.id: [applicants[applicant].id for _, applicant in sorted(waiting)]
        for place, waiting in zip(instance.places, entries, strict=True)
    }


class _Verdict(NamedTuple):
    """Why a place turned newcomers of one kind away; ``needed`` is None when no score would have done."""

    text: str
    needed: float | None
    lowest_holder: int


class Explainer:
    """Writes each applicant's explanation, judging each place once per kind of applicant."""

    def __init__(self, instance: AllocationInstance, outcome: Outcome) -> None:
        self._instance = instance
        self._outcome = outcome
        self._verdicts: dict[tuple[int, bool], _Verdict] = {}

    def explain(self, applicant_position: int) -> str:
        """The plain-language explanation of one applicant's result."""
        applicant = self._instance.applicants[applicant_position]
        place = self._outcome.assignment[applicant_position]
        preferences = applicant.preferences
        if place == NO_PLACE:
            if not preferences:
                return "Not assigned: you did not choose any place."
            reasons = self._reasons(applicant_position, applicant, preferences)
            return " ".join(["Not assigned: no place you chose could take you.", *reasons])
        assigned = self._instance.places[place]
        if assigned.id not in preferences:
            # Only a re-allocation keeping a coordinator's manual assignment can end here.
            reasons = self._reasons(applicant_position, applicant, preferences)
            return " ".join([f"Assigned to {assigned.label}, which was not among your choices.", *reasons])
        rank = preferences.index(assigned.id)
        reasons = self._reasons(applicant_position, applicant, preferences[:rank])
        return " ".join([f"Assigned to your {ordinal(rank + 1)} choice {assigned.label}.", *reasons])

    def _reasons(self, position: int, applicant: Applicant, place_ids: tuple[str, ...]) -> list[str]:
        place_position = self._instance.index.place_position
        return [
            f"Your {ordinal(rank + 1)} choice {self._instance.places[place_position[place_id]].label} "
            f"{self._reason(position, applicant, place_position[place_id])}."
            for rank, place_id in enumerate(place_ids)
        ]

    def _reason(self, position: int, applicant: Applicant, place: int) -> str:
        place_id = self._instance.places[place].id
        if place_id in applicant.ineligible:
            return f"was not open to you: {applicant.ineligible[place_id]}"
        verdict = self._verdict(place, applicant.priority)
        if verdict.needed is None:
            return verdict.text
        score = applicant.score_at(place_id)
        lost_draw = score == verdict.needed and verdict.lowest_holder != position
        tie = ", a tie the lottery decided against you" if lost_draw else ""
        return f"{verdict.text}; your score there was {format_score(score)}{tie}"

    def _verdict(self, place: int, priority: bool) -> _Verdict:
        cache_key = (place, priority)
        verdict = self._verdicts.get(cache_key)
        if verdict is None:
            verdict = self._verdicts[cache_key] = self._judge(place, priority)
        return verdict

    def _judge(self, place: int, priority: bool) -> _Verdict:
        market = self._outcome.market
        lowest = self._outcome.threshold(place, priority).to_outrank
        if lowest is None:
            return _Verdict(self._no_seat(place, priority), None, NO_PLACE)
        if lowest.kept:
            return _Verdict(
                "stayed full: seats given in the earlier round are kept in a re-allocation", None, NO_PLACE
            )
        needed = market.score_of_key(int(lowest.key))
        if lowest.place == place:
            text = f"filled with applicants scoring {format_score(needed)} or more"
        else:
            quota = self._instance.quotas[market.quota_of_place[place]]
            text = (
                f"shares the quota {quota.label} with other places, and that quota filled with "
                f"applicants scoring {format_score(needed)} or more"
            )
        if self._instance.places[place].reserved and not priority:
            text += f" ({self._reserved_share(place)} reserved for priority applicants)"
        return _Verdict(text, needed, lowest.applicant)

    def _no_seat(self, place: int, priority: bool) -> str:
        market = self._outcome.market
        place_info = self._instance.places[place]
        quota = market.quota_of_place[place]
        if market.capacity[place] == 0:
            return "has no seats in this round"
        if quota != NO_PLACE and market.quota_capacity[quota] == 0:
            return f"has no seats in this round: its quota {self._instance.quotas[quota].label} is 0"
        if place_info.reserved and not priority:
            return f"had no seat open to you: {self._reserved_share(place)} reserved for priority applicants"
        return "had no seat open to you"

    def _reserved_share(self, place: int) -> str:
        reserved = self._instance.places[place].reserved
        verb = "is" if reserved == 1 else "are"
        return f"{reserved} of its {self._outcome.market.capacity[place]} seats {verb}"
