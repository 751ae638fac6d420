"""The agreements API: thin over services and selectors. 404 for what the user may not see, 403 for
what they may see but not do, 409 for a stale version or a hash that does not match, 422 for bad
content with errors under the path of each field."""

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from accord.agreements import selectors, services
from accord.agreements.choices import AgreementStatus, PartnerCopySource
from accord.agreements.models import Agreement, AgreementAttachment
from accord.agreements.querysets import AgreementAction
from accord.agreements.schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    AgreementSummaryOut,
    ApprovalOut,
    ApproveIn,
    AttachmentOut,
    ChangeOut,
    ConditionIn,
    CopyComparisonOut,
    EventOut,
    PartnerCopyIn,
    PartnerCopyOut,
    QuotaOut,
    RenewIn,
    ShareIn,
    TerminateIn,
    VersionOut,
    VersionSummaryOut,
)
from accord.core.api_versions import (
    LIST_DOC,
    READ_DOC,
    WRITE_DOC,
    IfMatch,
    conditional_list,
    expected_version,
    set_etag,
)
from accord.core.errors import Conflict, PreconditionFailed, ValidationFailed
from accord.partnerships.selectors import contacts_by_id, get_partnership_for_user, organisations_by_id

router = Router(tags=["agreements"])


class AgreementFilters(Schema):
    partnership: int | None = None
    status: AgreementStatus | None = None
    q: str | None = None


def _agreement(request: HttpRequest, agreement_id: int, action: str = AgreementAction.VIEW) -> Agreement:
    return selectors.get_agreement_for_user(user=request.user, pk=agreement_id, action=action)


def agreement_out(request: HttpRequest, agreement_id: int) -> dict:
    agreement = _agreement(request, agreement_id)
    version = selectors.latest_visible_version(user=request.user, agreement=agreement)
    permissions = selectors.agreement_permissions(user=request.user, agreement=agreement)
    parties = [
        {
            "organisation_id": party.organisation.pk,
            "organisation_name": party.organisation.name,
            "approved_version": party.approval.version.number if party.approval else None,
            "approved_at": party.approval.approved_at if party.approval else None,
            "approval_current": party.current,
            "approval_outdated": party.outdated,
        }
        for party in selectors.approval_state(agreement=agreement, version=version)
    ]
    return {
        **{
            field: getattr(agreement, field)
            for field in AgreementOut.model_fields
            if hasattr(agreement, field)
        },
        "current_version": version.number if version else None,
        "approved_version": agreement.approved_version.number if agreement.approved_version else None,
        "party_ids": [link.organisation_id for link in agreement.party_links.all()],
        "contact_ids": list(agreement.contacts.values_list("pk", flat=True)),
        "parties": parties,
        "version": version,
        "permissions": permissions,
    }


def _changes(lines) -> list[dict]:
    return [{**dataclasses.asdict(line.change), "text": line.text} for line in lines]


@router.get("/", response=list[AgreementSummaryOut], summary="Agreements you may see", openapi_extra=LIST_DOC)
@conditional_list
@paginate(PageNumberPagination, page_size=50)
def list_agreements(request: HttpRequest, filters: Query[AgreementFilters]):
    partnership = (
        get_partnership_for_user(user=request.user, pk=filters.partnership) if filters.partnership else None
    )
    return selectors.agreement_list(
        user=request.user, partnership=partnership, status=filters.status, query=filters.q
    )


@router.post("/", response={201: AgreementOut}, summary="Draft an agreement (version 1)")
def create_agreement(request: HttpRequest, payload: AgreementIn):
    partnership = get_partnership_for_user(user=request.user, pk=payload.partnership_id)
    owner = None
    if payload.owner_id is not None:
        owner = organisations_by_id(user=request.user, ids=[payload.owner_id], field="owner_id")[
            payload.owner_id
        ]
    agreement = services.agreement_create(
        actor=request.user,
        partnership=partnership,
        title=payload.title,
        owner=owner,
        content=payload.content,
        contacts=contacts_by_id(user=request.user, ids=payload.contact_ids),
        summary=payload.summary,
    )
    return Status(201, agreement_out(request, agreement.pk))


def _with_etag(request: HttpRequest, agreement_id: int, response: HttpResponse) -> dict:
    """The agreement's JSON, and its ETag: the number of its current version, the one ``base_version``
    names (an agreement's versions are its optimistic-locking counter)."""
    set_etag(response, _agreement(request, agreement_id))
    return agreement_out(request, agreement_id)


@router.get(
    "/{int:agreement_id}",
    response=AgreementOut,
    summary="An agreement, with the version you may see",
    openapi_extra=READ_DOC,
)
def get_agreement(request: HttpRequest, agreement_id: int, response: HttpResponse):
    return _with_etag(request, agreement_id, response)


@router.patch(
    "/{int:agreement_id}",
    response=AgreementOut,
    summary="Edit an agreement; changed content becomes a new version",
    description=(
        "`If-Match` (the ETag of a read) and `base_version` say the same: the version your edit starts "
        "from. A stale `base_version` answers 409, a stale `If-Match` 412, both with what changed since."
    ),
    openapi_extra=WRITE_DOC,
)
def update_agreement(
    request: HttpRequest,
    agreement_id: int,
    payload: AgreementPatch,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    agreement = _agreement(request, agreement_id)
    data = payload.dict(exclude_unset=True)
    contacts = None
    if data.get("contact_ids") is not None:
        contacts = contacts_by_id(user=request.user, ids=data["contact_ids"])
    expected = expected_version(if_match, agreement)
    with _precondition(expected):
        services.agreement_update(
            actor=request.user,
            agreement=agreement,
            content=data.get("content"),
            base_version=expected if expected is not None else data.get("base_version"),
            title=data.get("title"),
            contacts=contacts,
            summary=payload.summary,
        )
    return _with_etag(request, agreement_id, response)


@contextmanager
def _precondition(expected: int | None) -> Iterator[None]:
    """A stale version that came as ``If-Match`` is a failed precondition (412); as ``base_version``
    in the body, a conflict (409)."""
    try:
        yield
    except Conflict as error:
        if expected is not None and error.code == "stale_version":
            error.http_status = 412
        raise


@router.post(
    "/{int:agreement_id}/conditions",
    response=AgreementOut,
    summary="Add a cooperation condition, or replace the one with the same key",
    description="Send the version you start from as `If-Match` (412 when stale) or `base_version` (409).",
    openapi_extra=WRITE_DOC,
)
def save_condition(
    request: HttpRequest,
    agreement_id: int,
    payload: ConditionIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    agreement = _agreement(request, agreement_id)
    expected = expected_version(if_match, agreement)
    with _precondition(expected):
        services.condition_save(
            actor=request.user,
            agreement=agreement,
            condition=payload.condition,
            base_version=_base_version(expected, payload.base_version),
            summary=payload.summary,
        )
    return _with_etag(request, agreement_id, response)


@router.delete(
    "/{int:agreement_id}/conditions/{key}",
    response=AgreementOut,
    summary="Remove a cooperation condition",
    description="Send the version you start from as `If-Match` (412 when stale) or `base_version` (409).",
    openapi_extra=WRITE_DOC,
)
def remove_condition(
    request: HttpRequest,
    agreement_id: int,
    key: str,
    response: HttpResponse,
    base_version: int | None = None,
    if_match: IfMatch = None,
):
    agreement = _agreement(request, agreement_id)
    expected = expected_version(if_match, agreement)
    with _precondition(expected):
        services.condition_remove(
            actor=request.user,
            agreement=agreement,
            key=key,
            base_version=_base_version(expected, base_version),
        )
    return _with_etag(request, agreement_id, response)


def _base_version(expected: int | None, base_version: int | None, *, field: str = "base_version") -> int:
    """The version a write starts from: the one ``If-Match`` names, else the number in the body."""
    if expected is not None:
        return expected
    if base_version is None:
        raise ValidationFailed(
            {
                field: _(
                    "Say which version of the agreement your change starts from: send its "
                    "ETag as If-Match, or its version number as %(field)s."
                )
                % {"field": field}
            }
        )
    return base_version


_LIFECYCLE_VERSION = (
    "Say which version you act on: its ETag as `If-Match` (412 when another version was saved since) or "
    "its number in the body (409)."
)


@router.post(
    "/{int:agreement_id}/share",
    response=AgreementOut,
    summary="Share the current version with the partners (and approve it for the owner)",
    description=_LIFECYCLE_VERSION,
    openapi_extra=WRITE_DOC,
)
def share_agreement(
    request: HttpRequest,
    agreement_id: int,
    payload: ShareIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    agreement = _agreement(request, agreement_id)
    expected = expected_version(if_match, agreement)
    with _precondition(expected):
        services.agreement_share(
            actor=request.user,
            agreement=agreement,
            version_number=_base_version(expected, payload.version_number, field="version_number"),
        )
    return _with_etag(request, agreement_id, response)


@router.post(
    "/{int:agreement_id}/approve",
    response={201: ApprovalOut},
    summary="Approve the current version for your organisation, naming its number and conditions hash",
    description=_LIFECYCLE_VERSION,
    openapi_extra=WRITE_DOC,
)
def approve_agreement(
    request: HttpRequest,
    agreement_id: int,
    payload: ApproveIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    agreement = _agreement(request, agreement_id)
    expected = expected_version(if_match, agreement)
    organisation = None
    if payload.organisation_id is not None:
        organisation = next(
            (
                link.organisation
                for link in agreement.party_links.all()
                if link.organisation_id == payload.organisation_id
            ),
            None,
        )
        if organisation is None:
            raise ValidationFailed(
                {"organisation_id": _("That organisation is not a party to this agreement.")}
            )
    with _precondition(expected):
        approval = services.agreement_approve(
            actor=request.user,
            agreement=agreement,
            version_number=_base_version(expected, payload.version_number, field="version_number"),
            conditions_hash=payload.conditions_hash,
            organisation=organisation,
        )
    set_etag(response, _agreement(request, agreement_id))
    return Status(201, approval)


@router.post(
    "/{int:agreement_id}/renew",
    response=AgreementOut,
    summary="Renew: a new version with every condition moved to a new range of academic years",
    description=_LIFECYCLE_VERSION,
    openapi_extra=WRITE_DOC,
)
def renew_agreement(
    request: HttpRequest,
    agreement_id: int,
    payload: RenewIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    agreement = _agreement(request, agreement_id)
    expected = expected_version(if_match, agreement)
    with _precondition(expected):
        services.agreement_renew(
            actor=request.user,
            agreement=agreement,
            first_academic_year=payload.first_academic_year,
            last_academic_year=payload.last_academic_year,
            base_version=_base_version(expected, payload.base_version),
        )
    return _with_etag(request, agreement_id, response)


@router.post(
    "/{int:agreement_id}/terminate", response=AgreementOut, summary="Terminate the agreement as a whole"
)
def terminate_agreement(request: HttpRequest, agreement_id: int, payload: TerminateIn):
    services.agreement_terminate(
        actor=request.user, agreement=_agreement(request, agreement_id), reason=payload.reason
    )
    return agreement_out(request, agreement_id)


@router.get("/{int:agreement_id}/versions", response=list[VersionSummaryOut], summary="Versions you may see")
def list_versions(request: HttpRequest, agreement_id: int):
    return list(selectors.visible_versions(user=request.user, agreement=_agreement(request, agreement_id)))


@router.get(
    "/{int:agreement_id}/versions/{int:number}",
    response=VersionOut,
    summary="One version",
    description="Its ETag is the agreement's at this version: as If-Match, a write based on what you read.",
    openapi_extra=READ_DOC,
)
def get_version(request: HttpRequest, agreement_id: int, number: int, response: HttpResponse):
    agreement = _agreement(request, agreement_id)
    version = selectors.version_for(user=request.user, agreement=agreement, number=number)
    response["ETag"] = f'"{agreement._meta.model_name}-{agreement.pk}-v{version.number}"'
    return version


@router.get(
    "/{int:agreement_id}/diff",
    response=list[ChangeOut],
    summary="Field-level differences between two versions",
)
def diff_versions(request: HttpRequest, agreement_id: int, old: int, new: int):
    lines = selectors.version_diff(
        user=request.user, agreement=_agreement(request, agreement_id), old=old, new=new
    )
    return _changes(lines)


@router.get("/{int:agreement_id}/events", response=list[EventOut], summary="The audit trail, newest first")
def list_events(request: HttpRequest, agreement_id: int):
    return list(selectors.timeline(user=request.user, agreement=_agreement(request, agreement_id)))


@router.get(
    "/{int:agreement_id}/quotas",
    response=list[QuotaOut],
    summary="Places and months or days agreed against used, per condition and academic year",
)
def list_quotas(request: HttpRequest, agreement_id: int, academic_year: str | None = None):
    return selectors.quota_view(agreement=_agreement(request, agreement_id), academic_year=academic_year)


@router.post(
    "/{int:agreement_id}/partner-copies",
    response={201: PartnerCopyOut},
    summary="Record a partner's copy of the agreement to compare with ours",
)
def record_partner_copy(request: HttpRequest, agreement_id: int, payload: PartnerCopyIn):
    agreement = _agreement(request, agreement_id, AgreementAction.EDIT)
    organisation = organisations_by_id(
        user=request.user, ids=[payload.organisation_id], field="organisation_id"
    )[payload.organisation_id]
    copy = services.partner_copy_record(
        actor=request.user,
        agreement=agreement,
        organisation=organisation,
        content=payload.content,
        source=PartnerCopySource.API,
        remote_id=payload.remote_id,
        remote_hash=payload.remote_hash,
    )
    return Status(201, copy)


@router.get(
    "/{int:agreement_id}/partner-copies/{int:organisation_id}/diff",
    response=CopyComparisonOut,
    summary="Our copy against a partner's, field by field",
)
def compare_partner_copy(request: HttpRequest, agreement_id: int, organisation_id: int):
    comparison = selectors.partner_copy_comparison(
        user=request.user, agreement=_agreement(request, agreement_id), organisation_id=organisation_id
    )
    return {
        "organisation_id": organisation_id,
        "our_version": comparison.ours.number,
        "our_conditions_hash": comparison.ours.conditions_hash,
        "their_conditions_hash": comparison.copy.conditions_hash,
        "same_conditions": comparison.same_conditions,
        "changes": _changes(comparison.lines),
    }


@router.get("/{int:agreement_id}/attachments", response=list[AttachmentOut], summary="Attached documents")
def list_attachments(request: HttpRequest, agreement_id: int):
    return list(selectors.attachments(agreement=_agreement(request, agreement_id)))


@router.post("/{int:agreement_id}/attachments", response={201: AttachmentOut}, summary="Attach a document")
def add_attachment(request: HttpRequest, agreement_id: int, title: Form[str], file: File[UploadedFile]):
    attachment = services.attachment_add(
        actor=request.user, agreement=_agreement(request, agreement_id), title=title, uploaded_file=file
    )
    return Status(201, attachment)


def _attachment_etag(attachment: AgreementAttachment) -> str:
    """Attachments are added and removed, never edited: the tag names the file, which never changes."""
    return f'"{attachment._meta.model_name}-{attachment.pk}-v1"'


@router.get(
    "/{int:agreement_id}/attachments/{int:attachment_id}",
    summary="Download an attached document",
    openapi_extra=READ_DOC,
)
def download_attachment(request: HttpRequest, agreement_id: int, attachment_id: int):
    attachment = selectors.attachment_for(agreement=_agreement(request, agreement_id), pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1]
    )
    response["ETag"] = _attachment_etag(attachment)
    return response


@router.delete(
    "/{int:agreement_id}/attachments/{int:attachment_id}",
    response={204: None},
    summary="Remove a document",
    description="`If-Match`, if sent, must be the ETag of this document's download (412 otherwise).",
    openapi_extra=WRITE_DOC,
)
def remove_attachment(request: HttpRequest, agreement_id: int, attachment_id: int, if_match: IfMatch = None):
    attachment = selectors.attachment_for(agreement=_agreement(request, agreement_id), pk=attachment_id)
    tags = [tag.strip() for tag in (if_match or "*").split(",")]
    if "*" not in tags and _attachment_etag(attachment) not in tags:
        raise PreconditionFailed(
            "This is not the document your If-Match names: read the attachment again and send its ETag.",
            field="If-Match",
        )
    services.attachment_remove(actor=request.user, attachment=attachment)
    return Status(204, None)
