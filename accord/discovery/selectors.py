"""Every read of discovery: equivalence suggestions, partner recommendations, the index's state."""

import heapq
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.algorithms.discovery import dense, lexical, text
from accord.algorithms.discovery.equivalence import (
    CourseFacts,
    EquivalenceWeights,
    Reason,
    rank_equivalents,
)
from accord.courses.models import Course
from accord.discovery.catalogue_index import catalogue_index, dense_scores
from accord.discovery.embedding import MODEL_NAME, encoder
from accord.discovery.memory import recognitions
from accord.discovery.models import CourseVector

# How many text matches go on to the full ranking (with credits, field, level and memory).
SHORTLIST = 200


@dataclass
class EquivalentSuggestion:
    course: Course
    score: float
    reasons: list[str]


@dataclass
class EquivalenceAnswer:
    suggestions: list[EquivalentSuggestion]
    semantic: bool
    notes: list[str] = field(default_factory=list)


def _number(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float | Decimal) else str(value)


def reason_sentence(reason: Reason) -> str:
    detail: dict[str, Any] = {key: _number(value) for key, value in reason.detail.items()}
    if reason.kind == "approved_before":
        times = int(reason.value)
        return ngettext(
            "Recognised for this course once before.",
            "Recognised for this course %(times)s times before.",
            times,
        ) % {"times": times}
    if reason.kind == "similar_text":
        return _("Similar content (%(percent)s%%).") % {"percent": round(reason.value * 100)}
    if reason.kind == "credits":
        return _("Credits: %(host)s ECTS here, %(home)s at home.") % {
            "host": detail["host"],
            "home": detail["home"],
        }
    if reason.kind == "field":
        return _("Field of education: %(host)s and %(home)s.") % {
            "host": detail["host"],
            "home": detail["home"],
        }
    if reason.kind == "level":
        return _("EQF level %(host)s and %(home)s.") % {"host": detail["host"], "home": detail["home"]}
    return _("Taught in the same language (%(language)s).") % {"language": detail["language"]}


def _query_vector(text_of_query: str, host_course_id: int | None) -> np.ndarray | None:
    """The host course's stored vector when it is indexed (no model run in the request), else the
    query's embedding, else None (no semantic index)."""
    if host_course_id is not None:
        stored = CourseVector.objects.filter(course_id=host_course_id, model=MODEL_NAME).values_list(
            "vector", flat=True
        )
        for blob in stored:
            return dense.from_bytes(bytes(blob))
    model = encoder()
    return model.query(text_of_query) if model is not None else None


def suggest_equivalents(
    *,
    user,
    home_organisation_id: int,
    title: str,
    description: str = "",
    ects: Decimal | float | None = None,
    isced: str = "",
    eqf: int | None = None,
    language: str = "",
    host_organisation_id: int | None = None,
    host_code: str = "",
    host_course_id: int | None = None,
    limit: int = 5,
) -> EquivalenceAnswer:
    """The home courses a host course most likely counts as, best first, each with its reasons.

    Catalogues are public to signed-in users (``courses.querysets``), so ``user`` only has to be one."""
    if not (user.is_authenticated and user.is_active):
        return EquivalenceAnswer([], False, [])
    index = catalogue_index(home_organisation_id)
    if not len(index):
        return EquivalenceAnswer([], False, [_("The home institution has no courses in its catalogue yet.")])
    notes: list[str] = []
    query_text = f"{title}. {description}".strip()
    terms = text.stems(query_text)
    similarity: dict[Hashable, float] = dict(lexical.normalised(index.lexical.scores(terms)))
    query = _query_vector(query_text, host_course_id) if index.matrix is not None else None
    semantic = query is not None
    if query is not None:
        for course_id, score in dense_scores(index, query, SHORTLIST).items():
            similarity[course_id] = max(similarity.get(course_id, 0.0), score)
    else:
        notes.append(_("The semantic index is not available: similarity is lexical (shared words)."))
        if not index.lexical.knows(terms):
            notes.append(
                _(
                    "No word of this text appears in the home catalogue (another language or script?): "
                    "suggestions rest on credits, field and level only."
                )
            )
    if not description.strip():
        notes.append(_("Without a description, suggestions rest on the title alone."))
    memory = recognitions(
        home_organisation_id=home_organisation_id,
        host_organisation_id=host_organisation_id,
        host_code=host_code,
        host_title=title,
    )
    remembered: dict[Hashable, int] = {
        index.ids_by_code[code]: times for code, times in memory.items() if code in index.ids_by_code
    }
    shortlist: set[int] = set(index.facts) | {cast(int, key) for key in remembered}
    if len(index) > SHORTLIST:
        best = heapq.nlargest(SHORTLIST, similarity.items(), key=lambda item: item[1])
        shortlist = {cast(int, key) for key, _value in best} | {cast(int, key) for key in remembered}
    ranked = rank_equivalents(
        host=CourseFacts(
            key="host", ects=float(ects) if ects else None, isced=isced, eqf=eqf, language=language
        ),
        candidates=[index.facts[pk] for pk in sorted(shortlist)],
        similarity=similarity,
        memory=remembered,
        weights=EquivalenceWeights(),
        limit=limit,
    )
    courses = Course.objects.in_bulk([int(s.key) for s in ranked])  # type: ignore[call-overload]
    return EquivalenceAnswer(
        suggestions=[
            EquivalentSuggestion(
                course=courses[int(suggestion.key)],  # type: ignore[call-overload]
                score=suggestion.score,
                reasons=[reason_sentence(reason) for reason in suggestion.reasons],
            )
            for suggestion in ranked
        ],
        semantic=semantic,
        notes=notes,
    )


def index_state(*, organisation_id: int | None = None) -> dict[str, int]:
    courses = Course.objects.all()
    vectors = CourseVector.objects.filter(model=MODEL_NAME)
    if organisation_id:
        courses = courses.filter(organisation_id=organisation_id)
        vectors = vectors.filter(organisation_id=organisation_id)
    return {"courses": courses.count(), "indexed": vectors.count()}
