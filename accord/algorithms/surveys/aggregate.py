"""Aggregates that never single anyone out.

A result is shown only for a group of at least ``MIN_GROUP`` respondents: below that, a percentage or
a mean lets a coordinator who knows the few people guess who answered what. Five is the smallest
cell size commonly used by national statistics offices and course-evaluation systems for opinion
data; it is one constant so that a stricter institution can raise it in one place.
"""

from collections.abc import Iterable, Mapping, Sequence

MIN_GROUP = 5


def shortfall(respondents: int, minimum: int = MIN_GROUP) -> int:
    """How many more respondents a group needs before its results may be shown (0: enough)."""
    if respondents < 0:
        raise ValueError("a count of respondents cannot be negative")
    return max(0, minimum - respondents)


def in_scale(value: object, points: int) -> bool:
    """Whether ``value`` is one of the points 1..``points`` of a Likert scale (booleans are not)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= points


def distribution(values: Iterable[int], points: int) -> tuple[int, ...]:
    """How many answers chose each point 1..``points``; an answer off the scale is an error, not a
    count, because it means the data were not validated when they were saved."""
    counts = [0] * points
    for value in values:
        if not in_scale(value, points):
            raise ValueError(f"{value!r} is not on a scale of 1 to {points}")
        counts[value - 1] += 1
    return tuple(counts)


def scale_score(answers: Mapping[str, int], items: Sequence[str]) -> float | None:
    """A respondent's score on a scale made of ``items``: the mean of the items they answered, when
    they answered at least half of them (rounded up); else None, since a score from one item of six
    would not measure the same thing as the others' scores."""
    if not items:
        return None
    answered = [answers[item] for item in items if item in answers]
    if len(answered) * 2 < len(items):
        return None
    return sum(answered) / len(answered)
