"""Accord as a receiving node of Outgoing Mobility Learning Agreements v1: the learning agreements of our
mobility copies, fetched from their sending nodes, and the receiving institution's approvals and
comments forwarded to them.

* **Fetching** (:func:`refresh`, run by the OMobility LA CNR task; :func:`pull_all`, hourly by beat):
  the sending node's ``get`` (signed client, chunks of its ``max-omobility-ids``) for the copies named.
  A mobility we hold no copy of is first fetched through the Outgoing Mobilities API
  (:func:`accord.ewp.pull.omobilities.fetch_omobilities`). Each ``la`` is read safely and recorded on the
  copy by :func:`accord.mobilities.services.learning_agreement_copies.la_copy_receive`, with the
  sending institution's signatures attributed to its node's system account
  (:func:`accord.ewp.services.partner_node_user`). A copy the sender serves nothing for (its
  first proposal was withdrawn or returned with comments) no longer shows a pending proposal. The
  pull asks the ``index`` for what changed since the oldest ``la_fetched_at`` of that partner's
  copies (less a margin for clocks).
* **Forwarding** (registered in ``EwpConfig.ready``): approving or commenting a proposal on a copy
  first asks the sending node's ``get`` for the proposal it serves now. Only when that is the version
  being signed (same components hash, see ``proposal_digest``) is an ``omobility-las-update-request``
  POSTed to its ``update-url``, with the ``changes-proposal-id`` it served and the signer's name,
  position, e-mail and time. A 409 becomes ``Conflict``, any other refusal, an unreachable node or an
  untrusted answer ``DomainError``, each with the partner's message, so that nothing is recorded.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

import requests
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from accord.algorithms.ewp.learning_agreement import (
    SIGNER_APP,
    EwpLearningAgreement,
    EwpLearningAgreementError,
    parse_la,
)
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.core.errors import Conflict, DomainError
from accord.ewp.models import RemoteMobility
from accord.ewp.node import xml
from accord.ewp.node.client import (
    PartnerUnavailable,
    UntrustedResponse,
    call_partner,
    chunks,
    node_client,
    partner_api,
)
from accord.ewp.node.xml import qname, sub
from accord.ewp.pull.iias import CLOCK_MARGIN
from accord.ewp.pull.omobilities import fetch_omobilities
from accord.ewp.services import partner_node_user
from accord.mobilities import remote
from accord.mobilities.choices import SignerRole
from accord.mobilities.services.learning_agreement_copies import (
    la_copy_receive,
    la_copy_unserved,
    received_proposal,
)

logger = logging.getLogger(__name__)

OMLA_API = (xml.OMOBILITY_LAS_ENTRY, "omobility-las")


@dataclass
class LaFetchReport:
    stored: list[str] = field(default_factory=list)
    """Omobility-ids whose learning agreement was recorded (changed or not), or found not served."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(omobility-id, why) of those that were not."""


# --- fetching -------------------------------------------------------------------------------------------


def _copies(sending_hei_id: str, omobility_ids: list[str]) -> dict[str, RemoteMobility]:
    copies = RemoteMobility.objects.filter(
        sending_hei_id=sending_hei_id.lower(), omobility_id__in=omobility_ids
    ).select_related(
        "mobility__sending_organisation", "mobility__receiving_organisation", "mobility__participant"
    )
    return {copy.omobility_id: copy for copy in copies}


def _ensure_copies(sending_hei_id: str, omobility_ids: list[str]) -> None:
    """Fetch, through the Outgoing Mobilities API, the mobilities we hold no copy of yet."""
    missing = sorted(set(omobility_ids) - set(_copies(sending_hei_id, omobility_ids)))
    if not missing:
        return
    try:
        fetch_omobilities(sending_hei_id, missing)
    except PartnerUnavailable as exc:
        logger.warning("Fetching mobilities %s of %s failed: %s", missing, sending_hei_id, exc)


def fetch_las(
    sending_hei_id: str, omobility_ids: list[str], report: LaFetchReport | None = None
) -> LaFetchReport:
    """Fetch the learning agreements of our copies among ``omobility_ids`` and record them; ids of
    mobilities we hold no copy of are ignored. Raises :class:`PartnerUnavailable`."""
    report = report or LaFetchReport()
    copies = _copies(sending_hei_id, list(dict.fromkeys(omobility_ids)))
    if not copies:
        return report
    api = partner_api(sending_hei_id, *OMLA_API)
    for chunk in chunks(sorted(copies), api.limits.get("max-omobility-ids", 1)):
        data = [("sending_hei_id", sending_hei_id), *(("omobility_id", value) for value in chunk)]
        root = call_partner(api.urls.get("get-url", ""), data, "omobility-las-get-response")
        for element in root.iterchildren(qname(xml.OMOBILITY_LAS_GET, "la")):
            _store(element, copies, report)
        for omobility_id in chunk:
            if omobility_id not in report.stored and omobility_id not in dict(report.skipped):
                _unserved(copies[omobility_id], report)
    return report


def _unserved(copy: RemoteMobility, report: LaFetchReport) -> None:
    """The sender serves nothing for a mobility it owns: nothing is awaiting us any more."""
    mobility = copy.mobility
    la_copy_unserved(mobility=mobility, sending_signer=partner_node_user(mobility.sending_organisation))
    RemoteMobility.objects.filter(pk=copy.pk).update(la_fetched_at=timezone.now())
    report.stored.append(copy.omobility_id)


def _store(element: etree._Element, copies: dict[str, RemoteMobility], report: LaFetchReport) -> None:
    omobility_id = (element.findtext(qname(xml.OMOBILITY_LAS_GET, "omobility-id")) or "").strip()
    copy = copies.get(omobility_id)
    if copy is None:
        report.skipped.append((omobility_id, "not one of the mobilities asked for"))
        return
    try:
        received = parse_la(element)
        la_copy_receive(
            mobility=copy.mobility,
            received=received,
            sending_signer=partner_node_user(copy.mobility.sending_organisation),
        )
    except (EwpLearningAgreementError, DomainError) as exc:
        report.skipped.append((omobility_id, str(exc)))
        logger.warning(
            "Learning agreement %s of %s was not recorded: %s", omobility_id, copy.sending_hei_id, exc
        )
        return
    RemoteMobility.objects.filter(pk=copy.pk).update(la_fetched_at=timezone.now())
    report.stored.append(omobility_id)


def refresh(sending_hei_id: str, omobility_ids: list[str]) -> LaFetchReport:
    """The sending node says these learning agreements changed (OMobility LA CNR): record them, fetching
    first the mobilities we hold no copy of. Raises :class:`PartnerUnavailable`."""
    _ensure_copies(sending_hei_id, omobility_ids)
    return fetch_las(sending_hei_id, omobility_ids)


def fetch_la_ids(sending_hei_id: str, *, modified_since: datetime | None = None) -> list[str]:
    """The omobility-ids of the sending node's learning agreements it lets us see (index endpoint)."""
    api = partner_api(sending_hei_id, *OMLA_API)
    data = [("sending_hei_id", sending_hei_id)]
    if modified_since is not None:
        data.append(("modified_since", modified_since.isoformat(timespec="seconds")))
    root = call_partner(api.urls.get("index-url", ""), data, "omobility-las-index-response")
    return [text.strip() for text in root.xpath("./*[local-name()='omobility-id']/text()")]


def pull(sending_hei_id: str) -> LaFetchReport:
    """Catch up with one sending node without relying on its notifications: its learning agreements
    changed since the oldest fetch of our copies (all of them when one was never fetched)."""
    started = timezone.now()
    copies = RemoteMobility.objects.filter(sending_hei_id=sending_hei_id.lower())
    never = copies.filter(la_fetched_at__isnull=True).exists()
    oldest = copies.aggregate(oldest=Min("la_fetched_at"))["oldest"]
    since = oldest - CLOCK_MARGIN if oldest and not never else None
    report = refresh(sending_hei_id, fetch_la_ids(sending_hei_id, modified_since=since))
    failed = [omobility_id for omobility_id, _why in report.skipped]
    copies.exclude(omobility_id__in=failed).update(la_fetched_at=started)
    return report


def pull_all() -> dict[str, LaFetchReport | str]:
    """Every sending node we hold copies of and the registry lists an OMLA API for."""
    results: dict[str, LaFetchReport | str] = {}
    for hei_id in sorted(set(RemoteMobility.objects.values_list("sending_hei_id", flat=True))):
        try:
            results[hei_id] = pull(hei_id)
        except PartnerUnavailable as exc:
            logger.warning("Pulling the learning agreements of %s failed: %s", hei_id, exc)
            results[hei_id] = str(exc)
    return results


# --- forwarding the receiving institution's acts ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpdateSignature:
    signer_name: str
    signer_position: str
    signer_email: str
    timestamp: datetime


def update_request(
    *,
    sending_hei_id: str,
    omobility_id: str,
    proposal_id: str,
    signature: UpdateSignature,
    comment: str | None,
) -> bytes:
    """An ``omobility-las-update-request``: approve-proposal-v1, or comment-proposal-v1 with ``comment``."""
    ns, la = xml.OMOBILITY_LAS_UPDATE_REQUEST, xml.OMOBILITY_LAS_GET
    root = etree.Element(qname(ns, "omobility-las-update-request"), nsmap={None: ns, "la": la})
    sub(root, ns, "sending-hei-id", sending_hei_id)
    update = sub(root, ns, "approve-proposal-v1" if comment is None else "comment-proposal-v1")
    sub(update, ns, "omobility-id", omobility_id)
    sub(update, ns, "changes-proposal-id", proposal_id)
    if comment is not None:
        sub(update, ns, "comment", comment)
    signed = sub(update, ns, "signature")
    for name, value in (
        ("signer-name", signature.signer_name),
        ("signer-position", signature.signer_position),
        ("signer-email", signature.signer_email),
    ):
        if value:
            sub(signed, la, name, value)
    sub(signed, la, "timestamp", signature.timestamp.isoformat())
    sub(signed, la, "signer-app", SIGNER_APP)
    return xml.to_bytes(root)


def _unreachable(exc: Exception) -> DomainError:
    return DomainError(
        _("The sending institution's system cannot be reached (%(error)s); nothing was recorded.")
        % {"error": exc},
        code="partner_unavailable",
    )


def _served(copy: RemoteMobility) -> EwpLearningAgreement:
    """The learning agreement the sending node serves now for ``copy``."""
    api = partner_api(copy.sending_hei_id, *OMLA_API)
    data = [("sending_hei_id", copy.sending_hei_id), ("omobility_id", copy.omobility_id)]
    root = call_partner(api.urls.get("get-url", ""), data, "omobility-las-get-response")
    for element in root.iterchildren(qname(xml.OMOBILITY_LAS_GET, "la")):
        if (
            element.findtext(qname(xml.OMOBILITY_LAS_GET, "omobility-id")) or ""
        ).strip() == copy.omobility_id:
            return parse_la(element)
    raise Conflict(
        _("The sending institution no longer serves this learning agreement to us."), code="stale_version"
    )


def _partner_message(content: bytes) -> str:
    try:
        root = parse_untrusted_xml(content)
    except (etree.XMLSyntaxError, ValueError):
        return ""
    return (root.findtext(qname(xml.COMMON, "developer-message")) or "").strip()[:500]


def _forward(mobility, *, actor, version, position: str = "", comment: str | None = None) -> None:
    copy = RemoteMobility.objects.filter(mobility=mobility).first()
    if copy is None:
        raise DomainError(_("This copy does not say which node owns it."), code="partner_unavailable")
    try:
        served = _served(copy)
        api = partner_api(copy.sending_hei_id, *OMLA_API)
    except PartnerUnavailable as exc:
        raise _unreachable(exc) from exc
    except EwpLearningAgreementError as exc:
        raise DomainError(
            _("The sending institution serves a learning agreement Accord cannot read: %(e)s") % {"e": exc}
        ) from exc
    key = received_proposal(served)
    if key is None or key[1] != version.components_hash:
        raise Conflict(
            _(
                "The sending institution no longer awaits an answer to version %(n)s; "
                "its current learning agreement will be fetched again."
            )
            % {"n": version.number},
            code="stale_version",
        )
    body = update_request(
        sending_hei_id=copy.sending_hei_id,
        omobility_id=copy.omobility_id,
        proposal_id=served.changes_proposal.proposal_id,
        signature=UpdateSignature(
            signer_name=str(actor),
            signer_position=position.strip() or str(SignerRole.RECEIVING.label),
            signer_email=actor.email,
            timestamp=timezone.now(),
        ),
        comment=comment,
    )
    try:
        response = node_client().post_xml(api.urls.get("update-url", ""), body)
    except (requests.RequestException, UntrustedResponse, RuntimeError) as exc:
        raise _unreachable(exc) from exc
    if response.status_code == 200:
        return
    message = _partner_message(response.content) or f"HTTP {response.status_code}"
    if response.status_code == 409:
        raise Conflict(_("The sending institution refused: %(m)s") % {"m": message}, code="remote_conflict")
    if 400 <= response.status_code < 500:
        raise DomainError(_("The sending institution refused: %(m)s") % {"m": message}, code="remote_refused")
    raise _unreachable(RuntimeError(message))


def forward_la_sign(mobility, *, actor, version, position: str = "") -> None:
    """The receiving institution approves ``version``, the proposal on the copy ``mobility``."""
    _forward(mobility, actor=actor, version=version, position=position)


def forward_la_comment(mobility, *, actor, version, text: str) -> None:
    """The receiving institution returns ``version`` with the comment ``text``."""
    _forward(mobility, actor=actor, version=version, comment=text)


def register_forwarders() -> None:
    remote.register("la_sign", forward_la_sign)
    remote.register("la_comment", forward_la_comment)
