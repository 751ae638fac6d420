"""Every read of discovery: equivalence suggestions, partner recommendations, the index's state."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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


def _similarities(courses: list[Course], query_text: str) -> tuple[dict[int, float], bool, bool]:
    """Text similarity of each course to the query, whether the semantic index answered, and whether
    the lexical index knew any word of the query."""
    index = lexical.Bm25Index()
    for course in courses:
        index.add(course.pk, text.document_terms(course.texts()))
    terms = text.stems(query_text)
    similarity = {int(key): value for key, value in lexical.normalised(index.scores(terms)).items()}
    knows_words = index.knows(terms)
    model = encoder()
    if model is None:
        return similarity, False, knows_words
    rows = list(
        CourseVector.objects.filter(
            course_id__in=[course.pk for course in courses], model=MODEL_NAME
        ).values_list("course_id", "vector")
    )
    if not rows:
        return similarity, False, knows_words
    matrix = np.vstack([dense.from_bytes(bytes(vector)) for _pk, vector in rows])
    query = model.query(query_text)
    for position, score in dense.top_k(matrix, query, min(SHORTLIST, len(rows))):
        course_id = rows[position][0]
        similarity[course_id] = max(similarity.get(course_id, 0.0), score)
    return similarity, True, knows_words


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
    limit: int = 5,
) -> EquivalenceAnswer:
    """The home courses a host course most likely counts as, best first, each with its reasons."""
    courses = list(Course.objects.for_user(user).filter(organisation_id=home_organisation_id))
    notes: list[str] = []
    if not courses:
        return EquivalenceAnswer([], False, [_("The home institution has no courses in its catalogue yet.")])
    query_text = f"{title}. {description}".strip()
    similarity, semantic, knows_words = _similarities(courses, query_text)
    if not semantic:
        notes.append(_("The semantic index is not available: similarity is lexical (shared words)."))
        if not knows_words:
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
    by_code = {course.code: course for course in courses}
    if len(courses) <= SHORTLIST:
        shortlist_ids = {course.pk for course in courses}
    else:
        ranked_ids = sorted(similarity.items(), key=lambda item: -item[1])[:SHORTLIST]
        shortlist_ids = {key for key, _v in ranked_ids}
    shortlist_ids |= {by_code[code].pk for code in memory if code in by_code}
    if isced:
        shortlist_ids |= {course.pk for course in courses if course.isced_code[:3] == isced[:3]}
    by_pk = {course.pk: course for course in courses}
    candidates = [
        CourseFacts(
            key=pk,
            ects=float(by_pk[pk].ects),
            isced=by_pk[pk].isced_code,
            eqf=by_pk[pk].eqf_level,
            language=by_pk[pk].language,
        )
        for pk in sorted(shortlist_ids)
    ]
    ranked = rank_equivalents(
        host=CourseFacts(
            key="host", ects=float(ects) if ects else None, isced=isced, eqf=eqf, language=language
        ),
        candidates=candidates,
        similarity=similarity,
        memory={by_code[code].pk: times for code, times in memory.items() if code in by_code},
        weights=EquivalenceWeights(),
        limit=limit,
    )
    return EquivalenceAnswer(
        suggestions=[
            EquivalentSuggestion(
                course=by_pk[int(suggestion.key)],  # type: ignore[call-overload]
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
