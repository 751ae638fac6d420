"""Agreements as EWP IIAs v7: an institution's own copies out, partners' copies in.

The XML mapping itself is pure (:mod:`accord.algorithms.ewp.iia_xml`); this module maps EWP identifiers
to the directory: hei-ids to organisations (adding unknown ones), ounit-ids to units (the id a partner
gave its unit is kept in ``OrganisationalUnit.ewp_id``), and IIA ids to agreements (our id is the
agreement's primary key; the partner's is kept in the content and in its copy).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext
from lxml import etree

from accord.agreements import services
from accord.agreements.choices import AgreementStatus, PartnerCopySource
from accord.agreements.content import describe_changes, diff_documents_named
from accord.agreements.models import Agreement, AgreementVersion, PartnerCopy
from accord.algorithms.agreements.content import AgreementContentError, content_from_dict
from accord.algorithms.ewp import schemas as ewp_schemas
from accord.algorithms.ewp.iia_xml import (
    IiaXmlError,
    WrittenIia,
    content_from_iia,
    get_response_of,
    reorder_partners,
    write_iia,
)
from accord.algorithms.xml_safety import UnsafeXmlError, parse_untrusted_xml
from accord.core.errors import ValidationFailed
from accord.ewp.models import ServedInstitution
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation, OrganisationalUnit
from accord.partnerships.choices import MemberRole, PartnershipModel, PartnershipStatus
from accord.partnerships.models import Partnership, PartnershipMember
from accord.reference.countries import get_country

IIAS_GET_RESPONSE_XSD = "ewp-specs-api-iias/endpoints/get-response.xsd"


def organisation_by_hei_id(hei_id: str) -> Organisation | None:
    return Organisation.objects.filter(schac_code__iexact=hei_id.strip()).first()


# --- export -----------------------------------------------------------------------------------------


def ounit_ids_of(documents: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """EWP ounit-ids of every unit the documents refer to (Accord unit ids), read in one query."""
    refs = {
        ref
        for document in documents
        for item in (*document["partners"], *document["conditions"])
        for ref in (item.get("unit_ref"), item.get("sending_unit_ref"), item.get("receiving_unit_ref"))
        if ref and ref.isdigit()
    }
    return {str(unit.pk): unit.ounit_id for unit in OrganisationalUnit.objects.filter(pk__in=refs)}


def partner_iia_ids(agreement: Agreement) -> dict[int, str]:
    """The partners' own ids of ``agreement`` (from their copies), by organisation id."""
    return {copy.organisation_id: copy.remote_id for copy in agreement.partner_copies.all() if copy.remote_id}


def _ewp_document(
    agreement: Agreement,
    hei: Organisation,
    document: Mapping[str, Any],
    units: Mapping[str, str],
    copies: Mapping[int, str],
) -> dict[str, Any]:
    """The document as the institution publishes it: our iia-id, the partner's, ounit-ids."""
    partners = []
    for partner in document["partners"]:
        partner = dict(partner)
        organisation_id = int(partner["organisation_ref"])
        if organisation_id == hei.pk:
            partner["partner_agreement_id"] = str(agreement.pk)
        elif not partner.get("partner_agreement_id") and organisation_id in copies:
            partner["partner_agreement_id"] = copies[organisation_id]
        if partner.get("unit_ref"):
            partner["unit_ref"] = units.get(partner["unit_ref"], partner["unit_ref"])
        partners.append(partner)
    conditions = [
        {
            **condition,
            **{
                name: units.get(condition[name], condition[name])
                for name in ("sending_unit_ref", "receiving_unit_ref")
                if condition.get(name)
            },
        }
        for condition in document["conditions"]
    ]
    return reorder_partners({**document, "partners": partners, "conditions": conditions}, hei.schac_code)


def shared_agreements(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """What partners may see of ``agreements``: those shared at least once and not deleted from the
    network (terminated before every party approved), each annotated with ``served_version_id``, the
    newest version the owner shared. Drafts, whether never shared or an amendment or renewal written
    since, never leave the node: serving, notifying and file exports all read this."""
    return (
        agreements.filter(first_shared_at__isnull=False)
        .exclude(status=AgreementStatus.TERMINATED, approved_version__isnull=True)
        .annotate(
            served_version_id=Subquery(
                AgreementVersion.objects.filter(agreement=OuterRef("pk"), shared_at__isnull=False)
                .order_by("-number")
                .values("pk")[:1]
            )
        )
    )


def agreement_written_iia(
    agreement: Agreement,
    hei: Organisation,
    *,
    version: AgreementVersion,
    units: Mapping[str, str] | None = None,
    partner_ids: Mapping[int, str] | None = None,
) -> WrittenIia:
    """``hei``'s copy of ``version`` as the XML text of an ``iia`` element, with its hash.

    ``version`` has no default on purpose: the current version may be a draft, and only what
    :func:`shared_agreements` names may leave the node. ``units`` (from :func:`ounit_ids_of`) and
    ``partner_ids`` (:func:`partner_iia_ids`, else read from ``agreement.partner_copies``) save queries
    when many agreements are written at once.
    """
    if units is None:
        units = ounit_ids_of([version.content])
    if partner_ids is None:
        partner_ids = partner_iia_ids(agreement)
    content = content_from_dict(_ewp_document(agreement, hei, version.content, units, partner_ids))
    in_effect = agreement.approved_version_id == version.pk and agreement.status == AgreementStatus.IN_EFFECT
    return write_iia(
        content,
        in_effect=in_effect,
        terminated_as_a_whole=agreement.status == AgreementStatus.TERMINATED
        and agreement.approved_version_id is not None,
    )


def exportable_agreements(hei: Organisation) -> list[tuple[Agreement, AgreementVersion]]:
    """The institution's own copies of its bilateral agreements (those it owns), each in the newest
    version it shared: what its partners would fetch over EWP."""
    agreements = list(
        shared_agreements(Agreement.objects.filter(owner=hei))
        .prefetch_related("partner_copies")
        .order_by("pk")
    )
    versions = AgreementVersion.objects.in_bulk([agreement.served_version_id for agreement in agreements])
    return [
        (agreement, versions[agreement.served_version_id])
        for agreement in agreements
        if len(versions[agreement.served_version_id].content["partners"]) == 2
    ]


def export_iias(hei: Organisation, exported: list[tuple[Agreement, AgreementVersion]] | None = None) -> bytes:
    """An IIAs get-response with every agreement of ``hei`` that EWP can carry, as it was shared
    (``exported``: what :func:`exportable_agreements` answered, when the caller has it already)."""
    if exported is None:
        exported = exportable_agreements(hei)
    units = ounit_ids_of(version.content for _, version in exported)
    return get_response_of(
        agreement_written_iia(agreement, hei, version=version, units=units) for agreement, version in exported
    )


# --- import -----------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[Agreement] = field(default_factory=list)
    mapped: list[Agreement] = field(default_factory=list)
    different: list[tuple[Agreement, str]] = field(default_factory=list)
    added_organisations: list[Organisation] = field(default_factory=list)


class IiaReceiver:
    """Maps received ``iia`` elements onto the directory and the agreements of one receiving institution."""

    def __init__(self, receiver: Organisation, default_country: str | None) -> None:
        self.receiver = receiver
        self.default_country = default_country
        self.report = ImportReport()

    def organisation(self, hei_id: str) -> Organisation:
        found = organisation_by_hei_id(hei_id)
        if found is not None:
            return found
        country = _country_of(hei_id) or self.default_country
        if country is None:
            raise ValidationFailed(
                {
                    "hei_id": gettext(
                        "%(hei_id)s is not in the directory and its country cannot be told "
                        "from its name: give --default-country."
                    )
                    % {"hei_id": hei_id}
                }
            )
        organisation = Organisation.objects.create(
            kind=OrganisationKind.HEI, name=hei_id, schac_code=hei_id.lower(), country_code=country
        )
        self.report.added_organisations.append(organisation)
        return organisation

    def unit_ref(self, organisation: Organisation, ounit_id: str | None) -> str | None:
        if not ounit_id:
            return None
        units = OrganisationalUnit.objects.filter(organisation=organisation)
        if organisation == self.receiver or _served_here(organisation):
            # Units of institutions this node serves are published under their Accord id, unless they
            # carry an EWP id.
            unit = units.filter(ewp_id=ounit_id).first() or (
                units.filter(pk=int(ounit_id)).first() if ounit_id.isdigit() else None
            )
            if unit is None:
                raise ValidationFailed(
                    {
                        "ounit_id": gettext("%(organisation)s has no unit %(ounit_id)s.")
                        % {"organisation": organisation, "ounit_id": ounit_id}
                    }
                )
            return str(unit.pk)
        unit, _ = organisation.units.get_or_create(ewp_id=ounit_id, defaults={"name": f"Unit {ounit_id}"})
        return str(unit.pk)

    def mapped_document(self, document: dict[str, Any]) -> tuple[dict[str, Any], list[Organisation]]:
        organisations = [self.organisation(partner["hei_id"]) for partner in document["partners"]]
        partners = [
            {
                **partner,
                "organisation_ref": str(organisation.pk),
                "unit_ref": self.unit_ref(organisation, partner["unit_ref"]),
            }
            for partner, organisation in zip(document["partners"], organisations, strict=True)
        ]
        conditions = [
            {
                **condition,
                "sending_unit_ref": self.unit_ref(
                    organisations[condition["sending_partner"]], condition["sending_unit_ref"]
                ),
                "receiving_unit_ref": self.unit_ref(
                    organisations[condition["receiving_partner"]], condition["receiving_unit_ref"]
                ),
            }
            for condition in document["conditions"]
        ]
        return {**document, "partners": partners, "conditions": conditions}, organisations

    def find_ours(self, document: dict[str, Any], sender: Organisation) -> Agreement | None:
        ours = Agreement.objects.filter(owner=self.receiver)
        for partner in document["partners"]:
            if partner["organisation_ref"] == str(self.receiver.pk):
                our_id = partner.get("partner_agreement_id") or ""
                if our_id.isdigit() and (found := ours.filter(pk=int(our_id)).first()):
                    return found
        their_id = next(
            (
                p.get("partner_agreement_id")
                for p in document["partners"]
                if p["organisation_ref"] == str(sender.pk)
            ),
            None,
        )
        if not their_id:
            return None
        copy = PartnerCopy.objects.filter(agreement__in=ours, organisation=sender, remote_id=their_id).first()
        return copy.agreement if copy else None

    def partnership(self, sender: Organisation) -> Partnership:
        shared = (
            Partnership.objects.filter(members__organisation=self.receiver)
            .filter(members__organisation=sender)
            .exclude(status=PartnershipStatus.CLOSED)
            .order_by("pk")
            .first()
        )
        if shared:
            return shared
        partnership = Partnership.objects.create(
            title=f"{self.receiver.name} – {sender.name}", model=PartnershipModel.BILATERAL_EXCHANGE
        )
        PartnershipMember.objects.create(
            partnership=partnership, organisation=self.receiver, role=MemberRole.COORDINATOR
        )
        PartnershipMember.objects.create(
            partnership=partnership, organisation=sender, role=MemberRole.PARTNER
        )
        return partnership

    def receive(self, iia: etree._Element, *, source: str, remote_hash: str | None = None) -> "ReceivedIia":
        """Store a partner's ``iia`` as received by our institution: the partner's copy beside ours, and
        our own copy (a draft holding their content) when we have none yet.

        ``remote_hash`` replaces the hash the partner reported (EWP passes the one it verified).
        """
        imported = content_from_iia(iia)
        document, organisations = self.mapped_document(imported.document)
        if self.receiver not in organisations:
            raise ValidationFailed(
                {
                    "partners": gettext("%(schac_code)s is not a partner of this agreement.")
                    % {"schac_code": self.receiver.schac_code}
                }
            )
        sender = next(organisation for organisation in organisations if organisation != self.receiver)
        their_id = next(
            (
                p.get("partner_agreement_id") or ""
                for p in document["partners"]
                if p["organisation_ref"] == str(sender.pk)
            ),
            "",
        )
        agreement = self.find_ours(document, sender)
        created = agreement is None
        if agreement is None:
            agreement = services.agreement_receive(
                partnership=self.partnership(sender),
                owner=self.receiver,
                title=f"Erasmus+ agreement with {sender.name}" + (f" ({their_id})" if their_id else ""),
                content=_as_our_copy(document, self.receiver),
                source=PartnerCopySource(source).label,
            )
            self.report.created.append(agreement)
        else:
            self.report.mapped.append(agreement)
        copy = services.partner_copy_record(
            actor=None,
            agreement=agreement,
            organisation=sender,
            content=document,
            source=source,
            remote_id=their_id,
            remote_hash=imported.iia_hash if remote_hash is None else remote_hash,
        )
        differences = ""
        if copy.conditions_hash != agreement.current_version.conditions_hash:
            changes = diff_documents_named(agreement.current_version.content, copy.content, match="content")
            differences = describe_changes(changes)
            self.report.different.append((agreement, differences))
        return ReceivedIia(agreement=agreement, copy=copy, created=created, differences=differences)


@dataclass(frozen=True)
class ReceivedIia:
    """One partner's ``iia`` stored: our agreement (created or found), the partner's copy beside it,
    and the differences from our current version in words (empty when the conditions agree)."""

    agreement: Agreement
    copy: PartnerCopy
    created: bool
    differences: str


def receive_iia(
    iia: etree._Element, *, receiver: Organisation, source: str, remote_hash: str | None = None
) -> ReceivedIia:
    """One partner's ``iia`` received by ``receiver`` outside a file import (EWP): mapped and stored
    exactly as a file import would, partners missing from the directory added to it."""
    return IiaReceiver(receiver, None).receive(iia, source=source, remote_hash=remote_hash)


def _as_our_copy(document: dict[str, Any], receiver: Organisation) -> dict[str, Any]:
    """The received content as our own copy: our iia-id is our agreement's id, not whatever they sent."""
    return {
        **document,
        "partners": [
            {**partner, "partner_agreement_id": None}
            if partner["organisation_ref"] == str(receiver.pk)
            else partner
            for partner in document["partners"]
        ],
    }


def _served_here(organisation: Organisation) -> bool:
    """Whether this instance is the EWP node of ``organisation``."""
    return ServedInstitution.objects.filter(organisation=organisation).exists()


def _country_of(hei_id: str) -> str | None:
    """The country a SCHAC code's top-level domain names ("uw.edu.pl" is in Poland), if it names one."""
    label = hei_id.rsplit(".", 1)[-1].upper()
    country = get_country(label) if len(label) == 2 else None
    return country.code if country else None


def _validate_against_schema(root: etree._Element, schemas: str | Path | None) -> None:
    if not schemas:
        return
    try:
        error = ewp_schemas.validation_error(ewp_schemas.schema_folder(schemas), IIAS_GET_RESPONSE_XSD, root)
    except ewp_schemas.SchemaFolderError as exc:
        raise ValidationFailed({"schemas": str(exc)}) from None
    if error:
        raise ValidationFailed(
            {"file": gettext("Not a valid IIAs v7 get-response: %(error)s") % {"error": error}}
        )


def import_iias(
    document: bytes,
    *,
    receiver_hei_id: str,
    create: bool = False,
    default_country: str | None = None,
    schemas: str | Path | None = None,
) -> ImportReport:
    """Import a partner's get-response as received by ``receiver_hei_id``; all or nothing.

    Raises :class:`ValidationFailed` naming the agreement (by position) and the field at fault. The
    document is refused beyond ``ACCORD_EWP_MAX_IMPORT_BYTES``, parsed safely (no DTD, no entities,
    libxml2's depth and text-size limits) and, when ``schemas`` or ``ACCORD_EWP_SCHEMAS`` names the
    official schemas, validated against the IIAs v7 get-response schema before anything is read.
    """
    limit = settings.ACCORD_EWP_MAX_IMPORT_BYTES
    if len(document) > limit:
        raise ValidationFailed(
            {
                "file": gettext(
                    "The document is larger than the %(limit)s bytes accepted (ACCORD_EWP_MAX_IMPORT_BYTES)."
                )
                % {"limit": limit}
            }
        )
    try:
        root = parse_untrusted_xml(document)
    except (UnsafeXmlError, etree.XMLSyntaxError, TypeError) as error:
        raise ValidationFailed(
            {"file": gettext("This is not a readable XML document: %(error)s") % {"error": error}}
        ) from None
    _validate_against_schema(root, schemas or settings.ACCORD_EWP_SCHEMAS)
    iias = list(root.iter("{*}iia"))
    if not iias:
        raise ValidationFailed({"file": gettext("The document holds no <iia> element.")})
    with transaction.atomic():
        receiver = organisation_by_hei_id(receiver_hei_id)
        if receiver is None:
            if not create:
                raise ValidationFailed(
                    {
                        "as": gettext("%(receiver_hei_id)s is not in the directory; add --create to add it.")
                        % {"receiver_hei_id": receiver_hei_id}
                    }
                )
            importer = IiaReceiver(Organisation(), default_country)
            receiver = importer.organisation(receiver_hei_id)
            importer.receiver = receiver
        else:
            importer = IiaReceiver(receiver, default_country)
        for position, iia in enumerate(iias, start=1):
            try:
                importer.receive(iia, source=PartnerCopySource.FILE)
            except (IiaXmlError, AgreementContentError) as error:
                raise ValidationFailed({f"iia[{position}]": str(error)}) from None
            except ValidationFailed as error:
                raise ValidationFailed(
                    {f"iia[{position}].{name}": messages for name, messages in error.errors.items()}
                ) from None
    return importer.report
