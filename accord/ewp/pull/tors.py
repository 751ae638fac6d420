"""The sending institution's side of transcripts over EWP: fetch a partner's ToRs (Incoming Mobility ToRs
API v3) and record them on our mobilities.

A ToR CNR names our omobility-ids (``str(pk)``); each must be a mobility whose sending institution this
node serves and whose receiving institution the notifier covers, anything else is ignored like an
unknown id. The ToRs are fetched from the host the registry lists for the receiving institution with
the signing client, in chunks of its ``max-omobility-ids``, and each ELMO is recorded through the
mobilities transcript service as the receiving institution's node account
(:func:`accord.ewp.services.partner_node_user`), with the same checks as a coordinator's entry.

Which grading scale the grades are recorded in
----------------------------------------------
Transcript grades must be grades of one of the receiving institution's scales. The first of its scales
(by name) in which every received grade exists, passing grades among the passing ones and failing
grades among the failing ones, is used. When none fits, Accord keeps a scale of its own for that
partner, named ``EWP: <the grading scheme's description>`` (or ``EWP grades`` without one), and adds the
grades it receives to it: passing grades in the order the partner's result distributions list them
(best first when the partner is Accord), otherwise in order of appearance, failing grades likewise.
A grade the partner now calls failing moves to the failing ones. Scales a person created are never
changed. Check the order of an ``EWP:`` scale before converting
grades with distribution tables, since the EGRACONS method reads it as best first.

A line without a grade (pass/fail courses) is recorded with its status as the grade ("passed" or
"failed"); lines still in progress are not results and are left out; missing ECTS credits count as
zero; credits are kept to a tenth, titles to 255 characters, and a longer grade or code is refused.
Recording is idempotent: a ToR that says what the transcript already says changes nothing.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models.functions import Lower
from lxml import etree

from accord.algorithms.ewp.elmo import (
    ELMO_NAMESPACE,
    Elmo,
    ElmoError,
    LearningOpportunity,
    OpportunityStatus,
    Report,
    parse_elmo,
    term_from_title,
)
from accord.core.errors import DomainError
from accord.ewp import selectors
from accord.ewp.node import xml
from accord.ewp.node.catalogue import CatalogueError, get_catalogue
from accord.ewp.node.client import PartnerUnavailable, call_partner, chunks, partner_api
from accord.ewp.services import partner_node_user
from accord.mobilities import services
from accord.mobilities.models import GradingScale, Mobility
from accord.mobilities.services.grades import TRANSCRIPT_STATUSES

logger = logging.getLogger(__name__)

EWP_SCALE_PREFIX = "EWP"
# What TranscriptEntry and GradingScale can hold.
MAX_GRADE, MAX_CODE, MAX_TITLE, MAX_SCALE_NAME = 32, 64, 255, 100
CREDIT_STEP, MAX_CREDITS = Decimal("0.1"), Decimal("99999.9")


@dataclass
class TorReport:
    recorded: list[int] = field(default_factory=list)
    """Our mobilities whose transcript was recorded or replaced."""
    unchanged: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(omobility-id, why) of ToRs that were not recorded."""


def notified_mobilities(receiving_hei_ids: list[str], omobility_ids: list[str]) -> list[Mobility]:
    """Our mobilities among ``omobility_ids``, sent by an institution we serve to a ``receiving_hei_ids``."""
    # Primary keys are at most 19 digits; anything else cannot name one of our mobilities.
    numbers = [
        int(value) for value in omobility_ids if value.isascii() and value.isdigit() and len(value) < 19
    ]
    return list(
        Mobility.objects.filter(pk__in=numbers, sending_organisation__ewp_node__isnull=False)
        .annotate(receiving_hei=Lower("receiving_organisation__schac_code"))
        .filter(receiving_hei__in=[hei_id.lower() for hei_id in receiving_hei_ids])
        .select_related("receiving_organisation", "transcript__scale")
        .order_by("pk")
    )


def fetch_tors(receiving_hei_ids: list[str], omobility_ids: list[str]) -> TorReport:
    """Fetch and record the ToRs of our mobilities ``omobility_ids`` received by ``receiving_hei_ids``."""
    report = TorReport()
    by_receiver: dict[str, dict[str, Mobility]] = defaultdict(dict)
    for mobility in notified_mobilities(receiving_hei_ids, omobility_ids):
        by_receiver[mobility.receiving_organisation.schac_code][str(mobility.pk)] = mobility
    for hei_id, mobilities in by_receiver.items():
        api = partner_api(hei_id, xml.IMOBILITY_TORS_ENTRY, "imobility-tors")
        for chunk in chunks(list(mobilities), api.limits.get("max-omobility-ids", 1)):
            data = [("receiving_hei_id", hei_id), *(("omobility_id", value) for value in chunk)]
            root = call_partner(api.urls.get("get-url", ""), data, "imobility-tors-get-response")
            for tor in root.iterchildren(f"{{{xml.IMOBILITY_TORS_GET}}}tor"):
                value = (tor.findtext(f"{{{xml.IMOBILITY_TORS_GET}}}omobility-id") or "").strip()
                mobility = mobilities.get(value) if value in chunk else None
                if mobility is None:
                    report.skipped.append((value, "not one of the mobilities asked for"))
                    continue
                _receive(mobility, tor, report)
    return report


def _receive(mobility: Mobility, tor: etree._Element, report: TorReport) -> None:
    omobility_id = str(mobility.pk)
    element = tor.find(f"{{{ELMO_NAMESPACE}}}elmo")
    try:
        if element is None:
            raise ElmoError("the ToR holds no ELMO v2 document")
        changed = record_elmo(mobility, parse_elmo(element))
    except (ElmoError, DomainError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        errors = getattr(exc, "errors", None)
        detail = f"{message} {errors}" if errors else message
        logger.warning("ToR of mobility %s was not recorded: %s", omobility_id, detail)
        report.skipped.append((omobility_id, detail))
        return
    (report.recorded if changed else report.unchanged).append(mobility.pk)


def _report_of(elmo: Elmo, hei_id: str) -> Report:
    issued = [report for report in elmo.reports if report.issuer.hei_id.lower() == hei_id.lower()]
    if len(issued) == 1:
        return issued[0]
    if not issued and len(elmo.reports) == 1:
        return elmo.reports[0]
    raise ElmoError(f"the ELMO document holds {len(issued)} reports issued by {hei_id}, not one")


def _grade(line: LearningOpportunity) -> str:
    return line.grade or line.status.value


@transaction.atomic
def record_elmo(mobility: Mobility, elmo: Elmo) -> bool:
    """Record the transcript ``elmo`` carries for our ``mobility``; False when it is what we hold."""
    receiver = mobility.receiving_organisation
    report = _report_of(elmo, receiver.schac_code)
    lines = [line for line in report.opportunities if line.status != OpportunityStatus.IN_PROGRESS]
    if not lines:
        raise ElmoError("the report holds no finished learning opportunity")
    entries = [_entry(line) for line in lines]
    issued_on = report.issue_date.date()
    actor = partner_node_user(receiver)
    scale = _scale(actor, receiver, report, lines)
    if _same(mobility, scale, issued_on, entries):
        return False
    services.transcript_record(
        actor=actor, mobility=mobility, scale=scale, issued_on=issued_on, entries=entries
    )
    return True


def _entry(line: LearningOpportunity) -> dict:
    grade = _grade(line)
    if len(grade) > MAX_GRADE or len(line.code) > MAX_CODE:
        raise ElmoError(
            f"{line.title!r}: a grade or code longer than Accord records ({grade!r}, {line.code!r})"
        )
    credits = (line.credits if line.credits is not None else Decimal(0)).quantize(CREDIT_STEP)
    if credits > MAX_CREDITS:
        raise ElmoError(f"{line.title!r}: {credits} ECTS credits are more than Accord records")
    return {
        "code": line.code,
        "title": line.title[:MAX_TITLE],
        "credits": credits,
        "grade": grade,
        "term": term_from_title(line.academic_term.title) if line.academic_term else "",
    }


def _same(mobility: Mobility, scale: GradingScale, issued_on, entries: list[dict]) -> bool:
    transcript = getattr(mobility, "transcript", None)
    if transcript is None or transcript.scale_id != scale.pk or transcript.issued_on != issued_on:
        return False
    held = [
        (entry.code, entry.title, entry.credits, entry.grade, entry.term)
        for entry in transcript.entries.order_by("pk")
    ]
    received = [(e["code"], e["title"], e["credits"], e["grade"], e["term"]) for e in entries]
    return held == received


def _scale(actor, organisation, report: Report, lines: list[LearningOpportunity]) -> GradingScale:
    passing = _ordered(report, [_grade(line) for line in lines if line.status == OpportunityStatus.PASSED])
    failing = _ordered(report, [_grade(line) for line in lines if line.status == OpportunityStatus.FAILED])
    for scale in GradingScale.objects.filter(organisation=organisation).order_by("name"):
        if set(passing) <= set(scale.passing_grades) and set(failing) <= set(scale.failing_grades):
            return scale
    schemes = {line.grading_scheme for line in lines if line.grading_scheme}
    scheme = report.grading_scheme(next(iter(schemes))) if len(schemes) == 1 else None
    # Accord describes its scales as "<name>: passing grades, best first: …"; the name is what counts.
    first_line = (scheme.description.strip().splitlines() or [""])[0] if scheme else ""
    described = first_line.split(":")[0].strip()
    name = (f"{EWP_SCALE_PREFIX}: {described}" if described else f"{EWP_SCALE_PREFIX} grades")[
        :MAX_SCALE_NAME
    ]
    existing = GradingScale.objects.filter(organisation=organisation, name=name).first()
    kept_passing = [g for g in (existing.passing_grades if existing else []) if g not in failing]
    kept_failing = [g for g in (existing.failing_grades if existing else []) if g not in passing]
    return services.scale_save(
        actor=actor,
        organisation=organisation,
        name=name,
        passing_grades=kept_passing + [g for g in passing if g not in kept_passing],
        failing_grades=kept_failing + [g for g in failing if g not in kept_failing],
    )


def _ordered(report: Report, grades: list[str]) -> list[str]:
    """``grades`` once each, in the order the report's result distributions list them, then as met."""
    listed = [label for line in report.opportunities for label, _count in line.distribution]
    order = {label: position for position, label in enumerate(dict.fromkeys(listed))}
    unique = list(dict.fromkeys(grades))
    return sorted(unique, key=lambda grade: (order.get(grade, len(order)), unique.index(grade)))


# --- the periodic pull -----------------------------------------------------------------------------------


def _awaiting(receiving_hei_id: str | None = None):
    """Our mobilities that can still receive a transcript (ongoing or completed, not yet recognised)."""
    mobilities = Mobility.objects.filter(
        sending_organisation__ewp_node__isnull=False, status__in=TRANSCRIPT_STATUSES
    ).annotate(receiving_hei=Lower("receiving_organisation__schac_code"))
    if receiving_hei_id is not None:
        mobilities = mobilities.filter(receiving_hei=receiving_hei_id.lower())
    return mobilities


def pull_tors(receiving_hei_id: str) -> TorReport:
    """Catch up with one receiving institution without relying on its notifications: the ids its index
    lists for the institutions we serve, fetched for those of our mobilities that can still receive a
    transcript.

    The whole index is asked, without ``modified_since``: a pull that remembered when it last ran would
    need a table of its own, and refetching is cheap and changes nothing when nothing changed (recording
    is idempotent), while only mobilities awaiting a transcript are fetched.
    """
    api = partner_api(receiving_hei_id, xml.IMOBILITY_TORS_ENTRY, "imobility-tors")
    served = selectors.served_institutions().values_list("schac_code", flat=True)
    data = [("receiving_hei_id", receiving_hei_id), *(("sending_hei_id", hei_id) for hei_id in served)]
    root = call_partner(api.urls.get("index-url", ""), data, "imobility-tors-index-response")
    listed = [(text or "").strip() for text in root.xpath("./*[local-name()='omobility-id']/text()")]
    numbers = [int(v) for v in listed if v.isascii() and v.isdigit() and len(v) < 19]
    ids = [str(pk) for pk in _awaiting(receiving_hei_id).filter(pk__in=numbers).values_list("pk", flat=True)]
    return fetch_tors([receiving_hei_id], ids) if ids else TorReport()


def partners_to_pull_tors() -> list[str]:
    """Receiving institutions of our mobilities awaiting a transcript that a registry host covers."""
    served = {
        hei_id.lower() for hei_id in selectors.served_institutions().values_list("schac_code", flat=True)
    }
    hei_ids = {hei_id for hei_id in _awaiting().values_list("receiving_hei", flat=True) if hei_id}
    try:
        catalogue = get_catalogue()
    except CatalogueError:
        return []
    return sorted(hei_id for hei_id in hei_ids - served if catalogue.hosts_covering(hei_id))


def pull_all_tors() -> dict[str, TorReport | str]:
    results: dict[str, TorReport | str] = {}
    for hei_id in partners_to_pull_tors():
        try:
            results[hei_id] = pull_tors(hei_id)
        except PartnerUnavailable as exc:
            logger.warning("Pulling the ToRs of %s failed: %s", hei_id, exc)
            results[hei_id] = str(exc)
    return results


def fetch_tors_logged(receiving_hei_ids: list[str], omobility_ids: list[str]) -> TorReport:
    """:func:`fetch_tors` for a task: a partner that cannot be reached is logged, not raised."""
    try:
        return fetch_tors(receiving_hei_ids, omobility_ids)
    except PartnerUnavailable as exc:
        logger.warning("Fetching the ToRs %s from %s failed: %s", omobility_ids, receiving_hei_ids, exc)
        report = TorReport()
        report.skipped = [(value, str(exc)) for value in omobility_ids]
        return report
