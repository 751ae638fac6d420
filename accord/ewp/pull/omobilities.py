"""Accord as a receiving node: copies of the mobilities partners' nodes send us, and the receiving
institution's decision on a nomination forwarded to the sending node.

:func:`fetch_omobilities` asks the sending node's Outgoing Mobilities v3 ``get`` (signed client,
chunks of its ``max-omobility-ids``) and creates or updates our copy of each mobility whose receiving
institution this node serves: a ``Mobility`` with ``source="ewp"`` written through the mobilities
services by the sending institution's system account, with a ``RemoteMobility`` beside it. The
incoming student gets an account that cannot sign in (see :func:`incoming_student`). The master's
status is followed: approved → accepted, rejected or cancelled → cancelled.

The receiving institution's acceptance or rejection of a copy is forwarded by
:func:`forward_nomination` (registered in ``EwpConfig.ready``) to the sending node's ``update``; a
refusal or an unreachable node raises, so the copy does not change.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

import requests
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from accord.accounts.models import User
from accord.algorithms.ewp.mobility import (
    OMOBILITIES_NAMESPACE,
    EwpMobilityError,
    EwpStudentMobility,
    parse_student_mobility,
)
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.core.errors import Conflict, DomainError
from accord.ewp import selectors
from accord.ewp.models import MobilityPull, RemoteMobility
from accord.ewp.node import xml
from accord.ewp.node.client import (
    PartnerUnavailable,
    UntrustedResponse,
    call_partner,
    chunks,
    node_client,
    partner_api,
)
from accord.ewp.node.iia_content import IiaReceiver
from accord.ewp.pull.iias import CLOCK_MARGIN, partners_to_pull
from accord.ewp.serve.omobilities import NominationDecision, update_request
from accord.ewp.services import partner_node_user
from accord.mobilities import services as mobility_services
from accord.mobilities.choices import MobilityStatus, MobilityType
from accord.mobilities.models import ParticipantDetails

logger = logging.getLogger(__name__)

MOBILITY_TYPES = {
    "long-term": MobilityType.LONG_TERM_PHYSICAL,
    "short-term-blended": MobilityType.BLENDED,
    "short-term-doctoral": MobilityType.SHORT_TERM_DOCTORAL,
}
FOLLOWED = {
    "approved": MobilityStatus.ACCEPTED,
    "rejected": MobilityStatus.CANCELLED,
    "cancelled": MobilityStatus.CANCELLED,
}


@dataclass
class MobilityFetchReport:
    received: list[RemoteMobility] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(omobility-id, why) of the mobilities that were not stored."""


def fetch_omobility_ids(sending_hei_id: str, *, modified_since: datetime | None = None) -> list[str]:
    """The ids of the sending node's mobilities that it lets us see (index endpoint)."""
    api = partner_api(sending_hei_id, xml.OMOBILITIES_ENTRY, "omobilities")
    data = [("sending_hei_id", sending_hei_id)]
    if modified_since is not None:
        data.append(("modified_since", modified_since.isoformat(timespec="seconds")))
    root = call_partner(api.urls.get("index-url", ""), data, "omobilities-index-response")
    return [text.strip() for text in root.xpath("./*[local-name()='omobility-id']/text()")]


def fetch_omobilities(
    sending_hei_id: str, omobility_ids: list[str], report: MobilityFetchReport | None = None
) -> MobilityFetchReport:
    """Fetch the sending node's mobilities by its ids and create or update our copies. Ids it does not
    return (unknown, or not ours to see) are left alone. Raises :class:`PartnerUnavailable`."""
    report = report or MobilityFetchReport()
    api = partner_api(sending_hei_id, xml.OMOBILITIES_ENTRY, "omobilities")
    for chunk in chunks(list(dict.fromkeys(omobility_ids)), api.limits.get("max-omobility-ids", 1)):
        data = [("sending_hei_id", sending_hei_id), *(("omobility_id", value) for value in chunk)]
        root = call_partner(api.urls.get("get-url", ""), data, "omobilities-get-response")
        for element in root.iterchildren(f"{{{OMOBILITIES_NAMESPACE}}}student-mobility"):
            _receive(element, sending_hei_id, report)
    return report


def _receive(element: etree._Element, sending_hei_id: str, report: MobilityFetchReport) -> None:
    omobility_id = (element.findtext(f"{{{OMOBILITIES_NAMESPACE}}}omobility-id") or "").strip()
    try:
        received = parse_student_mobility(element)
    except EwpMobilityError as exc:
        report.skipped.append((omobility_id, str(exc)))
        logger.warning("Mobility %s of %s was not stored: %s", omobility_id, sending_hei_id, exc)
        return
    receiver = selectors.served_institution(received.receiving_hei_id)
    if received.sending_hei_id.lower() != sending_hei_id.lower() or receiver is None:
        report.skipped.append((omobility_id, f"not a mobility from {sending_hei_id} to an HEI we serve"))
        return
    try:
        with transaction.atomic():
            report.received.append(_store(received, receiver))
    except DomainError as exc:
        report.skipped.append((omobility_id, str(exc)))
        logger.warning("Mobility %s of %s was not stored: %s", omobility_id, sending_hei_id, exc)


def _store(received: EwpStudentMobility, receiver) -> RemoteMobility:
    sender = IiaReceiver(receiver, default_country=None).organisation(received.sending_hei_id)
    actor = partner_node_user(sender)
    remote = (
        RemoteMobility.objects.select_for_update()
        .select_related("mobility")
        .filter(sending_hei_id=received.sending_hei_id.lower(), omobility_id=received.omobility_id)
        .first()
    )
    # The student's name may change at the sending institution; the person may not (EWP: immutable).
    participant = incoming_student(received)
    receiving_unit = None
    if received.receiving_ounit_id:
        receiving_unit = next(iter(selectors.units_by_id(receiver, [received.receiving_ounit_id])), None)
    mobility = mobility_services.mobility_copy_save(
        actor=actor,
        mobility=remote.mobility if remote else None,
        participant=participant,
        mobility_type=MOBILITY_TYPES[received.activity_attributes],
        sending_organisation=sender,
        receiving_organisation=receiver,
        academic_year=received.receiving_academic_year,
        eqf_level=received.eqf_level,
        isced_code=received.nominee_isced,
        receiving_unit=receiving_unit,
    )
    mobility_services.participant_details_save(
        actor=actor,
        participant=participant,
        birth_date=received.birth_date,
        nationality=received.nationality,
        gender=received.gender,
        global_id=received.global_id,
    )
    followed = FOLLOWED.get(received.status)
    if followed is not None:
        reason = {"rejected": "Rejected (as the sending institution's node reports)."}.get(
            received.status, ""
        )
        mobility_services.mobility_copy_follow(actor=actor, mobility=mobility, status=followed, reason=reason)
    remote, _created = RemoteMobility.objects.update_or_create(
        sending_hei_id=received.sending_hei_id.lower(),
        omobility_id=received.omobility_id,
        defaults={
            "mobility": mobility,
            "remote_status": received.status,
            "proposal_id": received.proposal_id,
            "fetched_at": timezone.now(),
        },
    )
    return remote


def incoming_student(received: EwpStudentMobility) -> User:
    """The account of a student another node sends us, created with no usable password since the
    student signs in at home, and found again by European Student Identifier or e-mail. Only accounts
    created this way are matched: a partner's node must not be able to attach a mobility to, or rename,
    an account somebody signs in with here. They follow the sending node's name and e-mail."""
    created_here = User.objects.filter(
        username__startswith="ewp-student:", password__startswith=UNUSABLE_PASSWORD_PREFIX
    )
    digest = hashlib.sha256(f"{received.sending_hei_id}\n{received.global_id}".encode()).hexdigest()[:32]
    username = f"ewp-student:{digest}"
    details = (
        ParticipantDetails.objects.filter(global_id=received.global_id, user__in=created_here)
        .select_related("user")
        .first()
    )
    user = (
        details.user
        if details
        else created_here.filter(Q(username=username) | Q(email__iexact=received.email)).first()
    )
    if user is None:
        # A placeholder while the student's e-mail belongs to an account of somebody here.
        user = User(username=username, email=f"ewp-student-{digest}@accord.invalid")
        user.set_unusable_password()
    user.first_name, user.last_name = received.given_names[:150], received.family_name[:150]
    if not User.objects.filter(email__iexact=received.email).exclude(pk=user.pk).exists():
        user.email = received.email
    user.save()
    return user


# --- the periodic pull ----------------------------------------------------------------------------------


def pull(sending_hei_id: str) -> MobilityFetchReport:
    """Catch up with one sending node without relying on its notifications."""
    started = timezone.now()
    last = MobilityPull.objects.filter(partner_hei_id=sending_hei_id.lower()).first()
    since = last.pulled_at - CLOCK_MARGIN if last and last.pulled_at else None
    report = fetch_omobilities(sending_hei_id, fetch_omobility_ids(sending_hei_id, modified_since=since))
    MobilityPull.objects.update_or_create(
        partner_hei_id=sending_hei_id.lower(),
        defaults={
            "pulled_at": started,
            "attempted_at": started,
            "received": len(report.received),
            "error": "",
        },
    )
    return report


def pull_all() -> dict[str, MobilityFetchReport | str]:
    """Every partner that may send us students: those of our agreements and of our copies."""
    hei_ids = set(partners_to_pull()) | set(RemoteMobility.objects.values_list("sending_hei_id", flat=True))
    results: dict[str, MobilityFetchReport | str] = {}
    for hei_id in sorted(hei_ids):
        try:
            results[hei_id] = pull(hei_id)
        except PartnerUnavailable as exc:
            logger.warning("Pulling the mobilities of %s failed: %s", hei_id, exc)
            results[hei_id] = str(exc)
            MobilityPull.objects.update_or_create(
                partner_hei_id=hei_id.lower(),
                defaults={"attempted_at": timezone.now(), "received": 0, "error": str(exc)},
            )
    return results


# --- forwarding the receiving institution's decision ---------------------------------------------------


def _partner_message(content: bytes) -> str:
    try:
        root = parse_untrusted_xml(content)
    except (etree.XMLSyntaxError, ValueError):
        return ""
    return (root.findtext(f"{{{xml.COMMON}}}developer-message") or "").strip()[:500]


def forward_nomination(mobility, *, approve: bool, actor=None, reason: str = "") -> None:
    """POST the receiving institution's decision on ``mobility`` (a copy) to the sending node's update
    endpoint; raises ``Conflict`` (the nomination changed there) or ``DomainError`` with the partner's
    message when it refuses, and ``DomainError`` when it cannot be reached."""
    remote = RemoteMobility.objects.get(mobility=mobility)
    if not remote.proposal_id:
        raise DomainError(_("This copy was never fetched from the sending institution: refresh it first."))
    try:
        api = partner_api(remote.sending_hei_id, xml.OMOBILITIES_ENTRY, "omobilities")
    except PartnerUnavailable as exc:
        raise DomainError(
            _("The sending institution's system cannot be reached: %(error)s") % {"error": exc}
        ) from exc
    body = update_request(NominationDecision(approve, remote.omobility_id, remote.proposal_id, reason))
    try:
        response = node_client().post_xml(api.urls.get("update-url", ""), body)
    except (requests.RequestException, UntrustedResponse, RuntimeError) as exc:
        raise DomainError(
            _("The sending institution's system cannot be reached: %(error)s") % {"error": exc}
        ) from exc
    if response.status_code == 200:
        return
    message = _partner_message(response.content) or f"HTTP {response.status_code}"
    if response.status_code == 409:
        raise Conflict(
            _("The sending institution refused: %(message)s") % {"message": message}, code="remote_conflict"
        )
    if 400 <= response.status_code < 500:
        raise DomainError(_("The sending institution refused: %(message)s") % {"message": message})
    raise DomainError(
        _("The sending institution's system failed (%(message)s); try again later.") % {"message": message}
    )


def forward_nomination_accept(mobility, *, actor=None, reason: str = "") -> None:
    forward_nomination(mobility, approve=True, actor=actor, reason=reason)


def forward_nomination_reject(mobility, *, actor=None, reason: str = "") -> None:
    forward_nomination(mobility, approve=False, actor=actor, reason=reason)
