"""Survey statistics: group-size suppression, answer distributions, scale scores and the paired
pre/post change with its confidence interval and effect size (no Django)."""

from accord.algorithms.surveys.aggregate import (
    MIN_GROUP,
    distribution,
    in_scale,
    scale_score,
    shortfall,
)
from accord.algorithms.surveys.paired import PairedChange, paired_change, pairs

__all__ = [
    "MIN_GROUP",
    "PairedChange",
    "distribution",
    "in_scale",
    "paired_change",
    "pairs",
    "scale_score",
    "shortfall",
]
