"""Mobilities as EWP sees them: which learning agreements the EWP node serves, and the adapter that
fills the plain dataclasses of :mod:`accord.algorithms.ewp.learning_agreement` from a mobility.

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
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

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
)
from accord.algorithms.mobility.learning_agreement import (
    ChangeReason,
    ChangeStatus,
    ComponentChange,
    parse_components,
)
from accord.mobilities.choices import STAFF_TYPES, MobilitySource, SignerRole, VersionStatus
from accord.mobilities.models import AgreementVersion, Mobility, MobilityEvent, Signature
from accord.organisations.choices import ContactVisibility
from accord.organisations.models import Contact

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
        .exclude(source=MobilitySource.EWP)  # copies of partners' mobilities are theirs to serve
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
