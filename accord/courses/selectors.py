"""Every read of the course catalogues, scoped to the acting user."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accord.core.errors import NotFound, PermissionDenied
from accord.courses.models import Course
from accord.courses.querysets import CourseAction, may_manage_catalogue


def course_list(
    *, user, organisation_id: int | None = None, q: str = "", isced: str = ""
) -> QuerySet[Course]:
    courses = Course.objects.for_user(user).select_related("organisation", "unit")
    if organisation_id:
        courses = courses.filter(organisation_id=organisation_id)
    if q:
        courses = courses.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
    if isced:
        courses = courses.filter(isced_code__startswith=isced)
    return courses.order_by("organisation__name", "code")


def get_course_for_user(*, user, pk: int, action: str = CourseAction.VIEW) -> Course:
    course = (
        Course.objects.for_user(user, CourseAction.VIEW)
        .select_related("organisation", "unit")
        .filter(pk=pk)
        .first()
    )
    if course is None:
        raise NotFound(_("No such course."))
    if action == CourseAction.MANAGE and not may_manage_catalogue(user, course.organisation_id):
        raise PermissionDenied(_("Only the organisation's admins and coordinators may change its catalogue."))
    return course


def courses_of(*, organisation_id: int) -> QuerySet[Course]:
    """An organisation's whole catalogue, for the indexes (catalogues are visible to every user)."""
    return Course.objects.filter(organisation_id=organisation_id)


def may_manage(*, user, organisation_id: int) -> bool:
    return may_manage_catalogue(user, organisation_id)
