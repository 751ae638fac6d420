"""Celery tasks of the EWP node: thin shells over the pulls (:mod:`accord.ewp.pull`). The outbox's
sender task lives beside the outbox (:func:`accord.ewp.notify.outbox.ewp_send_outbox`), which queues it.

A fetch triggered by a partner's notification that fails is only logged: the periodic pull
(``ewp_pull``) catches up with whatever the notification announced.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from accord.celery import app
from accord.core.errors import Conflict
from accord.core.jobs import JobProgress, job_handler
from accord.core.models import Job
from accord.ewp.node.client import PartnerUnavailable
from accord.ewp.node.keys import node_private_key
from accord.ewp.pull import iias, imobilities, omobilities, omobility_las, tors
from accord.ewp.selftest import run_selftest
from accord.ewp.serve.discovery import own_manifest_url

logger = logging.getLogger(__name__)


@app.task(acks_late=True)
def ewp_fetch_iias(partner_hei_id: str, iia_ids: list[str]) -> dict[str, int]:
    try:
        report = iias.fetch_iias(partner_hei_id, iia_ids)
    except PartnerUnavailable as exc:
        logger.warning("Fetching IIAs %s of %s failed: %s", iia_ids, partner_hei_id, exc)
        return {"received": 0}
    return {"received": len(report.received), "unverified": len(report.unverified)}


@app.task(acks_late=True)
def ewp_fetch_approvals(partner_hei_id: str, iia_ids: list[str]) -> dict[str, int]:
    try:
        report = iias.fetch_approvals(partner_hei_id, iia_ids)
    except PartnerUnavailable as exc:
        logger.warning("Fetching approvals %s from %s failed: %s", iia_ids, partner_hei_id, exc)
        return {"approved": 0}
    return {"approved": len(report.approved), "stale": len(report.stale_approvals)}


@app.task(acks_late=True)
def ewp_pull() -> dict[str, str]:
    """The safety net behind notifications (hourly by beat): every partner's changed IIAs."""
    return {
        hei_id: result if isinstance(result, str) else f"{len(result.received)} received"
        for hei_id, result in iias.pull_all().items()
    }


@app.task(acks_late=True)
def ewp_refresh_omobility_las(sending_hei_id: str, omobility_ids: list[str]) -> dict[str, int]:
    """A partner's learning agreements changed (OMobility LA CNR): record them on our copies."""
    try:
        report = omobility_las.refresh(sending_hei_id, omobility_ids)
    except PartnerUnavailable as exc:
        logger.warning("Fetching learning agreements %s of %s failed: %s", omobility_ids, sending_hei_id, exc)
        return {"stored": 0}
    return {"stored": len(report.stored), "skipped": len(report.skipped)}


@app.task(acks_late=True)
def ewp_pull_omobility_las() -> dict[str, str]:
    """The safety net behind OMobility LA CNRs (hourly by beat): learning agreements of our copies."""
    return {
        hei_id: result if isinstance(result, str) else f"{len(result.stored)} stored"
        for hei_id, result in omobility_las.pull_all().items()
    }


@app.task(acks_late=True)
def ewp_fetch_tors(receiving_hei_ids: list[str], omobility_ids: list[str]) -> dict[str, int]:
    """A partner's transcripts of our mobilities changed (IMobility ToR CNR): fetch and record them."""
    report = tors.fetch_tors_logged(receiving_hei_ids, omobility_ids)
    return {
        "recorded": len(report.recorded),
        "unchanged": len(report.unchanged),
        "skipped": len(report.skipped),
    }


@app.task(acks_late=True)
def ewp_fetch_omobilities(sending_hei_id: str, omobility_ids: list[str]) -> dict[str, int]:
    """A partner's outgoing mobilities changed (OMobility CNR): refresh our copies of them."""
    try:
        report = omobilities.fetch_omobilities(sending_hei_id, omobility_ids)
    except PartnerUnavailable as exc:
        logger.warning("Fetching mobilities %s of %s failed: %s", omobility_ids, sending_hei_id, exc)
        return {"received": 0}
    return {"received": len(report.received), "skipped": len(report.skipped)}


@app.task(acks_late=True)
def ewp_pull_omobilities() -> dict[str, str]:
    """The safety net behind OMobility CNRs (hourly by beat): every partner's changed mobilities."""
    return {
        hei_id: result if isinstance(result, str) else f"{len(result.received)} received"
        for hei_id, result in omobilities.pull_all().items()
    }


@app.task(acks_late=True)
def ewp_fetch_imobilities(receiving_hei_id: str, omobility_ids: list[str]) -> dict[str, int]:
    """A receiving institution recorded actual dates (IMobility CNR): record them on our mobilities."""
    try:
        report = imobilities.fetch_imobilities(receiving_hei_id, omobility_ids)
    except PartnerUnavailable as exc:
        logger.warning("Fetching dates of %s from %s failed: %s", omobility_ids, receiving_hei_id, exc)
        return {"recorded": 0}
    return {"recorded": len(report.recorded), "skipped": len(report.skipped)}


@app.task(acks_late=True)
def ewp_pull_tors() -> dict[str, str]:
    """The safety net behind ToR CNRs (hourly by beat): transcripts of our mobilities still awaited."""
    return {
        hei_id: result if isinstance(result, str) else f"{len(result.recorded)} recorded"
        for hei_id, result in tors.pull_all_tors().items()
    }


# --- the self-test, run from the EWP page as a background job -------------------------------------------

SELFTEST_JOB = "ewp.selftest"


@job_handler(SELFTEST_JOB)
def selftest_job(job: Job, progress: JobProgress) -> dict:
    """Test this node at the address its manifest announces, as the registry's validator would; the
    result lists every check (name, the API it belongs to, pass/fail/skip and why)."""
    hei_id = job.payload["hei_id"]
    key = node_private_key()
    if key is None:
        raise Conflict(_("Create the node's key first: the self-test signs its requests with it."))
    report = run_selftest(
        own_manifest_url(hei_id),
        key=key,
        hei_id=hei_id,
        schemas=settings.ACCORD_EWP_SCHEMAS or None,
        progress=lambda done, total, name: progress.update(done, total, name),
    )
    return {
        "manifest_url": report.manifest_url,
        "counts": report.counts(),
        "results": [
            {"name": result.name, "status": result.status.value, "message": result.message}
            for result in report.results
        ],
    }
