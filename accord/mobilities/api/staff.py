"""The staff mobility API, mounted on the mobilities router: inviting a colleague, the staff mobility
agreement (its programme, versions and signatures) and the certificate of attendance.

The agreement's ETag names its current version (``"staff-agreement-<mobility>-v<n>"``); a proposal
that sends another one as If-Match is refused with 412, as is a correction of the certificate whose
If-Match is no longer its version."""

import datetime as dt
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from accord.algorithms.mobility.staff import Programme, StaffActivity
from accord.core.api_versions import READ_DOC, WRITE_DOC, IfMatch, expected_version, set_etag
from accord.core.errors import NotFound, PreconditionFailed, ValidationFailed
from accord.mobilities import selectors, services
from accord.mobilities.choices import STAFF_TYPES
from accord.mobilities.models import Mobility, StaffCertificate
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.schemas import MobilityOut
from accord.mobilities.services.staff import approved_programme
from accord.organisations.models import Organisation

router = Router(tags=["staff mobility"])
_AGREEMENT_TAG = re.compile(r'^(?:W/)?"staff-agreement-(?P<mobility>\d+)-v(?P<number>\d+)"$')


class StaffInvitationIn(Schema):
    participant_id: int
    mobility_type: str
    sending_organisation_id: int
    receiving_organisation_id: int
    academic_year: str
    planned_start: dt.date
    planned_end: dt.date
    note: str = ""


class ProgrammeIn(Schema):
    activity: StaffActivity
    objectives: str
    activities: str
    outcomes: str
    planned_start: dt.date
    planned_end: dt.date
    teaching_hours: Decimal | None = None
    sending_contact_name: str
    sending_contact_email: str
    receiving_contact_name: str
    receiving_contact_email: str
    summary: str = ""


class ProgrammeOut(Schema):
    activity: str
    objectives: str
    activities: str
    outcomes: str
    planned_start: dt.date
    planned_end: dt.date
    teaching_hours: Decimal | None
    sending_contact_name: str
    sending_contact_email: str
    receiving_contact_name: str
    receiving_contact_email: str


class StaffSignatureOut(Schema):
    role: str
    signer_name: str
    signer_position: str
    signed_at: dt.datetime
    content_hash: str


class StaffVersionOut(Schema):
    number: int
    status: str
    content_hash: str
    summary: str
    created_at: dt.datetime
    programme: ProgrammeOut | None
    signatures: list[StaffSignatureOut]


class StaffAgreementOut(Schema):
    mobility_id: int
    current_version: int | None
    approved_version: int | None
    awaiting: list[str]
    you_may_sign_as: list[str]
    next_step: str
    versions: list[StaffVersionOut]


class StaffSignIn(Schema):
    content_hash: str
    role: str | None = None
    position: str = ""


class CertificateIn(Schema):
    actual_start: dt.date
    actual_end: dt.date
    teaching_hours: Decimal | None = None
    signer_position: str = ""


class CertificateOut(Schema):
    mobility_id: int
    version: int
    actual_start: dt.date
    actual_end: dt.date
    teaching_hours: Decimal | None
    signer_name: str
    signer_position: str
    issued_at: dt.datetime
    warnings: list[str]


def _staff_mobility(request: HttpRequest, mobility_id: int, action: str = MobilityAction.VIEW) -> Mobility:
    mobility = selectors.get_mobility_for_user(user=request.user, pk=mobility_id, action=action)
    if mobility.mobility_type not in STAFF_TYPES:
        raise NotFound(_("This is a student mobility; its agreement is under /learning-agreement."))
    return mobility


def _agreement_out(request: HttpRequest, mobility: Mobility, response: HttpResponse | None = None) -> dict:
    overview = selectors.staff_overview(user=request.user, mobility=mobility)
    agreement = overview.agreement
    current = agreement.current.version.number if agreement.current else None
    if response is not None:
        response["ETag"] = f'"staff-agreement-{mobility.pk}-v{current or 0}"'
    return {
        "mobility_id": mobility.pk,
        "current_version": current,
        "approved_version": agreement.approved.version.number if agreement.approved else None,
        "awaiting": agreement.awaiting,
        "you_may_sign_as": agreement.can_sign,
        "next_step": overview.next_step.text,
        "versions": [
            {
                "number": view.version.number,
                "status": view.version.status,
                "content_hash": view.version.components_hash,
                "summary": view.version.summary,
                "created_at": view.version.created_at,
                "programme": overview.programme(view),
                "signatures": [
                    {
                        "role": s.role,
                        "signer_name": s.signer_name,
                        "signer_position": s.signer_position,
                        "signed_at": s.signed_at,
                        "content_hash": s.components_hash,
                    }
                    for s in view.signatures.values()
                ],
            }
            for view in agreement.versions
        ],
    }


def _base_version(if_match: str | None, mobility: Mobility) -> int | None:
    """The agreement version an If-Match names (None: absent or ``*``)."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = _AGREEMENT_TAG.match(if_match.strip())
    if match is None or int(match.group("mobility")) != mobility.pk:
        raise ValidationFailed(
            {
                "If-Match": _(
                    "Send the ETag you received when you read this agreement, for example %(etag)s."
                )
                % {"etag": f'"staff-agreement-{mobility.pk}-v0"'}
            }
        )
    return int(match.group("number"))


def _found(model, pk: int, field: str):
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: _("No such record.")})
    return found


@router.post(
    "/staff-invitations", response={201: MobilityOut}, summary="Invite a colleague to a staff mobility"
)
def invite(request: HttpRequest, payload: StaffInvitationIn):
    mobility = services.staff_mobility_invite(
        actor=request.user,
        participant=_found(get_user_model(), payload.participant_id, "participant_id"),
        mobility_type=payload.mobility_type,
        sending_organisation=_found(Organisation, payload.sending_organisation_id, "sending_organisation_id"),
        receiving_organisation=_found(
            Organisation, payload.receiving_organisation_id, "receiving_organisation_id"
        ),
        academic_year=payload.academic_year,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        note=payload.note,
    )
    return Status(201, mobility)


@router.get(
    "/{int:mobility_id}/staff-agreement",
    response=StaffAgreementOut,
    summary="The staff mobility agreement: versions, programmes, signatures and the next step",
    openapi_extra=READ_DOC,
)
def get_staff_agreement(request: HttpRequest, mobility_id: int, response: HttpResponse):
    return _agreement_out(request, _staff_mobility(request, mobility_id), response)


@router.post(
    "/{int:mobility_id}/staff-agreement/versions",
    response={201: StaffAgreementOut},
    summary="Propose a version of the programme (staff member or sending institution)",
    openapi_extra=WRITE_DOC,
)
def propose_staff_agreement(
    request: HttpRequest,
    mobility_id: int,
    payload: ProgrammeIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    mobility = _staff_mobility(request, mobility_id)
    values = payload.dict()
    summary = values.pop("summary")
    services.staff_agreement_propose(
        actor=request.user,
        mobility=mobility,
        programme=Programme(**values),
        summary=summary,
        base_version=_base_version(if_match, mobility),
    )
    return Status(201, _agreement_out(request, mobility, response))


@router.post(
    "/{int:mobility_id}/staff-agreement/versions/{int:number}/signatures",
    response={201: StaffAgreementOut},
    summary="Sign a version, naming the hash of the programme you read",
)
def sign_staff_agreement(request: HttpRequest, mobility_id: int, number: int, payload: StaffSignIn):
    mobility = _staff_mobility(request, mobility_id)
    services.la_sign(
        actor=request.user,
        mobility=mobility,
        version_number=number,
        components_hash=payload.content_hash,
        role=payload.role,
        position=payload.position,
    )
    return Status(201, _agreement_out(request, mobility))


def _certificate_out(mobility: Mobility, certificate: StaffCertificate) -> dict:
    programme = approved_programme(mobility)
    return {
        "mobility_id": mobility.pk,
        "version": certificate.version,
        "actual_start": certificate.actual_start,
        "actual_end": certificate.actual_end,
        "teaching_hours": certificate.teaching_hours,
        "signer_name": certificate.signer_name,
        "signer_position": certificate.signer_position,
        "issued_at": certificate.issued_at,
        "warnings": selectors.certificate_breaches(mobility, certificate, programme),
    }


@router.get(
    "/{int:mobility_id}/staff-certificate",
    response=CertificateOut,
    summary="The certificate of attendance",
    openapi_extra=READ_DOC,
)
def get_certificate(request: HttpRequest, mobility_id: int, response: HttpResponse):
    mobility = _staff_mobility(request, mobility_id)
    certificate = StaffCertificate.objects.filter(mobility=mobility).first()
    if certificate is None:
        raise NotFound(_("No certificate of attendance was issued yet."))
    set_etag(response, certificate)
    return _certificate_out(mobility, certificate)


@router.put(
    "/{int:mobility_id}/staff-certificate",
    response=CertificateOut,
    summary="Certify the attendance, or correct the certificate (receiving institution)",
    openapi_extra=WRITE_DOC,
)
def put_certificate(
    request: HttpRequest,
    mobility_id: int,
    payload: CertificateIn,
    response: HttpResponse,
    if_match: IfMatch = None,
):
    mobility = _staff_mobility(request, mobility_id, MobilityAction.RECEIVE)
    issued = StaffCertificate.objects.filter(mobility=mobility).first()
    if issued is None and if_match not in (None, "*"):
        raise PreconditionFailed(_("No certificate was issued yet; issue it without If-Match."))
    certificate = services.staff_certificate_issue(
        actor=request.user,
        mobility=mobility,
        expected_version=expected_version(if_match, issued) if issued else None,
        **payload.dict(),
    )
    set_etag(response, certificate)
    return _certificate_out(mobility, certificate)
