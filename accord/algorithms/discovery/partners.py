"""Partner recommendations: candidates ranked by a weighted mean of explained factors.

Every factor is a number between 0 and 1 that the page shows beside its weight:

* ``subjects``: share of the subject's ISCED-F fields the candidate also has (same narrow field 1,
  same broad field 0.5);
* ``profile``: similarity of the two profiles' texts (mission, offer, seek), from the index;
* ``complementarity``: what one offers against what the other seeks, both ways, from the index;
* ``languages``: share of the subject's languages of instruction the candidate teaches in too;
* ``reciprocity``: whether students could go both ways: the weaker of the two subject overlaps,
  halved when the two share no language of instruction;
* ``network``: 1 for a shared network or consortium, else a third for each partner in common
  (partners of partners);
* ``new_region``: 1 when the candidate's continent has less than a tenth of the subject's partners
  so far (a region under-represented in the portfolio);
* ``south_south``: 1 when both are in the Global South (``GLOBAL_NORTH`` below is the convention).

A candidate that is already a partner is marked, not hidden. ``missing_data`` says what the subject
lacks for a fair ranking, so that the page says it instead of guessing.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FACTORS = (
    "subjects",
    "profile",
    "complementarity",
    "languages",
    "reciprocity",
    "network",
    "new_region",
    "south_south",
)
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "subjects": 3.0,
    "profile": 2.0,
    "complementarity": 2.0,
    "languages": 1.0,
    "reciprocity": 1.0,
    "network": 1.0,
    "new_region": 0.5,
    "south_south": 0.0,
}
# The usual convention of development statistics (high-income OECD members and a few others);
# everything else counts as the Global South for the South–South goal.
EUROPE = "Europe"
GLOBAL_NORTH_OUTSIDE_EUROPE = frozenset({"US", "CA", "AU", "NZ", "JP", "KR", "SG", "IL", "TW", "HK"})
UNDER_REPRESENTED_SHARE = 0.1


@dataclass(frozen=True)
class Profile:
    key: int
    country: str = ""
    continent: str = ""
    fields: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    partners: frozenset[int] = frozenset()
    networks: frozenset[int] = frozenset()
    has_text: bool = False
    # The narrow (3-digit) and broad (2-digit) fields, computed once: ranking reads them per candidate.
    narrow: frozenset[str] = field(init=False, repr=False, compare=False)
    broad: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "narrow", frozenset(code[:3] for code in self.fields if len(code) >= 3))
        object.__setattr__(self, "broad", frozenset(code[:2] for code in self.fields))


@dataclass(frozen=True)
class Recommendation:
    key: int
    score: float
    factors: Mapping[str, float]
    existing_partner: bool
    shared: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def is_global_south(country: str, continent: str) -> bool:
    if not country:
        return False
    return continent != EUROPE and country not in GLOBAL_NORTH_OUTSIDE_EUROPE


def subject_overlap(mine: Profile, theirs: Profile) -> float:
    """Share of ``mine``'s fields that ``theirs`` has in the same narrow (1) or broad (0.5) field."""
    if not mine.fields:
        return 0.0
    total = 0.0
    for code in mine.fields:
        if len(code) >= 3 and code[:3] in theirs.narrow:
            total += 1.0
        elif code[:2] in theirs.broad:
            total += 0.5
    return total / len(mine.fields)


def missing_data(subject: Profile) -> list[str]:
    """What the subject's profile lacks: ``fields``, ``languages``, ``profile_text``."""
    missing = []
    if not subject.fields:
        missing.append("fields")
    if not subject.languages:
        missing.append("languages")
    if not subject.has_text:
        missing.append("profile_text")
    return missing


def recommend(
    *,
    subject: Profile,
    candidates: Sequence[Profile],
    text_similarity: Mapping[int, float],
    complementarity: Mapping[int, float],
    weights: Mapping[str, float],
    partner_continents: Mapping[str, int],
    limit: int,
) -> list[Recommendation]:
    """The ``limit`` best candidates for ``subject``, best first; ties keep the candidates' order.

    ``partner_continents`` counts the subject's current partners per continent."""
    weight = [max(0.0, weights.get(name, 0.0)) for name in FACTORS]
    total_weight = sum(weight) or 1.0
    partners_total = sum(partner_continents.values())
    subject_south = is_global_south(subject.country, subject.continent)
    languages_count = len(subject.languages)
    scored: list[tuple[float, int, tuple[float, ...]]] = []
    for position, candidate in enumerate(candidates):
        if candidate.key == subject.key:
            continue
        to_them = subject_overlap(subject, candidate)
        from_them = subject_overlap(candidate, subject)
        common_languages = len(subject.languages & candidate.languages)
        shared_partners = len((subject.partners & candidate.partners) - {candidate.key, subject.key})
        region_share = (
            partner_continents.get(candidate.continent, 0) / partners_total if partners_total else 0.0
        )
        values = (
            to_them,
            max(0.0, min(1.0, text_similarity.get(candidate.key, 0.0))),
            max(0.0, min(1.0, complementarity.get(candidate.key, 0.0))),
            common_languages / languages_count if languages_count else 0.0,
            min(to_them, from_them) * (1.0 if common_languages else 0.5),
            1.0 if subject.networks & candidate.networks else min(1.0, shared_partners / 3),
            1.0 if candidate.continent and partners_total and region_share < UNDER_REPRESENTED_SHARE else 0.0,
            1.0 if subject_south and is_global_south(candidate.country, candidate.continent) else 0.0,
        )
        score = sum(w * v for w, v in zip(weight, values, strict=True)) / total_weight
        # The position breaks ties in the candidates' order (nlargest keeps the smaller key first).
        scored.append((score, -position, values))
    best = heapq.nlargest(limit, scored)
    ranked = []
    for score, negative_position, chosen in best:
        candidate = candidates[-negative_position]
        ranked.append(
            Recommendation(
                key=candidate.key,
                score=round(score, 4),
                factors={name: round(value, 3) for name, value in zip(FACTORS, chosen, strict=True)},
                existing_partner=candidate.key in subject.partners,
                shared={
                    "languages": tuple(sorted(subject.languages & candidate.languages)),
                    "fields": tuple(sorted(subject.fields & candidate.fields)),
                },
            )
        )
    return ranked
