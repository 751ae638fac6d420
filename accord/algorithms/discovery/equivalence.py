"""Which home courses a host course most likely counts as, and why.

A suggestion's score is a weighted mean of factors between 0 and 1, each kept as a ``Reason`` so that
the page can say what placed it:

* ``similar_text``: how close the texts are (the index's similarity, best match 1);
* ``credits``: 1 for equal ECTS credits, falling with the relative difference;
* ``field``: 1 for the same detailed ISCED-F field, 0.7 for the same narrow, 0.4 for the same broad;
* ``level``: 1 for the same EQF level, 0.5 one level apart;
* ``language``: 1 when both are taught in the same language (weighed lightly: the point of a
  multilingual index is that language does not decide);
* ``approved_before``: the institution recognised this host course for this home course before
  (in learning agreements, transcripts or its own list): this factor is added on top of the mean,
  ``MEMORY_FIRST`` for the first time and ``MEMORY_STEP`` for each further one, so a course the
  institution recognised before comes above any course that only resembles the host course.

A factor whose facts are missing on either side (no credits, no field) counts as 0 and gives no
reason: the suggestion says what it knows, not what it guesses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

MEMORY_FIRST = 1.0
MEMORY_STEP = 0.1
MEMORY_CAP = 1.5


@dataclass(frozen=True)
class CourseFacts:
    key: Hashable
    ects: float | None = None
    isced: str = ""
    eqf: int | None = None
    language: str = ""


@dataclass(frozen=True)
class EquivalenceWeights:
    similar_text: float = 0.6
    credits: float = 0.1
    field: float = 0.15
    level: float = 0.1
    language: float = 0.05


@dataclass(frozen=True)
class Reason:
    kind: str
    value: float
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    key: Hashable
    score: float
    reasons: tuple[Reason, ...]


def field_match(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a[:3] == b[:3] and len(a) >= 3 and len(b) >= 3:
        return 0.7
    if a[:2] == b[:2]:
        return 0.4
    return 0.0


def credits_match(a: float | None, b: float | None) -> float:
    if not a or not b:
        return 0.0
    return max(0.0, 1 - abs(a - b) / max(a, b))


def level_match(a: int | None, b: int | None) -> float:
    if a is None or b is None:
        return 0.0
    return {0: 1.0, 1: 0.5}.get(abs(a - b), 0.0)


def rank_equivalents(
    *,
    host: CourseFacts,
    candidates: Iterable[CourseFacts],
    similarity: Mapping[Hashable, float],
    memory: Mapping[Hashable, int],
    weights: EquivalenceWeights,
    limit: int,
) -> list[Suggestion]:
    """The ``limit`` best home courses among ``candidates``, best first (ties keep the order given);
    a course with nothing in common (score 0) is not suggested.

    ``similarity`` maps a home course's key to its text similarity with the host course (0 to 1;
    absent: 0); ``memory`` maps it to the number of times it was recognised for this host course."""
    total_weight = (
        weights.similar_text + weights.credits + weights.field + weights.level + weights.language
    ) or 1.0
    suggestions = []
    for home in candidates:
        reasons = []
        factors: tuple[tuple[str, float, float, Mapping[str, object]], ...] = (
            ("similar_text", weights.similar_text, max(0.0, min(1.0, similarity.get(home.key, 0.0))), {}),
            (
                "credits",
                weights.credits,
                credits_match(host.ects, home.ects),
                {"host": host.ects, "home": home.ects},
            ),
            (
                "field",
                weights.field,
                field_match(host.isced, home.isced),
                {"host": host.isced, "home": home.isced},
            ),
            ("level", weights.level, level_match(host.eqf, home.eqf), {"host": host.eqf, "home": home.eqf}),
            (
                "language",
                weights.language,
                1.0 if host.language and host.language == home.language else 0.0,
                {"language": home.language},
            ),
        )
        score = 0.0
        for kind, weight, value, detail in factors:
            score += weight * value
            if value > 0:
                reasons.append(Reason(kind, round(value, 3), detail))
        score /= total_weight
        times = memory.get(home.key, 0)
        if times:
            score += min(MEMORY_CAP, MEMORY_FIRST + MEMORY_STEP * (times - 1))
            reasons.insert(0, Reason("approved_before", float(times), {"times": times}))
        if score > 0:
            suggestions.append(Suggestion(home.key, round(score, 4), tuple(reasons)))
    suggestions.sort(key=lambda suggestion: -suggestion.score)
    return suggestions[:limit]
