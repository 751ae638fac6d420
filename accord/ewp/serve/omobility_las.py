"""Outgoing Mobility Learning Agreements v1 as the sending institution serves it: the documents of get,
index, update and stats, the parsing of update requests, and the endpoints.

The sending institution serves its learning agreements; the caller sees those whose *receiving*
institution it covers (``request.ewp_client.hei_ids``). ``sending_hei_id`` is required and must be an
institution this node serves (400 otherwise, as for the IIAs' ``hei_id``). The receiving institution
approves or comments a changes proposal through ``update`` (POST, XML body), which calls the
mobilities services (``la_sign`` as the receiving institution, ``la_comment``) through the partner's
system account (:func:`accord.ewp.services.partner_node_user`).

Served (Outgoing Mobility Learning Agreements v1) are the student mobilities whose *sending*
institution the node serves, with a learning agreement that has an approved version or a proposal
the participant and the sending institution signed (what EWP calls a changes proposal). Staff
mobility agreements have no EWP form and are never served. A mobility missing what the schema
requires (EQF level, ISCED-F code, language and CEFR level, a contact person at each side) is left
out and logged, as if unknown.

Contact persons, which Accord does not record per mobility: the sending side's is whoever signed
for it last; the receiving side's is whoever signed for it last, else the receiving institution's
directory contact with an e-mail (public ones first). The document only goes to the receiving
institution, so this never shows a partner anything but its own contact.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.algorithms.ewp.learning_agreement import (
    EwpComponentList,
    EwpContactPerson,
    EwpInstitution,
    EwpLearningAgreement,
    EwpLearningAgreementError,
    EwpProposal,
    EwpSignature,
    EwpStudent,
    change_entries,
    la_element,
)
from accord.algorithms.mobility.learning_agreement import (
    ChangeReason,
    ChangeStatus,
    ComponentChange,
    parse_components,
)
from accord.ewp import selectors
from accord.ewp.node import xml
from accord.ewp.node.mobility_scope import NOT_SERVED_SOURCES
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, xml_body, xml_response
from accord.ewp.serve.params import (
    LIMITS,
    academic_year,
    covered_hei_ids,
    modified_since,
    required_ids,
    served_hei,
)
from accord.ewp.services import partner_node_user
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import STAFF_TYPES, SignerRole, VersionStatus
from accord.mobilities.models import AgreementVersion, Mobility, MobilityEvent, Signature
from accord.organisations.choices import ContactVisibility
from accord.organisations.models import Contact

# --- which learning agreements are served, and their EWP form ----------------------------------------

logger = logging.getLogger(__name__)


# --- which learning agreements are served -------------------------------------------------------------


def _lowered(values: Iterable[str]) -> list[str]:
    return [value.lower() for value in values]


def outgoing_learning_agreements(
    *,
    sending_hei_id: str | None,
    receiving_hei_ids: Iterable[str] | None,
    omobility_ids: Iterable[str] | None = None,
    academic_year: str | None = None,
    modified_since: datetime | None = None,
) -> QuerySet[Mobility]:
    """Student mobilities with a learning agreement, sent by an institution the node serves.

    ``sending_hei_id`` narrows to that sender (None: any served one); ``receiving_hei_ids`` to those
    receivers (None: any); ``omobility_ids`` to those ids (unknown and malformed ones are ignored);
    ``modified_since`` to those with an event (proposal, signature, comment, dates…) or a change since.
    Whether each one can be served is only known once mapped (:func:`ewp_learning_agreement`).
    """
    mobilities = (
        Mobility.objects.filter(
            sending_organisation__ewp_node__isnull=False, learning_agreement__isnull=False
        )
        .exclude(mobility_type__in=STAFF_TYPES)
        .exclude(source__in=NOT_SERVED_SOURCES)  # copies of partners' mobilities are theirs to serve
        .annotate(sending_hei=Lower("sending_organisation__schac_code"))
        .annotate(receiving_hei=Lower("receiving_organisation__schac_code"))
    )
    if sending_hei_id is not None:
        mobilities = mobilities.filter(sending_hei=sending_hei_id.lower())
    if receiving_hei_ids is not None:
        mobilities = mobilities.filter(receiving_hei__in=_lowered(receiving_hei_ids))
    if omobility_ids is not None:
        mobilities = mobilities.filter(pk__in=_numbers(omobility_ids))
    if academic_year is not None:
        mobilities = mobilities.filter(academic_year=academic_year)
    if modified_since is not None:
        mobilities = mobilities.filter(
            Q(updated_at__gt=modified_since)
            | Exists(MobilityEvent.objects.filter(mobility=OuterRef("pk"), at__gt=modified_since))
        )
    return mobilities.order_by("pk")


def with_learning_agreements(mobilities: QuerySet[Mobility]) -> list[Mobility]:
    """The mobilities with everything :func:`ewp_learning_agreement` reads, in a fixed number of queries."""
    contacts = Contact.objects.exclude(email="").order_by("-visibility", "family_name", "pk")
    return list(
        mobilities.select_related(
            "participant",
            "sending_organisation",
            "receiving_organisation",
            "sending_unit",
            "receiving_unit",
            "learning_agreement__current_version",
            "learning_agreement__approved_version",
            "learning_agreement__first_approved_version",
        ).prefetch_related(
            Prefetch(
                "learning_agreement__versions",
                queryset=AgreementVersion.objects.prefetch_related(
                    Prefetch("signatures", queryset=Signature.objects.select_related("signer"))
                ),
            ),
            Prefetch("receiving_organisation__contacts", queryset=contacts, to_attr="ewp_la_contacts"),
        )
    )


def _numbers(values: Iterable[str]) -> list[int]:
    # Our omobility-ids are primary keys (at most 19 digits); anything else names no mobility of ours.
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]


# --- the adapter ----------------------------------------------------------------------------------------


def proposal_id(version: AgreementVersion) -> str:
    """EWP's ``changes-proposal/@id``: the version number and the hash of its components, so that an
    approval names exactly the list it approves (a stale one is refused with 409)."""
    return f"{version.number}-{version.components_hash}"


def parse_proposal_id(value: str) -> tuple[int, str] | None:
    number, _, digest = value.partition("-")
    if not (number.isascii() and number.isdigit() and len(number) < 10 and digest):
        return None
    return int(number), digest


def _signatures(version: AgreementVersion) -> dict[str, Signature]:
    return {signature.role: signature for signature in version.signatures.all()}


def _ewp_signature(signature: Signature) -> EwpSignature:
    return EwpSignature(
        timestamp=signature.signed_at,
        signer_name=signature.signer_name,
        signer_position=signature.signer_position,
        signer_email=signature.signer_email,
    )


def _person(signature: Signature | None) -> EwpContactPerson | None:
    if signature is None:
        return None
    signer = signature.signer
    return EwpContactPerson(signer.first_name, signer.last_name, signature.signer_email or signer.email)


def _changes(version: AgreementVersion) -> list[ComponentChange]:
    return [
        ComponentChange(
            ref=change["ref"],
            status=ChangeStatus(change["status"]),
            reason_code=ChangeReason(change["reason_code"]) if change.get("reason_code") else None,
            reason_text=change.get("reason_text", ""),
        )
        for change in version.changes
    ]


def _listed(version: AgreementVersion, entries, signatures: dict[str, Signature]) -> EwpComponentList:
    receiving = signatures.get(SignerRole.RECEIVING)
    return EwpComponentList(
        entries=entries,
        student_signature=_ewp_signature(signatures[SignerRole.STUDENT]),
        sending_signature=_ewp_signature(signatures[SignerRole.SENDING]),
        receiving_signature=_ewp_signature(receiving) if receiving else None,
    )


def _unit(unit) -> dict:
    return {"ounit_name": unit.name, "ounit_id": unit.ounit_id} if unit else {}


def _receiving_contact(mobility: Mobility, signer: Signature | None) -> EwpContactPerson | None:
    person = _person(signer)
    if person is not None and person.given_names and person.family_name and person.email:
        return person
    contacts = getattr(mobility.receiving_organisation, "ewp_la_contacts", None)
    if contacts is None:
        contacts = Contact.objects.filter(organisation=mobility.receiving_organisation).exclude(email="")
        contacts = contacts.order_by("-visibility", "family_name", "pk")
    contacts = list(contacts)
    public = [contact for contact in contacts if contact.visibility == ContactVisibility.PUBLIC]
    for contact in public + contacts:
        if contact.given_name and contact.family_name:
            return EwpContactPerson(contact.given_name, contact.family_name, contact.email)
    return person


def ewp_learning_agreement(mobility: Mobility) -> EwpLearningAgreement | None:
    """The mobility's learning agreement as EWP serves it, or None when there is nothing to serve yet
    (no approved version and no proposal signed by the participant and the sending institution)."""
    agreement = mobility.learning_agreement
    versions = sorted(agreement.versions.all(), key=lambda version: version.number)
    by_pk = {version.pk: version for version in versions}
    first = by_pk.get(agreement.first_approved_version_id)
    approved = by_pk.get(agreement.approved_version_id)
    current = by_pk.get(agreement.current_version_id)

    first_version = approved_changes = proposal = None
    if first is not None:
        first_components = parse_components(first.components)
        first_version = _listed(first, [(c, None) for c in first_components], _signatures(first))
        if approved is not None and approved.pk != first.pk:
            entries = change_entries(
                first_components, parse_components(approved.components), _changes(approved)
            )
            approved_changes = _listed(approved, entries, _signatures(approved))
    if current is not None and current.status == VersionStatus.PROPOSED:
        signatures = _signatures(current)
        if SignerRole.STUDENT in signatures and SignerRole.SENDING in signatures:
            components = parse_components(current.components)
            if first is None:
                entries = [(component, None) for component in components]
            else:
                entries = change_entries(parse_components(first.components), components, _changes(current))
            proposal = EwpProposal(proposal_id(current), _listed(current, entries, signatures))
    if first_version is None and proposal is None:
        return None

    all_signatures = [signature for version in versions for signature in version.signatures.all()]
    last = {signature.role: signature for signature in sorted(all_signatures, key=lambda s: s.signed_at)}
    sending_person = _person(last.get(SignerRole.SENDING))
    receiving_person = _receiving_contact(mobility, last.get(SignerRole.RECEIVING))
    if sending_person is None or receiving_person is None:
        raise EwpLearningAgreementError("no contact person is known for one of the institutions")
    required = {
        "EQF level": mobility.eqf_level,
        "ISCED-F code": mobility.isced_code,
        "language": mobility.language,
        "CEFR level": mobility.cefr_level,
    }
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise EwpLearningAgreementError(f"the mobility has no {', '.join(missing)}")
    participant = mobility.participant
    return EwpLearningAgreement(
        omobility_id=str(mobility.pk),
        sending=EwpInstitution(
            mobility.sending_organisation.schac_code, sending_person, **_unit(mobility.sending_unit)
        ),
        receiving=EwpInstitution(
            mobility.receiving_organisation.schac_code, receiving_person, **_unit(mobility.receiving_unit)
        ),
        receiving_academic_year=mobility.academic_year,
        student=EwpStudent(
            given_names=participant.first_name, family_name=participant.last_name, email=participant.email
        ),
        start_date=mobility.planned_start,
        end_date=mobility.planned_end,
        eqf_level=mobility.eqf_level,
        isced_code=mobility.isced_code,
        language=mobility.language,
        cefr_level=mobility.cefr_level,
        first_version=first_version,
        approved_changes=approved_changes,
        changes_proposal=proposal,
    )


def servable(mobilities: Iterable[Mobility]) -> list[tuple[Mobility, EwpLearningAgreement]]:
    """The mobilities whose learning agreement can be served, each with its mapping; the others are
    logged and left out, as if unknown."""
    served = []
    for mobility in mobilities:
        try:
            mapped = ewp_learning_agreement(mobility)
        except (EwpLearningAgreementError, KeyError, ValueError):
            logger.warning(
                "Mobility %s cannot be served as an EWP learning agreement.", mobility.pk, exc_info=True
            )
            continue
        if mapped is not None:
            served.append((mobility, mapped))
    return served


# --- documents and endpoints ------------------------------------------------------------------------

logger = logging.getLogger(__name__)


# --- documents ------------------------------------------------------------------------------------------


def get_response(agreements: list[EwpLearningAgreement]) -> bytes:
    root = etree.Element(
        qname(xml.OMOBILITY_LAS_GET, "omobility-las-get-response"), nsmap={None: xml.OMOBILITY_LAS_GET}
    )
    for agreement in agreements:
        try:
            element = la_element(agreement)
        except EwpLearningAgreementError:
            logger.warning(
                "Mobility %s cannot be served as an EWP la.", agreement.omobility_id, exc_info=True
            )
            continue
        root.append(element)
    return xml.to_bytes(root)


def index_response(omobility_ids: list[str]) -> bytes:
    ns = xml.OMOBILITY_LAS_INDEX
    root = etree.Element(qname(ns, "omobility-las-index-response"), nsmap={None: ns})
    for omobility_id in omobility_ids:
        sub(root, ns, "omobility-id", omobility_id)
    return xml.to_bytes(root)


STATS_FIELDS = (
    "la-outgoing-total",
    "la-outgoing-not-modified-after-approval",
    "la-outgoing-modified-after-approval",
    "la-outgoing-latest-version-approved",
    "la-outgoing-latest-version-rejected",
    "la-outgoing-latest-version-awaiting",
)


def stats_response(counts: dict[str, dict[str, int]]) -> bytes:
    """``counts``: for each receiving academic year, a count per field of :data:`STATS_FIELDS`."""
    ns = xml.OMOBILITY_LAS_STATS
    root = etree.Element(qname(ns, "las-outgoing-stats-response"), nsmap={None: ns})
    for year in sorted(counts):
        element = sub(root, ns, "academic-year-la-stats")
        sub(element, ns, "receiving-academic-year-id", year)
        for name in STATS_FIELDS:
            sub(element, ns, name, str(counts[year].get(name, 0)))
    return xml.to_bytes(root)


def update_response(message: str) -> bytes:
    return xml.update_response(xml.OMOBILITY_LAS_UPDATE_RESPONSE, "omobility-las-update-response", message)


# --- update requests ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnerSignature:
    signer_name: str
    signer_position: str
    signer_email: str
    timestamp: datetime

    def described(self) -> str:
        """Who signed at the partner, as kept with the signature or the comment."""
        parts = [
            self.signer_name,
            self.signer_position,
            f"<{self.signer_email}>" if self.signer_email else "",
        ]
        return ", ".join(part for part in parts if part) + " (via EWP)"


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    sending_hei_id: str
    action: str  # "approve" or "comment"
    omobility_id: str
    changes_proposal_id: str
    signature: PartnerSignature
    comment: str = ""


_ACTIONS = {"approve-proposal-v1": "approve", "comment-proposal-v1": "comment"}


def parse_update(body: bytes) -> UpdateRequest:
    """The update request in ``body`` (an ``omobility-las-update-request``); anything else is a 400."""
    ns = xml.OMOBILITY_LAS_UPDATE_REQUEST
    root = xml_body(body, ns, "omobility-las-update-request")
    sending = _text(root, ns, "sending-hei-id")
    updates = [child for child in root if child.tag in {qname(ns, name) for name in _ACTIONS}]
    if len(updates) != 1:
        raise EwpError("the request must hold exactly one approve-proposal-v1 or comment-proposal-v1")
    update = updates[0]
    action = _ACTIONS[etree.QName(update).localname]
    comment = _text(update, ns, "comment") if action == "comment" else ""
    signature = update.find(qname(ns, "signature"))
    if signature is None:
        raise EwpError("signature is required")
    return UpdateRequest(
        sending_hei_id=sending,
        action=action,
        omobility_id=_text(update, ns, "omobility-id"),
        changes_proposal_id=_text(update, ns, "changes-proposal-id"),
        signature=_signature(signature),
        comment=comment,
    )


def _text(parent: etree._Element, namespace: str, name: str, *, required: bool = True) -> str:
    value = (parent.findtext(qname(namespace, name)) or "").strip()
    if required and not value:
        raise EwpError(f"{name} is required")
    return value


def _signature(element: etree._Element) -> PartnerSignature:
    ns = xml.OMOBILITY_LAS_GET
    timestamp_text = _text(element, ns, "timestamp")
    try:
        timestamp = datetime.fromisoformat(timestamp_text)
    except ValueError:
        raise EwpError(f"signature timestamp is not an xs:dateTime: {timestamp_text!r}") from None
    return PartnerSignature(
        signer_name=_text(element, ns, "signer-name", required=False),
        signer_position=_text(element, ns, "signer-position", required=False),
        signer_email=_text(element, ns, "signer-email", required=False),
        timestamp=timestamp,
    )


# --- endpoints ------------------------------------------------------------------------------------------


@ewp_endpoint()
def omobility_las_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.omobility_ids)
    mobilities = outgoing_learning_agreements(
        sending_hei_id=sending, receiving_hei_ids=request.ewp_client.hei_ids, omobility_ids=ids
    )
    served = servable(with_learning_agreements(mobilities))
    return xml_response(get_response([mapped for _mobility, mapped in served]))


@ewp_endpoint()
def omobility_las_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    sending = served_hei(params, "sending_hei_id", required=True)
    covered = covered_hei_ids(request)
    asked = params.getlist("receiving_hei_id")
    receivers = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else list(covered)
    year = academic_year(params)
    mobilities = outgoing_learning_agreements(
        sending_hei_id=sending,
        receiving_hei_ids=receivers,
        academic_year=year,
        modified_since=modified_since(params),
    )
    served = servable(with_learning_agreements(mobilities))
    return xml_response(index_response([str(mobility.pk) for mobility, _mapped in served]))


@ewp_endpoint()
def omobility_las_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    """Counts over every learning agreement this node serves, per receiving academic year."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    mobilities = outgoing_learning_agreements(sending_hei_id=None, receiving_hei_ids=None)
    for mobility, mapped in servable(with_learning_agreements(mobilities)):
        year = counts[mapped.receiving_academic_year]
        year["la-outgoing-total"] += 1
        if mapped.first_version is not None:
            modified = mapped.approved_changes is not None
            year[
                "la-outgoing-modified-after-approval"
                if modified
                else "la-outgoing-not-modified-after-approval"
            ] += 1
        current = mobility.learning_agreement.current_version
        if mapped.changes_proposal is not None:
            year["la-outgoing-latest-version-awaiting"] += 1
        elif current is not None and current.status == VersionStatus.COMMENTED:
            year["la-outgoing-latest-version-rejected"] += 1
        elif current is not None and current.status == VersionStatus.APPROVED:
            year["la-outgoing-latest-version-approved"] += 1
    return xml_response(stats_response(counts))


@ewp_endpoint()
def omobility_las_update(request: HttpRequest, params: QueryDict) -> HttpResponse:
    if request.method != "POST":
        raise EwpError("the update endpoint takes POST with an XML body", status=405)
    update = parse_update(request.body)
    if selectors.served_institution(update.sending_hei_id) is None:
        raise EwpError(f"this node does not cover the HEI {update.sending_hei_id!r} (sending-hei-id)")
    mobility = (
        outgoing_learning_agreements(
            sending_hei_id=update.sending_hei_id,
            receiving_hei_ids=request.ewp_client.hei_ids,
            omobility_ids=[update.omobility_id],
        )
        .select_related("receiving_organisation", "learning_agreement__current_version")
        .first()
    )
    if mobility is None:
        raise EwpError(
            f"no learning agreement {update.omobility_id!r} of {update.sending_hei_id!r} whose receiving "
            "institution the caller covers"
        )
    current = mobility.learning_agreement.current_version
    parsed = parse_proposal_id(update.changes_proposal_id)
    if (
        parsed is None
        or current is None
        or current.status != VersionStatus.PROPOSED
        or (proposal_id(current) != update.changes_proposal_id)
    ):
        raise EwpError(
            "Your copy of the learning agreement is not up to date: refresh it from our server and repeat "
            "your request.",
            status=409,
        )
    number, digest = parsed
    actor = partner_node_user(mobility.receiving_organisation)
    who = update.signature.described()
    with transaction.atomic():
        if update.action == "approve":
            mobility_services.la_sign(
                actor=actor,
                mobility=mobility,
                version_number=number,
                components_hash=digest,
                role=SignerRole.RECEIVING,
                position=who[:255],
                signer_name=update.signature.signer_name,
                signer_email=update.signature.signer_email,
            )
            message = "Your approval of the learning agreement was recorded."
        else:
            mobility_services.la_comment(
                actor=actor, mobility=mobility, version_number=number, text=f"{update.comment}\n\n— {who}"
            )
            message = "Your comment was recorded; the sending institution will answer with a new proposal."
    return xml_response(update_response(message))
