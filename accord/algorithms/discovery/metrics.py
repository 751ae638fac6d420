"""Quality of a ranked retrieval against a labelled set: recall@k and mean reciprocal rank."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def rank_of(expected: Hashable, ranking: Sequence[Hashable]) -> int | None:
    """1-based position of ``expected`` in ``ranking``; None when it is not there."""
    for position, key in enumerate(ranking, start=1):
        if key == expected:
            return position
    return None


def recall_at(k: int, ranks: Sequence[int | None]) -> float:
    """Share of queries whose expected answer is in the first ``k``."""
    if not ranks:
        return 0.0
    return sum(1 for rank in ranks if rank is not None and rank <= k) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float:
    if not ranks:
        return 0.0
    return sum(1 / rank for rank in ranks if rank is not None) / len(ranks)
