"""The documents of the Outgoing Mobility Learning Agreements API v1 and its CNR receiver, the parsing of
update requests, and who a partner's approval or comment is attributed to.

Attribution: the mobilities services record a signature or a comment by a *user* holding the
receiving role (``signing_roles``: an admin or coordinator of the receiving institution). A partner
acting over EWP is no user of Accord, so its node is represented by one system account per partner
institution (:func:`partner_node_user`: username ``ewp:<hei_id>``, unusable password, an e-mail in
the reserved ``.invalid`` domain, coordinator of that institution only). It can never sign in; it
only lets the existing services record the partner's act with the same checks (order, hash, stale
versions, accepted participant) as a coordinator's. The person who signed at the partner is kept
in the signature's position and in the comment (signer name, position and e-mail as EWP sent them).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from accord.accounts.choices import Role
from accord.accounts.models import Membership, User
from accord.algorithms.ewp.learning_agreement import (
    EwpLearningAgreement,
    EwpLearningAgreementError,
    la_element,
)
from accord.ewp.node import xml
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import EwpError, xml_body

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
    ns = xml.OMOBILITY_LAS_UPDATE_RESPONSE
    root = etree.Element(qname(ns, "omobility-las-update-response"), nsmap={None: ns, "ewp": xml.COMMON})
    sub(root, xml.COMMON, "success-user-message", message)
    return xml.to_bytes(root)


def cnr_response() -> bytes:
    return xml.to_bytes(
        etree.Element(
            qname(xml.OMOBILITY_LA_CNR, "omobility-la-cnr-response"), nsmap={None: xml.OMOBILITY_LA_CNR}
        )
    )


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


# --- attribution ----------------------------------------------------------------------------------------


def partner_node_user(organisation) -> User:
    """The system account through which the partner institution's EWP node signs and comments (see the
    module docstring); created on first use. It cannot sign in (unusable password, ``.invalid`` e-mail)."""
    user, created = User.objects.get_or_create(
        username=f"ewp:{organisation.schac_code.lower()}"[:150],
        defaults={
            "email": f"ewp-node-{organisation.pk}@accord.invalid",
            "first_name": "EWP node of",
            "last_name": organisation.schac_code[:150],
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Role.COORDINATOR}
    )
    return user
