"""Okapi BM25 (Robertson and Zaragoza, 2009) over the terms of ``text``.

The index is a dictionary of postings, so a query costs one pass over the postings of its own terms,
not over every document; scores are returned for the documents that share at least one term.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

K1 = 1.2
B = 0.75


@dataclass
class Bm25Index:
    """Documents by key, each a list of terms; ``add`` them all, then ``search``."""

    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    keys: list[Hashable] = field(default_factory=list)

    def add(self, key: Hashable, terms: Sequence[str]) -> None:
        index = len(self.keys)
        self.keys.append(key)
        self.lengths.append(len(terms))
        for term, count in Counter(terms).items():
            self.postings.setdefault(term, []).append((index, count))

    def __len__(self) -> int:
        return len(self.keys)

    def knows(self, terms: Sequence[str]) -> bool:
        return any(term in self.postings for term in terms)

    def scores(self, terms: Sequence[str]) -> dict[Hashable, float]:
        """BM25 score of every document sharing a term with the query."""
        count = len(self.keys)
        if not count:
            return {}
        average = sum(self.lengths) / count or 1.0
        totals: dict[int, float] = {}
        for term in set(terms):
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
            for index, frequency in postings:
                norm = frequency + K1 * (1 - B + B * self.lengths[index] / average)
                totals[index] = totals.get(index, 0.0) + idf * frequency * (K1 + 1) / norm
        return {self.keys[index]: score for index, score in totals.items()}


def normalised(scores: dict[Hashable, float]) -> dict[Hashable, float]:
    """Scores divided by the best, so that the best match is 1 and the factors can be weighed."""
    best = max(scores.values(), default=0.0)
    if best <= 0:
        return {}
    return {key: score / best for key, score in scores.items()}
