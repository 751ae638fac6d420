"""Choosing the pairs of a whole call with SciPy's ``linear_sum_assignment``.

With two sides (a call that pairs, say, its European classes with its Latin American ones) the
problem is a maximum-weight bipartite matching, and the rectangular assignment solves it exactly.

Without sides any two classes may pair, which is a matching in a general graph. The stated
heuristic: solve the assignment on the symmetric score matrix, each class assigned a partner or
itself (score 0, "alone"). Its optimum is a maximum-weight *cycle cover*, whose weight is at least
twice the best matching's (a matching is a cover of 2-cycles and fixed points), so half of it is
an upper bound we report. Two-cycles are pairs as they are; a longer cycle keeps the best set of
alternate edges along it; classes left alone are then paired greedily by score. On calls where the
cover is all 2-cycles, the answer is optimal.

Fixed pairs are taken out before solving; forbidden pairs are infeasible.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

# Below any real score: an infeasible pair is never chosen over leaving both classes alone.
_NEVER = -1e9


@dataclass(frozen=True)
class Pairing:
    """The chosen pairs (positions, smaller first), the classes left alone, the total score and an
    upper bound of the best total (equal to it for two-sided calls)."""

    pairs: list[tuple[int, int]]
    alone: list[int]
    total: float
    bound: float


def _weights(
    score: NDArray[np.float64], feasible: NDArray[np.bool_], forbidden: Iterable[tuple[int, int]]
) -> NDArray[np.float64]:
    weights = np.where(feasible, score, _NEVER)
    for a, b in forbidden:
        weights[a, b] = weights[b, a] = _NEVER
    return np.asarray(weights, dtype=np.float64)


def pair_call(
    score: NDArray[np.float64],
    feasible: NDArray[np.bool_],
    *,
    fixed: Sequence[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    sides: Sequence[int] | None = None,
) -> Pairing:
    """Pairs maximising the total score among feasible, non-forbidden pairs, the ``fixed`` ones kept."""
    n = score.shape[0]
    weights = _weights(score, feasible, forbidden)
    taken = {index for pair in fixed for index in pair}
    free = [i for i in range(n) if i not in taken]
    pairs = [(min(a, b), max(a, b)) for a, b in fixed]
    sub = weights[np.ix_(free, free)]
    if sides is not None:
        chosen, bound = _two_sided(sub, [sides[i] for i in free])
    else:
        chosen, bound = _cycle_cover(sub)
    pairs += [(min(free[a], free[b]), max(free[a], free[b])) for a, b in chosen]
    paired = {index for pair in pairs for index in pair}
    fixed_total = float(sum(score[a, b] for a, b in fixed))
    total = fixed_total + float(sum(sub[a, b] for a, b in chosen))
    return Pairing(
        pairs=sorted(pairs),
        alone=[i for i in range(n) if i not in paired],
        total=round(total, 1),
        bound=round(fixed_total + bound, 1),
    )


def _two_sided(weights: NDArray[np.float64], sides: list[int]) -> tuple[list[tuple[int, int]], float]:
    left = [i for i, side in enumerate(sides) if side == 0]
    right = [i for i, side in enumerate(sides) if side != 0]
    if not left or not right:
        return [], 0.0
    block = np.maximum(weights[np.ix_(left, right)], 0.0)
    rows, columns = linear_sum_assignment(block, maximize=True)
    chosen = [(left[r], right[c]) for r, c in zip(rows, columns, strict=True) if weights[left[r], right[c]] > 0]
    return chosen, float(sum(weights[a, b] for a, b in chosen))


def _cycle_cover(weights: NDArray[np.float64]) -> tuple[list[tuple[int, int]], float]:
    n = weights.shape[0]
    if n < 2:
        return [], 0.0
    cover = weights.copy()
    np.fill_diagonal(cover, 0.0)
    _rows, partner = linear_sum_assignment(cover, maximize=True)
    bound = float(cover[np.arange(n), partner].sum()) / 2
    chosen: list[tuple[int, int]] = []
    seen: set[int] = set()
    for start in range(n):
        if start in seen:
            continue
        cycle = [start]
        seen.add(start)
        while int(partner[cycle[-1]]) != start:
            cycle.append(int(partner[cycle[-1]]))
            seen.add(cycle[-1])
        chosen += _alternate(cycle, weights)
    alone = sorted(set(range(n)) - {i for pair in chosen for i in pair})
    chosen += _greedy(alone, weights)
    return chosen, bound


def _alternate(cycle: list[int], weights: NDArray[np.float64]) -> list[tuple[int, int]]:
    """The best set of alternate edges along ``cycle`` (every rotation tried: it matters when odd)."""
    k = len(cycle)
    if k < 2:
        return []
    best: list[tuple[int, int]] = []
    best_total = 0.0
    for shift in range(k if k % 2 else 2):
        edges = [(cycle[(shift + 2 * m) % k], cycle[(shift + 2 * m + 1) % k]) for m in range(k // 2)]
        edges = [(a, b) for a, b in edges if weights[a, b] > 0]
        total = sum(weights[a, b] for a, b in edges)
        if total > best_total:
            best, best_total = edges, total
    return best


def _greedy(alone: list[int], weights: NDArray[np.float64]) -> list[tuple[int, int]]:
    candidates = sorted(
        ((weights[a, b], a, b) for i, a in enumerate(alone) for b in alone[i + 1 :] if weights[a, b] > 0),
        reverse=True,
    )
    used: set[int] = set()
    chosen = []
    for _weight, a, b in candidates:
        if a not in used and b not in used:
            chosen.append((a, b))
            used |= {a, b}
    return chosen
