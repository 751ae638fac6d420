"""Celery tasks of the EWP node: thin shells over the outbox and the partner client.

A fetch triggered by a partner's notification that fails is only logged: the periodic pull
(``ewp_pull``) catches up with whatever the notification announced.
"""

import logging

from accord.celery import app
from accord.ewp import outbox, partners

logger = logging.getLogger(__name__)


@app.task(acks_late=True)
def ewp_send_outbox() -> dict[str, int]:
    """Send the notifications that are due (on commit of each change, and every minute by beat)."""
    report = outbox.send_due()
    return {
        "sent": len(report.sent),
        "failed": len(report.failed),
        "retrying": len(report.retrying),
        "expired": report.expired,
    }


@app.task(acks_late=True)
def ewp_fetch_iias(partner_hei_id: str, iia_ids: list[str]) -> dict[str, int]:
    try:
        report = partners.fetch_iias(partner_hei_id, iia_ids)
    except partners.PartnerUnavailable as exc:
        logger.warning("Fetching IIAs %s of %s failed: %s", iia_ids, partner_hei_id, exc)
        return {"received": 0}
    return {"received": len(report.received), "unverified": len(report.unverified)}


@app.task(acks_late=True)
def ewp_fetch_approvals(partner_hei_id: str, iia_ids: list[str]) -> dict[str, int]:
    try:
        report = partners.fetch_approvals(partner_hei_id, iia_ids)
    except partners.PartnerUnavailable as exc:
        logger.warning("Fetching approvals %s from %s failed: %s", iia_ids, partner_hei_id, exc)
        return {"approved": 0}
    return {"approved": len(report.approved), "stale": len(report.stale_approvals)}


@app.task(acks_late=True)
def ewp_pull() -> dict[str, str]:
    """The safety net behind notifications (hourly by beat): every partner's changed IIAs."""
    return {
        hei_id: result if isinstance(result, str) else f"{len(result.received)} received"
        for hei_id, result in partners.pull_all().items()
    }


@app.task(acks_late=True)
def ewp_refresh_omobility_las(sending_hei_id: str, omobility_ids: list[str]) -> dict[str, int]:
    """A partner's learning agreements changed (OMobility LA CNR). Accord keeps no copy of learning
    agreements another node owns yet, so the notification is logged for the receiving coordinators;
    fetching and storing the partner's ``la`` is open work (issue 6)."""
    logger.info("Learning agreements %s of %s changed (OMobility LA CNR).", omobility_ids, sending_hei_id)
    return {"notified": len(omobility_ids)}
