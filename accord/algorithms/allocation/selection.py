"""Scoring and eligibility of exchange applicants: what turns an application into an allocation input.

Pure Python; nothing here imports Django. The exchanges app reads applications and places from the
database, describes them with the dataclasses below, and passes the scores and eligibility reasons
to :mod:`accord.algorithms.allocation.allocation`.

The rules
=========

**Grades.** Every grade average is put on one 0-10 line before it is compared: the scale's pass grade
is 0 and its best grade 10, linearly in between, so a student who barely passed in Germany (4.0) and
one who barely passed in Spain (5) stand level. Scales where a lower number is better (Germany,
1.0 best, 4.0 pass) are handled by the same formula, since the best grade is simply below the pass
grade. An average outside the scale's range (from its worst to its best grade) is refused: it is a
typing mistake, not a grade. An average between the worst and the pass grade counts as 0.

**Language.** A CEFR level is worth ``rank / 6 * 10`` points: A1 1.67 … C2 10; no level is worth 0.
At a place whose teaching language is known, the applicant's level *in that language* counts; at a
place without one, their best level counts. This is what makes the score place-specific.

**Score.** The weighted mean of the three criteria, each on 0-10: grade, language, motivation (the
mean of the reviewers' scores, rescaled from the review scale to 0-10; an application nobody
reviewed gets 0 there). A weighted *mean* keeps the score on 0-10 whatever the weights, so weights
say only how much each criterion counts relative to the others. Applicants in a priority group
(e.g. participants with fewer opportunities) then get ``priority_bonus`` points on top. Scores are
rounded to 4 decimals so that equal inputs give exactly equal scores (then the engine's seeded
lottery decides).

**Eligibility.** A choice is ineligible, with a plain-language reason, when the applicant's EQF level
is not one the place (or the call) accepts, their ISCED-F field is not covered (a broad or narrow
code covers every field below it: "04" covers "0413"), their level in the destination's language is
below the minimum (the stricter of the place's and the call's minimum), their normalised grade is
below the call's minimum, or their year of study is below the call's minimum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

__all__ = [
    "CEFR_LEVELS",
    "GRADING_SCALES",
    "ApplicantProfile",
    "CallRules",
    "GradingScale",
    "PlaceRequirements",
    "SelectionError",
    "Weights",
    "cefr_points",
    "eligibility",
    "isced_covers",
    "motivation_points",
    "normalise_grade",
    "place_score",
]

TOP: Final = 10.0
DECIMALS: Final = 4
CEFR_LEVELS: Final = ("A1", "A2", "B1", "B2", "C1", "C2")


class SelectionError(ValueError):
    """An input that cannot be scored; the message says which value and why."""


@dataclass(frozen=True, slots=True)
class GradingScale:
    """A numeric grading scale: ``worst`` and ``best`` bound it, ``pass_grade`` is the lowest pass.

    ``best`` may be below ``worst`` (lower is better, as in Germany); ``pass_grade`` lies between.
    """

    code: str
    label: str
    worst: float
    pass_grade: float
    best: float

    def __post_init__(self) -> None:
        low, high = sorted((self.worst, self.best))
        if self.worst == self.best or not low <= self.pass_grade <= high or self.pass_grade == self.best:
            raise SelectionError(
                f"grading scale {self.code!r}: the pass grade must lie between the worst and the best "
                "grade, and differ from the best"
            )

    def contains(self, grade: float) -> bool:
        low, high = sorted((self.worst, self.best))
        return low <= grade <= high


GRADING_SCALES: Final[Mapping[str, GradingScale]] = MappingProxyType(
    {
        scale.code: scale
        for scale in (
            GradingScale("0-10", "0-10 (pass 5; Spain, Netherlands, …)", 0, 5, 10),
            GradingScale("0-20", "0-20 (pass 10; France, Portugal, Belgium, …)", 0, 10, 20),
            GradingScale("de", "1.0-5.0 (pass 4.0, 1.0 best; Germany, Austria)", 5, 4, 1),
            GradingScale("2-5", "2-5 (pass 3; Poland, Czechia, Russia, …)", 2, 3, 5),
            GradingScale("18-30", "18-30 (pass 18; Italy)", 0, 18, 30),
            GradingScale("1-6", "1-6 (pass 4, 6 best; Switzerland)", 1, 4, 6),
            GradingScale("percent", "0-100 % (pass 50)", 0, 50, 100),
            GradingScale("gpa", "GPA 0-4 (pass 2.0)", 0, 2, 4),
        )
    }
)


def normalise_grade(grade: float, scale: GradingScale | str) -> float:
    """``grade`` on the 0-10 line: the pass grade is 0, the best grade 10, linear in between."""
    if isinstance(scale, str):
        if scale not in GRADING_SCALES:
            raise SelectionError(f"unknown grading scale {scale!r}; known: {', '.join(GRADING_SCALES)}")
        scale = GRADING_SCALES[scale]
    if isinstance(grade, bool) or not isinstance(grade, int | float) or not math.isfinite(grade):
        raise SelectionError(f"the grade average must be a number, got {grade!r}")
    if not scale.contains(grade):
        raise SelectionError(
            f"{grade:g} is outside the {scale.label} scale, which runs from {scale.worst:g} to {scale.best:g}"
        )
    position = (grade - scale.pass_grade) / (scale.best - scale.pass_grade)
    return round(min(1.0, max(0.0, position)) * TOP, DECIMALS)


def cefr_points(level: str | None) -> float:
    """Points for a CEFR level: A1 1.67 … C2 10; none (or an unknown level) 0."""
    rank = _cefr_rank(level)
    return round(rank / len(CEFR_LEVELS) * TOP, DECIMALS)


def _cefr_rank(level: str | None) -> int:
    code = level.strip().upper() if isinstance(level, str) else ""
    return CEFR_LEVELS.index(code) + 1 if code in CEFR_LEVELS else 0


def isced_covers(required: str, code: str) -> bool:
    """Whether the required field ``required`` covers the applicant's field ``code`` ("04" covers "0413")."""
    return bool(required) and code.startswith(required)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each criterion counts; only their ratios matter. ``priority_bonus`` is added points."""

    grade: float = 1.0
    language: float = 1.0
    motivation: float = 1.0
    priority_bonus: float = 0.0

    def __post_init__(self) -> None:
        for name in ("grade", "language", "motivation", "priority_bonus"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise SelectionError(f"the {name} weight must be a number, got {value!r}")
            if value < 0:
                raise SelectionError(f"the {name} weight must not be negative, got {value:g}")
        if self.grade + self.language + self.motivation <= 0:
            raise SelectionError(
                "at least one of the grade, language and motivation weights must be positive"
            )


@dataclass(frozen=True, slots=True)
class ApplicantProfile:
    """What is known of an applicant: ``grade`` is already normalised (0-10), ``motivation`` too (or None)."""

    grade: float
    eqf_level: int | None = None
    isced_code: str = ""
    year_of_study: int | None = None
    languages: Mapping[str, str] = field(default_factory=dict)
    motivation: float | None = None
    priority: bool = False

    def level_in(self, language: str | None) -> str | None:
        """The CEFR level in ``language``, or the best level held when the language is not given."""
        if language:
            return self.languages.get(language)
        return max(self.languages.values(), key=_cefr_rank, default=None)


@dataclass(frozen=True, slots=True)
class PlaceRequirements:
    """What a destination asks: accepted EQF levels and ISCED fields (empty: any), language and level."""

    name: str
    eqf_levels: tuple[int, ...] = ()
    isced_codes: tuple[str, ...] = ()
    language: str = ""
    min_cefr: str = ""


@dataclass(frozen=True, slots=True)
class CallRules:
    """The call's own rules, added to each place's: empty or None means no rule."""

    eqf_levels: tuple[int, ...] = ()
    isced_codes: tuple[str, ...] = ()
    min_cefr: str = ""
    min_grade: float | None = None
    min_year_of_study: int | None = None


def motivation_points(scores: list[float], scale_max: float) -> float | None:
    """The mean of the reviewers' scores on 0-10, or None when nobody reviewed the application."""
    if not scores:
        return None
    if scale_max <= 0:
        raise SelectionError("the review scale must have a positive maximum")
    return round(sum(scores) / len(scores) / scale_max * TOP, DECIMALS)


def place_score(applicant: ApplicantProfile, weights: Weights, language: str | None = None) -> float:
    """The applicant's score at a place taught in ``language`` (None: their best language counts)."""
    total = weights.grade + weights.language + weights.motivation
    weighted = (
        weights.grade * applicant.grade
        + weights.language * cefr_points(applicant.level_in(language))
        + weights.motivation * (applicant.motivation or 0.0)
    )
    bonus = weights.priority_bonus if applicant.priority else 0.0
    return round(weighted / total + bonus, DECIMALS)


def eligibility(applicant: ApplicantProfile, place: PlaceRequirements, rules: CallRules) -> str | None:
    """Why ``applicant`` may not take ``place``, in plain language; None when eligible."""
    eqf_levels = place.eqf_levels or rules.eqf_levels
    if eqf_levels and applicant.eqf_level not in eqf_levels:
        accepted = ", ".join(str(level) for level in sorted(eqf_levels))
        held_eqf = applicant.eqf_level if applicant.eqf_level is not None else "not given"
        return f"{place.name} accepts EQF level {accepted}; yours is {held_eqf}"
    for codes, whose in ((place.isced_codes, place.name), (rules.isced_codes, "the call")):
        if codes and not any(isced_covers(code, applicant.isced_code) for code in codes):
            field_text = applicant.isced_code or "not given"
            return f"{whose} is open to the fields {', '.join(codes)}; yours is {field_text}"
    minimum = max((place.min_cefr, rules.min_cefr), key=_cefr_rank)
    if _cefr_rank(minimum):
        held = applicant.level_in(place.language or None)
        if _cefr_rank(held) < _cefr_rank(minimum):
            in_language = f" in {place.language}" if place.language else ""
            return f"{place.name} requires CEFR {minimum.upper()}{in_language}; you have {held or 'no level'}"
    if rules.min_grade is not None and applicant.grade < rules.min_grade:
        return (
            f"the call requires a grade average of at least {rules.min_grade:g} on the 0-10 scale; "
            f"yours is {applicant.grade:g}"
        )
    if rules.min_year_of_study is not None and (applicant.year_of_study or 0) < rules.min_year_of_study:
        return (
            f"the call is open from year {rules.min_year_of_study} of study; "
            f"you are in year {applicant.year_of_study or 'not given'}"
        )
    return None
