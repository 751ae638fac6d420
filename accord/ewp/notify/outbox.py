"""Change notifications (CNRs) to partners' EWP nodes, delivered reliably through an outbox.

The domain services publish events (``accord.agreements.events``, ``accord.mobilities.events``) inside
the transaction that makes the change; :mod:`accord.ewp.notify.subscribers` turns them into calls of the
``enqueue_*`` functions here, so the change and the debt to notify commit together (or not at all).
Enqueueing only reads the database: a row is owed to every partner with a SCHAC code that this node
does not serve itself, and whether the registry knows the partner is the sender's question, asked
after the change committed, never while its rows are locked. The sender (:func:`send_due`, run by a
Celery task on commit, every minute by ``celery beat`` and by ``manage.py ewp_send_outbox``) then
works from the rows alone:

* a partner that no host of the registry catalogue covers is not on the network: its row is marked
  skipped without a request;

* a partner's 2xx marks the row sent; a 4xx means the partner refuses this request, and sending it
  again would not change its mind, so the row fails at once;
* a 5xx, a network error or an untrusted response is retried after 1, 2, 4, … minutes (at most an
  hour apart) until the row is 24 hours old, when it expires: the partners' periodic index pulls,
  like ours (:mod:`accord.ewp.pull.iias`), catch up on whatever a lost notification announced;
* a row is claimed by moving its next attempt a lease ahead with a conditional UPDATE, so that two
  senders never send it at once and a sender that dies mid-way leaves it to be retried.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from lxml import etree

from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.celery import app
from accord.ewp.models import NotificationKind, NotificationStatus, OutgoingNotification
from accord.ewp.node import xml
from accord.ewp.node.catalogue import CatalogueError, get_catalogue
from accord.ewp.node.client import UntrustedResponse, node_client
from accord.ewp.node.mobility_scope import NOT_SERVED_SOURCES
from accord.ewp.selectors import served_institutions

logger = logging.getLogger(__name__)

LIFETIME = timedelta(hours=24)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)
_API = {
    NotificationKind.IIA: (xml.IIA_CNR_ENTRY, "iia-cnr"),
    NotificationKind.IIA_APPROVAL: (xml.IIA_APPROVAL_CNR_ENTRY, "iia-approval-cnr"),
    NotificationKind.OMOBILITY_LA: (xml.OMOBILITY_LA_CNR_ENTRY, "omobility-la-cnr"),
    NotificationKind.OMOBILITY: (xml.OMOBILITY_CNR_ENTRY, "omobility-cnr"),
    NotificationKind.IMOBILITY: (xml.IMOBILITY_CNR_ENTRY, "imobility-cnr"),
    NotificationKind.TOR: (xml.IMOBILITY_TOR_CNR_ENTRY, "imobility-tor-cnr"),
}


# --- writing (inside the domain's transaction) ------------------------------------------------------


def enqueue_iia_cnr(agreement) -> list[OutgoingNotification]:
    """Owe each partner of ``agreement`` reached over EWP an IIA CNR: our copy of it changed.

    Only agreements owned by an institution this node serves go out (others are not served), and only
    to partners that this node does not serve itself.
    """
    owner = agreement.owner
    if agreement.first_shared_at is None:
        return []  # never served, so nothing partners could fetch
    if not owner.schac_code or not served_institutions().filter(pk=owner.pk).exists():
        return []
    partners = [
        link.organisation.schac_code
        for link in agreement.party_links.select_related("organisation")
        if link.organisation_id != owner.pk and link.organisation.schac_code
    ]
    return [
        _enqueue(NotificationKind.IIA, owner.schac_code, hei_id, str(agreement.pk), agreement)
        for hei_id in _not_served_here(partners)
    ]


def enqueue_iia_approval_cnr(copy) -> list[OutgoingNotification]:
    """Owe the partner an IIA Approval CNR: our institution approved its copy ``copy`` (a PartnerCopy)."""
    owner = copy.agreement.owner
    if not owner.schac_code or not served_institutions().filter(pk=owner.pk).exists():
        return []
    return [
        _enqueue(NotificationKind.IIA_APPROVAL, owner.schac_code, hei_id, copy.remote_id, copy.agreement)
        for hei_id in _not_served_here([copy.organisation.schac_code or ""])
    ]


def enqueue_omobility_la_cnr(mobility) -> list[OutgoingNotification]:
    """Owe the receiving institution an OMobility LA CNR: the learning agreement of ``mobility`` (a
    Mobility) changed. Owed on each proposal, signature and comment the mobilities domain publishes.

    Only student mobilities sent by an institution this node serves go out (the others are not served
    by the Outgoing Mobility Learning Agreements API; a copy's agreement belongs to the sending node).
    The row's ``iia_id`` holds our omobility-id.
    """
    sender = mobility.sending_organisation
    receiver = mobility.receiving_organisation
    if mobility.is_staff_mobility or not sender.schac_code or mobility.source in NOT_SERVED_SOURCES:
        return []
    if not served_institutions().filter(pk=sender.pk).exists():
        return []
    return [
        _enqueue(NotificationKind.OMOBILITY_LA, sender.schac_code, hei_id, str(mobility.pk), None)
        for hei_id in _not_served_here([receiver.schac_code or ""])
    ]


def enqueue_omobility_cnr(mobility) -> list[OutgoingNotification]:
    """Owe the receiving institution an OMobility CNR: ``mobility`` (a Mobility) was created or changed
    (nomination, decision, participant), as the mobilities domain publishes.

    Only what the Outgoing Mobilities API serves goes out: student mobilities sent by an institution
    this node serves (never a copy of another node's mobility). The row's ``iia_id`` holds our
    omobility-id.
    """
    sender = mobility.sending_organisation
    if mobility.is_staff_mobility or not sender.schac_code or mobility.source in NOT_SERVED_SOURCES:
        return []
    if not served_institutions().filter(pk=sender.pk).exists():
        return []
    return [
        _enqueue(NotificationKind.OMOBILITY, sender.schac_code, hei_id, str(mobility.pk), None)
        for hei_id in _not_served_here([mobility.receiving_organisation.schac_code or ""])
    ]


def enqueue_imobility_cnr(mobility) -> list[OutgoingNotification]:
    """Owe the sending institution an IMobility CNR: the actual dates of our copy ``mobility`` of its
    mobility changed. Only copies have an omobility-id the sending node knows (its own)."""
    receiver = mobility.receiving_organisation
    copy = getattr(mobility, "ewp_remote", None) if mobility.source == "ewp" else None
    if copy is None or not receiver.schac_code:
        return []
    if not served_institutions().filter(pk=receiver.pk).exists():
        return []
    return [
        _enqueue(NotificationKind.IMOBILITY, receiver.schac_code, hei_id, copy.omobility_id, None)
        for hei_id in _not_served_here([copy.sending_hei_id])
    ]


def enqueue_tor_cnr(mobility) -> list[OutgoingNotification]:
    """Owe the sending institution an IMobility ToR CNR: the transcript of ``mobility`` (a Mobility) was
    recorded or changed. Owed when the mobilities domain publishes ``TranscriptRecorded``.

    Only transcripts of mobilities whose receiving institution this node serves go out (the others are
    not served by the Incoming Mobility ToRs API). The row's ``iia_id`` holds the omobility-id: the
    sending node's id when the mobility is our copy of its mobility, ours otherwise.
    """
    receiver = mobility.receiving_organisation
    if not receiver.schac_code or not served_institutions().filter(pk=receiver.pk).exists():
        return []
    copy = getattr(mobility, "ewp_remote", None) if mobility.source == "ewp" else None
    omobility_id = copy.omobility_id if copy else str(mobility.pk)
    sender = copy.sending_hei_id if copy else mobility.sending_organisation.schac_code or ""
    return [
        _enqueue(NotificationKind.TOR, receiver.schac_code, hei_id, omobility_id, None)
        for hei_id in _not_served_here([sender])
    ]


def partner_on_ewp(sender, receiver) -> bool:
    """Whether ``receiver`` (an Organisation) learns of ``sender``'s mobilities over EWP: the sender is
    served here, and the receiver is not but a host of the registry covers it. Registered as the
    ``ewp`` partner network (``accord.core.networks``); it may read the catalogue over the network, so
    the domain asks it before opening its transaction."""
    if not (sender.schac_code and served_institutions().filter(pk=sender.pk).exists()):
        return False
    return bool(on_network(_not_served_here([receiver.schac_code or ""])))


def on_network(hei_ids: list[str]) -> list[str]:
    """The institutions among ``hei_ids`` that a host of the registry catalogue covers; all of them
    when the catalogue cannot be read (the sender decides later)."""
    try:
        catalogue = get_catalogue()
    except CatalogueError:
        return list(hei_ids)
    return [hei_id for hei_id in hei_ids if catalogue.hosts_covering(hei_id)]


def _not_served_here(hei_ids: list[str]) -> list[str]:
    served = {hei_id.lower() for hei_id in served_institutions().values_list("schac_code", flat=True)}
    return [hei_id for hei_id in hei_ids if hei_id and hei_id.lower() not in served]


def _enqueue(kind: str, sender: str, partner: str, iia_id: str, agreement) -> OutgoingNotification:
    now = timezone.now()
    pending = (
        OutgoingNotification.objects.select_for_update()
        .filter(kind=kind, partner_hei_id=partner, iia_id=iia_id, status=NotificationStatus.PENDING)
        .first()
    )
    if pending is not None:
        # One pending notification says it all; it is sent again from now, with a new day to live.
        pending.next_attempt_at, pending.expires_at, pending.attempts = now, now + LIFETIME, 0
        pending.save(update_fields=["next_attempt_at", "expires_at", "attempts"])
        notification = pending
    else:
        notification = OutgoingNotification.objects.create(
            kind=kind,
            sender_hei_id=sender,
            partner_hei_id=partner,
            iia_id=iia_id,
            agreement=agreement,
            next_attempt_at=now,
            expires_at=now + LIFETIME,
        )
    transaction.on_commit(ewp_send_outbox.delay)
    return notification


def rearm(notification: OutgoingNotification) -> None:
    """Send a given-up notification (refused or expired) again, from now, with a new day of retries.
    The caller holds the row's lock and has checked that no other row of the same change is pending."""
    now = timezone.now()
    notification.status = NotificationStatus.PENDING
    notification.next_attempt_at, notification.expires_at, notification.attempts = now, now + LIFETIME, 0
    notification.save(update_fields=["status", "next_attempt_at", "expires_at", "attempts"])
    transaction.on_commit(ewp_send_outbox.delay)


# --- sending ------------------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: list[OutgoingNotification] = field(default_factory=list)
    failed: list[OutgoingNotification] = field(default_factory=list)
    retrying: list[OutgoingNotification] = field(default_factory=list)
    skipped: list[OutgoingNotification] = field(default_factory=list)
    expired: int = 0


class _Refused(Exception):
    """The notification cannot be delivered, and trying again will not change that."""


class _Unavailable(Exception):
    """The partner could not be reached this time."""


class _NotOnNetwork(Exception):
    """No host of the registry covers the partner: it does not use EWP (or not yet)."""


def send_due(*, now: datetime | None = None, limit: int = 200) -> SendReport:
    """Send the notifications that are due, at most ``limit`` of them; safe to run in parallel."""
    now = now or timezone.now()
    report = SendReport()
    report.expired = OutgoingNotification.objects.filter(
        status=NotificationStatus.PENDING, expires_at__lte=now
    ).update(status=NotificationStatus.EXPIRED, last_error="Not delivered within 24 hours.")
    due = OutgoingNotification.objects.filter(
        status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:limit]
    for pk in list(due):
        claimed = OutgoingNotification.objects.filter(
            pk=pk, status=NotificationStatus.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
        if not claimed:
            continue  # another sender took it
        notification = OutgoingNotification.objects.get(pk=pk)
        _deliver(notification, now, report)
    return report


def _deliver(notification: OutgoingNotification, now: datetime, report: SendReport) -> None:
    status_code = None
    try:
        status_code = _post(notification)
    except _NotOnNetwork as exc:
        _finish(notification, NotificationStatus.SKIPPED, status_code=None, error=exc.args[0])
        report.skipped.append(notification)
    except _Refused as exc:
        _finish(notification, NotificationStatus.FAILED, status_code=exc.args[1], error=exc.args[0])
        report.failed.append(notification)
    except _Unavailable as exc:
        delay = min(FIRST_RETRY * 2 ** (notification.attempts - 1), LONGEST_RETRY)
        _finish(
            notification,
            NotificationStatus.PENDING,
            status_code=exc.args[1],
            error=exc.args[0],
            next_attempt_at=now + delay,
        )
        report.retrying.append(notification)
    else:
        _finish(notification, NotificationStatus.SENT, status_code=status_code, sent_at=timezone.now())
        report.sent.append(notification)


def _finish(
    notification: OutgoingNotification, status: str, *, status_code, error: str = "", **fields
) -> None:
    # Conditional on expires_at: a change enqueued while this one was in flight re-armed the row, and
    # then it must stay pending, due now, whatever this attempt gave.
    fields = {"status": status, "last_status_code": status_code, "last_error": error[:2000], **fields}
    updated = OutgoingNotification.objects.filter(
        pk=notification.pk, expires_at=notification.expires_at
    ).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(notification, name, value)
    if status not in (NotificationStatus.SENT, NotificationStatus.SKIPPED):
        logger.warning("EWP notification %s: %s", notification, error)


def _post(notification: OutgoingNotification) -> int:
    namespace, name = _API[NotificationKind(notification.kind)]
    try:
        catalogue = get_catalogue()
    except CatalogueError as exc:
        raise _Unavailable(f"the registry catalogue cannot be read: {exc}", None) from exc
    if not catalogue.hosts_covering(notification.partner_hei_id):
        raise _NotOnNetwork(f"no host of the registry covers {notification.partner_hei_id}")
    api = catalogue.api(notification.partner_hei_id, namespace, name)
    if api is None or not api.urls.get("url"):
        raise _Refused(f"the registry lists no {name} API for {notification.partner_hei_id}", None)
    if notification.kind == NotificationKind.IIA:
        data = {"notifier_hei_id": notification.sender_hei_id, "iia_id": notification.iia_id}
    elif notification.kind in (NotificationKind.OMOBILITY_LA, NotificationKind.OMOBILITY):
        data = {"sending_hei_id": notification.sender_hei_id, "omobility_id": notification.iia_id}
    elif notification.kind == NotificationKind.IMOBILITY:
        data = {"receiving_hei_id": notification.sender_hei_id, "omobility_id": notification.iia_id}
    elif notification.kind == NotificationKind.TOR:
        # ToR CNR v2 names only the mobility; the receiver knows the notifier by the request's signature.
        data = {"omobility_id": notification.iia_id}
    else:
        data = {
            "approving_hei_id": notification.sender_hei_id,
            "owner_hei_id": notification.partner_hei_id,
            "iia_id": notification.iia_id,
        }
    try:
        # The answer to a CNR is empty, so there is nothing to trust in it: TLS authenticates the server.
        response = node_client(verify_responses=False).post(api.urls["url"], data=data)
    except (requests.RequestException, UntrustedResponse, RuntimeError) as exc:
        raise _Unavailable(str(exc), None) from exc
    if 200 <= response.status_code < 300:
        return response.status_code
    message = f"HTTP {response.status_code}: {_developer_message(response.content)}"
    if 400 <= response.status_code < 500:
        raise _Refused(message, response.status_code)
    raise _Unavailable(message, response.status_code)


def _developer_message(document: bytes) -> str:
    try:
        root = parse_untrusted_xml(document)
    except (etree.XMLSyntaxError, ValueError):
        return document[:200].decode("utf-8", "replace")
    return (root.findtext(f"{{{xml.COMMON}}}developer-message") or "").strip()[:500]


@app.task(acks_late=True)
def ewp_send_outbox() -> dict[str, int]:
    """Send the notifications that are due: queued on commit of each change by :func:`_enqueue`
    (here, so that queueing needs no import of the task modules), and every minute by beat."""
    report = send_due()
    return {
        "sent": len(report.sent),
        "failed": len(report.failed),
        "retrying": len(report.retrying),
        "expired": report.expired,
        "skipped": len(report.skipped),
    }
