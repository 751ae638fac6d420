"""Keeping the semantic index of courses up to date, as a background job with progress.

A course's vector is computed from all its texts (every language) and stored with the hash of those
texts; ``index_refresh`` embeds only the courses whose hash changed or that have no vector, so an
edit re-indexes one course and an unchanged catalogue costs one query. Course edits publish
``CoursesChanged``; the handler below only drops the stale vectors (cheap, inside the edit's
transaction), and suggestions use the lexical index for those courses until the next refresh.
"""

import hashlib
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from accord.algorithms.discovery.dense import to_bytes
from accord.core.jobs import JobProgress, job_enqueue, job_handler
from accord.core.models import Job
from accord.courses.events import CoursesChanged
from accord.courses.models import Course
from accord.discovery import catalogue_index
from accord.discovery.embedding import MODEL_NAME, encoder
from accord.discovery.models import CourseVector, ProfileVector
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation

INDEX_JOB = "discovery.index"
BATCH = 16


def text_hash(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()


def forget_changed_courses(event: CoursesChanged) -> None:
    CourseVector.objects.filter(course_id__in=event.course_ids).delete()
    catalogue_index.invalidate_catalogue(event.organisation_id)


def stale_courses(organisation_id: int | None = None) -> list[tuple[Course, str]]:
    courses = Course.objects.select_related("vector").order_by("pk")
    if organisation_id:
        courses = courses.filter(organisation_id=organisation_id)
    stale = []
    for course in courses:
        digest = text_hash(course.texts())
        vector = getattr(course, "vector", None)
        if vector is None or vector.text_hash != digest or vector.model != MODEL_NAME:
            stale.append((course, digest))
    return stale


def profile_text(mission: str, offers: str, seeks: str) -> str:
    return "\n".join(part for part in (mission, offers, seeks) if part.strip())


def _refresh_profiles(model, organisation_id: int | None) -> int:
    """Embed the organisation profiles whose text changed; returns how many."""
    current = dict(ProfileVector.objects.filter(model=MODEL_NAME).values_list("organisation_id", "text_hash"))
    rows = Organisation.objects.exclude(kind=OrganisationKind.NETWORK)
    if organisation_id:
        rows = rows.filter(pk=organisation_id)
    stale = []
    for pk, mission, offers, seeks in rows.values_list("pk", "mission", "offers", "seeks"):
        text = profile_text(mission, offers, seeks)
        if text and current.get(pk) != text_hash([text]):
            stale.append((pk, text))
    for start in range(0, len(stale), BATCH):
        batch = stale[start : start + BATCH]
        vectors = model.passages([text for _pk, text in batch])
        with transaction.atomic():
            for (pk, text), vector in zip(batch, vectors, strict=True):
                ProfileVector.objects.update_or_create(
                    organisation_id=pk,
                    defaults={
                        "model": MODEL_NAME,
                        "text_hash": text_hash([text]),
                        "vector": to_bytes(vector),
                    },
                )
    return len(stale)


def index_refresh(
    *,
    organisation_id: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    with_profiles: bool = True,
) -> dict:
    """Embed the courses (and, ``with_profiles``, the organisation profiles) that changed; returns
    how many of each were indexed."""
    model = encoder()
    if model is None:
        return {"indexed": 0, "profiles": 0, "semantic": False}
    stale = stale_courses(organisation_id)
    total = len(stale)
    report = progress or (lambda done, total, message: None)
    for start in range(0, total, BATCH):
        batch = stale[start : start + BATCH]
        vectors = model.passages([" ".join(course.texts()) for course, _digest in batch])
        with transaction.atomic():
            for (course, digest), vector in zip(batch, vectors, strict=True):
                CourseVector.objects.update_or_create(
                    course=course,
                    defaults={
                        "organisation_id": course.organisation_id,
                        "model": MODEL_NAME,
                        "text_hash": digest,
                        "vector": to_bytes(vector),
                    },
                )
            for organisation_id in {course.organisation_id for course, _digest in batch}:
                catalogue_index.invalidate_catalogue(organisation_id)
        done = start + len(batch)
        report(done, total, _("Indexed %(done)s of %(total)s courses.") % {"done": done, "total": total})
    profiles = _refresh_profiles(model, organisation_id) if with_profiles else 0
    return {"indexed": total, "profiles": profiles, "semantic": True}


@job_handler(INDEX_JOB)
def _run_index(job: Job, progress: JobProgress) -> dict:
    return index_refresh(organisation_id=job.payload.get("organisation_id"), progress=progress.update)


def index_enqueue(*, actor, organisation_id: int | None) -> Job:
    return job_enqueue(
        owner=actor,
        kind=INDEX_JOB,
        label=str(_("Update the course index")),
        payload={"organisation_id": organisation_id},
    )
