"""Cosine top-k and the quality measures."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.algorithms.discovery import dense, metrics


def test_top_k_is_best_first_and_round_trips_through_bytes():
    matrix = dense.unit_rows(np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32))
    query = dense.unit_rows(np.array([[1, 0.1]], dtype=np.float32))[0]
    found = dense.top_k(matrix, query, 2)
    assert [index for index, _score in found] == [0, 2]
    assert np.allclose(dense.from_bytes(dense.to_bytes(matrix[2])), matrix[2])
    assert dense.top_k(matrix[:0], query, 3) == []


@given(
    hnp.arrays(np.float32, st.tuples(st.integers(1, 30), st.just(4)), elements=st.floats(-1, 1, width=32)),
    st.integers(1, 40),
)
def test_top_k_agrees_with_sorting_everything(rows, k):
    matrix = dense.unit_rows(rows)
    query = matrix[0]
    found = dense.top_k(matrix, query, k)
    expected = sorted((matrix @ query).tolist(), reverse=True)[: min(k, len(rows))]
    assert np.allclose([score for _index, score in found], expected, atol=1e-5)


def test_recall_and_mrr():
    ranks = [1, 3, None, 6]
    assert metrics.rank_of("b", ["a", "b"]) == 2 and metrics.rank_of("z", ["a"]) is None
    assert metrics.recall_at(1, ranks) == 0.25 and metrics.recall_at(5, ranks) == 0.5
    assert abs(metrics.mean_reciprocal_rank(ranks) - (1 + 1 / 3 + 1 / 6) / 4) < 1e-9
    assert metrics.recall_at(5, []) == 0.0


@given(st.lists(st.one_of(st.none(), st.integers(1, 50)), min_size=1))
def test_recall_grows_with_k_and_bounds_mrr(ranks):
    assert metrics.recall_at(1, ranks) <= metrics.recall_at(5, ranks) <= 1
    assert metrics.recall_at(1, ranks) <= metrics.mean_reciprocal_rank(ranks) <= metrics.recall_at(50, ranks)
