"""Nearest neighbours by cosine similarity over unit vectors, brute force in blocks.

Brute force is exact and, at the sizes of one institution's catalogue (thousands) or the directory
(tens of thousands), a matrix product of a few milliseconds; the benchmark measures it against the
PostgreSQL pgvector path.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


def unit_rows(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = (matrix / norms).astype(np.float32)
    return result


def top_k(matrix: Matrix, query: Matrix, k: int) -> list[tuple[int, float]]:
    """The ``k`` rows of ``matrix`` most similar to ``query`` (both unit length), best first."""
    if matrix.shape[0] == 0 or k <= 0:
        return []
    similarities = matrix @ query.astype(np.float32)
    k = min(k, similarities.shape[0])
    candidates = np.argpartition(-similarities, k - 1)[:k]
    ordered = candidates[np.argsort(-similarities[candidates], kind="stable")]
    return [(int(index), float(similarities[index])) for index in ordered]


def to_bytes(vector: Matrix) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> Matrix:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)
