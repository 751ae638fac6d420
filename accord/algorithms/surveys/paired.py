"""The change between a pre and a post measurement of the same people.

For ``n`` pairs with differences ``d = post - pre``: the mean change, its confidence interval
``mean(d) ± t(1 - α/2, n - 1) · sd(d) / √n`` (Student's t with the sample standard deviation, ``n - 1``
in the denominator), and Cohen's ``d_z = mean(d) / sd(d)``, the standardised mean change of paired
data. Pairing removes the between-person spread, which is why this interval is narrower than
comparing two independent groups' means would give.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from scipy.stats import t as student_t

K = TypeVar("K")


@dataclass(frozen=True)
class PairedChange:
    n: int
    mean_pre: float
    mean_post: float
    mean_change: float
    sd_change: float
    ci_low: float
    ci_high: float
    confidence: float
    # Cohen's d_z; None when every pair changed by the same amount (no spread to standardise by).
    effect_size: float | None


def pairs(pre: Mapping[K, float | None], post: Mapping[K, float | None]) -> list[tuple[float, float]]:
    """The (pre, post) scores of the keys measured both times, in key order of ``pre``."""
    found = []
    for key, before in pre.items():
        after = post.get(key)
        if before is not None and after is not None:
            found.append((before, after))
    return found


def paired_change(pre: Sequence[float], post: Sequence[float], *, confidence: float = 0.95) -> PairedChange:
    """The mean change from ``pre`` to ``post`` (same people, same order) with its confidence
    interval at ``confidence`` and Cohen's d_z; at least two pairs are needed for an interval."""
    if len(pre) != len(post):
        raise ValueError("pre and post must hold the same people")
    n = len(pre)
    if n < 2:
        raise ValueError("at least two pairs are needed for a confidence interval")
    if not 0 < confidence < 1:
        raise ValueError("the confidence level lies between 0 and 1")
    differences = [after - before for before, after in zip(pre, post, strict=True)]
    mean = math.fsum(differences) / n
    variance = math.fsum((d - mean) ** 2 for d in differences) / (n - 1)
    sd = math.sqrt(variance)
    # Spread below rounding noise is no spread: equal changes computed in floating point differ by ~1e-16.
    if sd <= 1e-12 * max(1.0, abs(mean)):
        sd = 0.0
    quantile = float(student_t.ppf(1 - (1 - confidence) / 2, n - 1))
    margin = quantile * sd / math.sqrt(n)
    return PairedChange(
        n=n,
        mean_pre=math.fsum(pre) / n,
        mean_post=math.fsum(post) / n,
        mean_change=mean,
        sd_change=sd,
        ci_low=mean - margin,
        ci_high=mean + margin,
        confidence=confidence,
        effect_size=mean / sd if sd > 0 else None,
    )
