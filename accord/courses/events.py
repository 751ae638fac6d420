"""What happens to course catalogues (see accord.core.events): the discovery index listens, so that
it re-indexes only the courses that changed."""

from dataclasses import dataclass

from accord.core.events import DomainEvent


@dataclass(frozen=True)
class CoursesChanged(DomainEvent):
    """Courses were created, edited or deleted (one edit, or a whole import)."""

    organisation_id: int
    course_ids: tuple[int, ...]
    deleted: bool = False
