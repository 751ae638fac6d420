"""Choosing the pairs of a whole call with SciPy's ``linear_sum_assignment``.

With two sides (a call that pairs, say, its European classes with its Latin American ones) the
problem is a maximum-weight bipartite matching, and the rectangular assignment solves it exactly.

Without sides any two classes may pair, which is a matching in a general graph. The stated
heuristic: solve the assignment on the symmetric score matrix, each class assigned a partner or
itself (score 0, "alone"). Its optimum is a maximum-weight *cycle cover*, whose weight is at least
twice the best matching's (a matching is a cover of 2-cycles and fixed points). Two-cycles are pairs
as they are; a longer cycle keeps the best set of alternate edges along it; classes left alone are
then paired greedily by score. When the cover is all 2-cycles (and fixed points) the answer is
optimal, and ``Pairing.optimal`` says so.

A class left alone is worse than a fair partner, so each feasible pair weighs ``PAIR_BONUS`` more
than its score (scores are at most 100): the solver pairs as many classes as it can, and among those
pairings prefers the best total score. Fixed pairs are taken out before solving; forbidden pairs are
infeasible.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

# Below any real score: an infeasible pair is never chosen over leaving both classes alone.
_NEVER = -1e9
PAIR_BONUS = 1000.0


@dataclass(frozen=True)
class Pairing:
    """The chosen pairs (positions, smaller first), the classes left alone, the total score, and
    whether the pairing is proven the best (two-sided calls, or a cover of 2-cycles)."""

    pairs: list[tuple[int, int]]
    alone: list[int]
    total: float
    optimal: bool


def _weights(
    score: NDArray[np.float64], feasible: NDArray[np.bool_], forbidden: Iterable[tuple[int, int]]
) -> NDArray[np.float64]:
    weights = np.where(feasible, score + PAIR_BONUS, _NEVER)
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
        chosen, optimal = _two_sided(sub, [sides[i] for i in free]), True
    else:
        chosen, optimal = _cycle_cover(sub)
    pairs += [(min(free[a], free[b]), max(free[a], free[b])) for a, b in chosen]
    paired = {index for pair in pairs for index in pair}
    total = float(sum(score[a, b] for a, b in pairs))
    return Pairing(
        pairs=sorted(pairs),
        alone=[i for i in range(n) if i not in paired],
        total=round(total, 1),
        optimal=optimal,
    )


def _two_sided(weights: NDArray[np.float64], sides: list[int]) -> list[tuple[int, int]]:
    left = [i for i, side in enumerate(sides) if side == 0]
    right = [i for i, side in enumerate(sides) if side != 0]
    if not left or not right:
        return []
    block = np.maximum(weights[np.ix_(left, right)], 0.0)
    rows, columns = optimize.linear_sum_assignment(block, maximize=True)
    return [(left[r], right[c]) for r, c in zip(rows, columns, strict=True) if weights[left[r], right[c]] > 0]


def _cycle_cover(weights: NDArray[np.float64]) -> tuple[list[tuple[int, int]], bool]:
    n = weights.shape[0]
    if n < 2:
        return [], True
    cover = weights.copy()
    np.fill_diagonal(cover, 0.0)
    _rows, partner = optimize.linear_sum_assignment(cover, maximize=True)
    exact = True
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
        exact = exact and len(cycle) <= 2
        chosen += _alternate(cycle, weights)
    alone = sorted(set(range(n)) - {i for pair in chosen for i in pair})
    chosen += _greedy(alone, weights)
    return chosen, exact


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
