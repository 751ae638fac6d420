"""One institution's catalogue ready to search, kept in the process between requests.

Building the lexical index and loading the vectors of a large catalogue takes far longer than a
search, so the built index is kept (for the ``CACHE_SIZE`` catalogues used last) under a *stamp*: the
catalogue's ``CatalogueRevision``, which every edit, import, deletion and re-indexing moves on in its
own transaction, read with one primary-key query per request; the next search after a change
rebuilds.
Writes made in this process also move a local ``generation`` (through ``CoursesChanged`` and the
indexer), so that a write whose timestamps tie with the cached ones (a frozen clock in tests, a
transaction rolled back and redone) still invalidates.
"""

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db.models import F

from accord.algorithms.discovery import dense, lexical, text
from accord.algorithms.discovery.equivalence import CourseFacts
from accord.courses.models import Course, course_texts
from accord.discovery.embedding import MODEL_NAME
from accord.discovery.models import CatalogueRevision, CourseVector

CACHE_SIZE = 8


@dataclass
class CatalogueIndex:
    stamp: tuple
    facts: dict[int, CourseFacts]
    ids_by_code: dict[str, int]
    lexical: lexical.Bm25Index
    vector_ids: list[int]
    matrix: np.ndarray | None

    def __len__(self) -> int:
        return len(self.facts)


_CACHE: "OrderedDict[int, CatalogueIndex]" = OrderedDict()
_generation = [0]


def invalidate() -> None:
    _generation[0] += 1


def invalidate_catalogue(organisation_id: int) -> None:
    """Move the catalogue's revision on (inside the caller's transaction) and this process's generation."""
    updated = CatalogueRevision.objects.filter(organisation_id=organisation_id).update(
        revision=F("revision") + 1
    )
    if not updated:
        CatalogueRevision.objects.get_or_create(organisation_id=organisation_id, defaults={"revision": 1})
    invalidate()


def _stamp(organisation_id: int) -> tuple:
    revision = CatalogueRevision.objects.filter(organisation_id=organisation_id).values_list(
        "revision", flat=True
    )
    return (_generation[0], next(iter(revision), 0))


def _build(organisation_id: int, stamp: tuple) -> CatalogueIndex:
    facts: dict[int, CourseFacts] = {}
    ids_by_code: dict[str, int] = {}
    index = lexical.Bm25Index()
    rows = Course.objects.filter(organisation_id=organisation_id).order_by("pk")
    for pk, code, title, description, outcomes, translations, ects, isced, eqf, language in rows.values_list(
        "pk",
        "code",
        "title",
        "description",
        "learning_outcomes",
        "translations",
        "ects",
        "isced_code",
        "eqf_level",
        "language",
    ).iterator(chunk_size=5000):
        facts[pk] = CourseFacts(key=pk, ects=float(ects), isced=isced, eqf=eqf, language=language)
        ids_by_code[code] = pk
        index.add(pk, text.document_terms(course_texts(title, description, outcomes, translations)))
    vector_ids: list[int] = []
    blobs: list[bytes] = []
    vectors = CourseVector.objects.filter(organisation_id=organisation_id, model=MODEL_NAME).order_by("pk")
    for course_id, blob in vectors.values_list("course_id", "vector").iterator(chunk_size=5000):
        vector_ids.append(course_id)
        blobs.append(bytes(blob))
    matrix = (
        np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1).astype(np.float32)
        if blobs
        else None
    )
    return CatalogueIndex(stamp, facts, ids_by_code, index, vector_ids, matrix)


def catalogue_index(organisation_id: int) -> CatalogueIndex:
    stamp = _stamp(organisation_id)
    found = _CACHE.get(organisation_id)
    if found is None or found.stamp != stamp:
        found = _build(organisation_id, stamp)
        _CACHE[organisation_id] = found
    _CACHE.move_to_end(organisation_id)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return found


def dense_scores(index: CatalogueIndex, query: np.ndarray, k: int) -> dict[int, float]:
    if index.matrix is None:
        return {}
    return {index.vector_ids[row]: score for row, score in dense.top_k(index.matrix, query, k)}
