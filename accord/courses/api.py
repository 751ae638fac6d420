"""The course catalogue API: thin over services and selectors. 404 for what does not exist, 403 for a
catalogue the user may not change, 412 for a stale If-Match, 422 for bad input (an import answers
every problem as ``errors``: a list of ``{row, column, message}``, and saves nothing)."""

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.core.errors import ValidationFailed
from accord.courses import selectors, services
from accord.courses.importing import course_import
from accord.courses.querysets import CourseAction
from accord.courses.schemas import CourseImportOut, CourseIn, CourseOut, CoursePatch
from accord.organisations import selectors as directory
from accord.organisations.models import OrganisationalUnit

router = Router(tags=["courses"])


class CourseFilters(Schema):
    organisation_id: int | None = None
    q: str = ""
    isced: str = ""


def _unit(organisation_id: int, unit_id: int | None) -> OrganisationalUnit | None:
    if unit_id is None:
        return None
    unit = OrganisationalUnit.objects.filter(pk=unit_id, organisation_id=organisation_id).first()
    if unit is None:
        raise ValidationFailed({"unit_id": "The organisation has no such unit."})
    return unit


@router.get("/", response=list[CourseOut], summary="Courses of the catalogues")
@paginate(PageNumberPagination, page_size=50)
def list_courses(request: HttpRequest, filters: Query[CourseFilters]):
    return selectors.course_list(user=request.user, **filters.dict())


@router.post("/", response={201: CourseOut}, summary="Add a course to an organisation's catalogue")
def create_course(request: HttpRequest, payload: CourseIn, response: HttpResponse):
    organisation = directory.get_organisation_for_user(user=request.user, pk=payload.organisation_id)
    data = payload.dict(exclude={"organisation_id", "unit_id"})
    services.require_manage(request.user, organisation)
    course = services.course_create(
        actor=request.user, organisation=organisation, unit=_unit(organisation.pk, payload.unit_id), **data
    )
    set_etag(response, course)
    return Status(201, course)


@router.get("/{int:course_id}", response=CourseOut, summary="A course", openapi_extra=READ_DOC)
def get_course(request: HttpRequest, course_id: int, response: HttpResponse):
    course = selectors.get_course_for_user(user=request.user, pk=course_id)
    set_etag(response, course)
    return course


@router.patch("/{int:course_id}", response=CourseOut, summary="Change a course", openapi_extra=WRITE_DOC)
def update_course(
    request: HttpRequest,
    course_id: int,
    payload: CoursePatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    course = selectors.get_course_for_user(user=request.user, pk=course_id, action=CourseAction.MANAGE)
    data = payload.dict(exclude_unset=True)
    if "unit_id" in data:
        data["unit"] = _unit(course.organisation_id, data.pop("unit_id"))
    services.course_update(
        actor=request.user, course=course, expected_version=expected_version(if_match, course), **data
    )
    set_etag(response, course)
    return course


@router.delete("/{int:course_id}", response={204: None}, summary="Remove a course", openapi_extra=WRITE_DOC)
def delete_course(request: HttpRequest, course_id: int, if_match: IfMatch = None):
    course = selectors.get_course_for_user(user=request.user, pk=course_id, action=CourseAction.MANAGE)
    services.course_delete(
        actor=request.user, course=course, expected_version=expected_version(if_match, course)
    )
    return Status(204, None)


@router.post(
    "/import",
    response=CourseImportOut,
    summary="Import a catalogue from CSV or XLSX, all or nothing",
    description="Columns code,title,description,ects,isced,eqf,language (more optional). A refused "
    "file answers 422 with `errors`, a list of `{row, column, message}`, and nothing saved.",
)
def import_courses(request: HttpRequest, organisation_id: int, file: File[UploadedFile]):
    organisation = directory.get_organisation_for_user(user=request.user, pk=organisation_id)
    services.require_manage(request.user, organisation)
    outcome = course_import(actor=request.user, organisation=organisation, data=file.read())
    return {"rows": outcome.rows, "created": outcome.created, "updated": outcome.updated}
