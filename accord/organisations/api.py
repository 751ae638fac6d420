from typing import Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from accord.core.api_versions import (
    LIST_DOC,
    READ_DOC,
    WRITE_DOC,
    IfMatch,
    conditional_list,
    expected_version,
    set_etag,
)
from accord.core.errors import NotFound, PermissionDenied, PreconditionFailed, ValidationFailed
from accord.core.selectors import get_job_for_user
from accord.organisations import selectors, services
from accord.organisations.models import Organisation
from accord.organisations.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    FactsheetIn,
    FactsheetOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationSummaryOut,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from accord.organisations.tasks import IMPORT_JOB, import_enqueue
from accord.organisations.transfer import Format, Target, may_import
from accord.organisations.transfer.http import (
    contacts_export_response,
    organisations_export_response,
)
from accord.organisations.transfer.reading import size_text

router = Router(tags=["organisations"])


class OrganisationFilters(Schema):
    q: str | None = None
    kind: str | None = None
    country: str | None = None
    field: str | None = None
    language: str | None = None
    network: int | None = None
    ordering: str | None = None


def organisation_out(request: HttpRequest, organisation: Organisation) -> dict:
    private = selectors.can_view_private(user=request.user, organisation=organisation)
    return {
        **{
            field: getattr(organisation, field)
            for field in OrganisationOut.model_fields
            if hasattr(organisation, field)
        },
        "logo_url": organisation.logo.url if organisation.logo else None,
        "languages": sorted(lang.language_code for lang in organisation.languages.all()),
        "fields": sorted(field.isced_code for field in organisation.fields.all()),
        "translations": {t.language_code: t.name for t in organisation.translations.all()},
        "networks": sorted(n.pk for n in organisation.networks.all()),
        "internal_notes": organisation.internal_notes if private else None,
    }


@router.get(
    "/", response=list[OrganisationSummaryOut], summary="Search the directory", openapi_extra=LIST_DOC
)
@conditional_list
@paginate(PageNumberPagination, page_size=50)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):
    queryset, _form = selectors.organisation_list(user=request.user, filters=filters.dict(exclude_none=True))
    return queryset


@router.get(
    "/{int:organisation_id}",
    response=OrganisationOut,
    summary="An organisation's profile",
    openapi_extra=READ_DOC,
)
def get_organisation(request: HttpRequest, organisation_id: int, response: HttpResponse):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    set_etag(response, organisation)
    return organisation_out(request, organisation)


@router.post("/", response={201: OrganisationOut}, summary="Add an organisation (platform staff)")
def create_organisation(request: HttpRequest, payload: OrganisationIn, response: HttpResponse):
    organisation = services.organisation_create(actor=request.user, **payload.dict())
    set_etag(response, organisation)
    return Status(201, organisation_out(request, organisation))


@router.patch(
    "/{int:organisation_id}",
    response=OrganisationOut,
    summary="Edit an organisation's profile",
    openapi_extra=WRITE_DOC,
)
def update_organisation(
    request: HttpRequest,
    organisation_id: int,
    payload: OrganisationPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    updated = services.organisation_update(
        actor=request.user,
        organisation=organisation,
        expected_version=expected_version(if_match, organisation),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, updated)
    return organisation_out(request, updated)


@router.get(
    "/{int:organisation_id}/units",
    response=list[UnitOut],
    summary="Organisational units",
    openapi_extra=LIST_DOC,
)
@conditional_list
def list_units(request: HttpRequest, organisation_id: int):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    return [unit for unit, _depth in selectors.unit_tree(organisation=organisation)]


def _parent(request: HttpRequest, organisation: Organisation, parent_id: int | None):
    if parent_id is None:
        return None
    return selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=parent_id)


def _unit(request: HttpRequest, organisation_id: int, unit_id: int):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    return organisation, selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=unit_id)


@router.post("/{int:organisation_id}/units", response={201: UnitOut}, summary="Add a unit")
def create_unit(request: HttpRequest, organisation_id: int, payload: UnitIn, response: HttpResponse):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    data = payload.dict()
    parent = _parent(request, organisation, data.pop("parent_id"))
    unit = services.unit_create(actor=request.user, organisation=organisation, parent=parent, **data)
    set_etag(response, unit)
    return Status(201, unit)


@router.get(
    "/{int:organisation_id}/units/{int:unit_id}", response=UnitOut, summary="A unit", openapi_extra=READ_DOC
)
def get_unit(request: HttpRequest, organisation_id: int, unit_id: int, response: HttpResponse):
    _organisation, unit = _unit(request, organisation_id, unit_id)
    set_etag(response, unit)
    return unit


@router.patch(
    "/{int:organisation_id}/units/{int:unit_id}",
    response=UnitOut,
    summary="Edit a unit",
    openapi_extra=WRITE_DOC,
)
def update_unit(
    request: HttpRequest,
    organisation_id: int,
    unit_id: int,
    payload: UnitPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    organisation, unit = _unit(request, organisation_id, unit_id)
    data = payload.dict(exclude_unset=True)
    if "parent_id" in data:
        data["parent"] = _parent(request, organisation, data.pop("parent_id"))
    updated = services.unit_update(
        actor=request.user, unit=unit, expected_version=expected_version(if_match, unit), **data
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:organisation_id}/units/{int:unit_id}",
    response={204: None},
    summary="Delete a unit",
    openapi_extra=WRITE_DOC,
)
def delete_unit(request: HttpRequest, organisation_id: int, unit_id: int, if_match: IfMatch = None):
    _organisation, unit = _unit(request, organisation_id, unit_id)
    services.unit_delete(actor=request.user, unit=unit, expected_version=expected_version(if_match, unit))
    return Status(204, None)


@router.get(
    "/{int:organisation_id}/contacts",
    response=list[ContactOut],
    summary="Contacts you may see",
    openapi_extra=LIST_DOC,
)
@conditional_list
def list_contacts(request: HttpRequest, organisation_id: int):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    return list(selectors.contacts_visible(user=request.user, organisation=organisation))


def _contact_data(request: HttpRequest, organisation: Organisation, data: dict) -> dict:
    if "unit_id" in data:
        unit_id = data.pop("unit_id")
        data["unit"] = (
            None
            if unit_id is None
            else selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=unit_id)
        )
    return data


def _contact(request: HttpRequest, organisation_id: int, contact_id: int):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    contact = selectors.get_contact_for_user(user=request.user, organisation=organisation, pk=contact_id)
    return organisation, contact


@router.post("/{int:organisation_id}/contacts", response={201: ContactOut}, summary="Add a contact")
def create_contact(request: HttpRequest, organisation_id: int, payload: ContactIn, response: HttpResponse):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    data = _contact_data(request, organisation, payload.dict())
    contact = services.contact_create(actor=request.user, organisation=organisation, **data)
    set_etag(response, contact)
    return Status(201, contact)


@router.get(
    "/{int:organisation_id}/contacts/{int:contact_id}",
    response=ContactOut,
    summary="A contact you may see",
    openapi_extra=READ_DOC,
)
def get_contact(request: HttpRequest, organisation_id: int, contact_id: int, response: HttpResponse):
    _organisation, contact = _contact(request, organisation_id, contact_id)
    set_etag(response, contact)
    return contact


@router.patch(
    "/{int:organisation_id}/contacts/{int:contact_id}",
    response=ContactOut,
    summary="Edit a contact",
    openapi_extra=WRITE_DOC,
)
def update_contact(
    request: HttpRequest,
    organisation_id: int,
    contact_id: int,
    payload: ContactPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    organisation, contact = _contact(request, organisation_id, contact_id)
    data = _contact_data(request, organisation, payload.dict(exclude_unset=True))
    updated = services.contact_update(
        actor=request.user, contact=contact, expected_version=expected_version(if_match, contact), **data
    )
    set_etag(response, updated)
    return updated


@router.delete(
    "/{int:organisation_id}/contacts/{int:contact_id}",
    response={204: None},
    summary="Delete a contact",
    openapi_extra=WRITE_DOC,
)
def delete_contact(request: HttpRequest, organisation_id: int, contact_id: int, if_match: IfMatch = None):
    _organisation, contact = _contact(request, organisation_id, contact_id)
    services.contact_delete(
        actor=request.user, contact=contact, expected_version=expected_version(if_match, contact)
    )
    return Status(204, None)


@router.get(
    "/{int:organisation_id}/factsheet",
    response=FactsheetOut,
    summary="The factsheet for incoming students",
    description="Public to every signed-in user; 404 when the organisation has not recorded one.",
    openapi_extra=READ_DOC,
)
def get_factsheet(request: HttpRequest, organisation_id: int, response: HttpResponse):
    factsheet = selectors.get_factsheet_for_user(user=request.user, pk=organisation_id)
    set_etag(response, factsheet)
    return factsheet


@router.put(
    "/{int:organisation_id}/factsheet",
    response=FactsheetOut,
    summary="Record the factsheet (admins and coordinators)",
    description="Replaces the whole factsheet; the EWP node serves it through the Factsheet API.",
    openapi_extra=WRITE_DOC,
)
def put_factsheet(
    request: HttpRequest,
    organisation_id: int,
    payload: FactsheetIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    current = selectors.factsheet_of(user=request.user, organisation=organisation)
    if current is None and if_match is not None and if_match.strip() != "*":
        raise PreconditionFailed(
            _(
                "This organisation has no factsheet yet, so there is no version to match: send it "
                "without If-Match to record it."
            ),
            field="If-Match",
        )
    factsheet = services.factsheet_update(
        actor=request.user,
        organisation=organisation,
        expected_version=expected_version(if_match, current) if current is not None else None,
        **payload.dict(),
    )
    set_etag(response, factsheet)
    return factsheet


# --- Bulk import and export (accord.organisations.transfer) -----------------------------------------
# Appended as one block, with its own imports, so that it can move to a module of its own later.


class ImportJobOut(Schema):
    job_id: UUID


class ImportStatusOut(Schema):
    job_id: UUID
    status: str
    progress: int
    message: str
    result: dict


@router.get(
    "/export",
    summary="Export the directory as CSV or XLSX",
    description="The list filters apply; the columns are those of the import, so the file imports again.",
)
def export_organisations(
    request: HttpRequest, filters: Query[OrganisationFilters], format: Literal["csv", "xlsx"] = "csv"
):
    return organisations_export_response(
        user=request.user, filters=filters.dict(exclude_none=True), fmt=Format(format)
    )


@router.get("/{int:organisation_id}/contacts/export", summary="Export the contacts you may see")
def export_contacts(request: HttpRequest, organisation_id: int, format: Literal["csv", "xlsx"] = "csv"):
    organisation = selectors.get_organisation_for_user(user=request.user, pk=organisation_id)
    return contacts_export_response(user=request.user, organisation=organisation, fmt=Format(format))


@router.post(
    "/import",
    response={202: ImportJobOut},
    summary="Import organisations or contacts from CSV or XLSX (a background job)",
    description="Poll `GET /organisations/import/{job_id}`: a refused file ends as `failed` with "
    "`result.errors`, a list of `{row, column, message}`, and nothing saved.",
)
def import_organisations(
    request: HttpRequest,
    file: File[UploadedFile],
    mode: Form[Literal["create", "upsert"]] = "create",
    target: Form[Literal["organisations", "contacts"]] = "organisations",
):
    if not may_import(request.user, target):
        raise PermissionDenied(_("You may not import %(target)s.") % {"target": target})
    limit = settings.ACCORD_MAX_IMPORT_BYTES
    if file.size > limit:
        message = _("The file is %(size)s; at most %(limit)s can be imported.") % {
            "size": size_text(file.size),
            "limit": size_text(limit),
        }
        raise ValidationFailed({"file": message})
    job = import_enqueue(
        actor=request.user, data=file.read(), filename=file.name or "", target=Target(target), mode=mode
    )
    return Status(202, {"job_id": job.pk})


@router.get("/import/{uuid:job_id}", response=ImportStatusOut, summary="An import's progress and outcome")
def import_status(request: HttpRequest, job_id: UUID):
    job = get_job_for_user(user=request.user, job_id=job_id)
    if job.kind != IMPORT_JOB:
        raise NotFound(_("No such import."))
    return {
        "job_id": job.pk,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result or {},
    }
