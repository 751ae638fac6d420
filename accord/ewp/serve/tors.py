"""Incoming Mobility ToRs API v3 as the receiving institution serves it: which transcripts are served to
whom, how a mobility's transcript becomes an ELMO document, the XML documents and the endpoints.

Served are the transcripts of mobilities whose *receiving* institution this node serves, to a caller
that covers the mobility's *sending* institution. Accord has no separate "approved for recognition"
step: a transcript recorded by the receiving institution is issued, so it is served from then on.

``receiving_hei_id`` is required by both endpoints. ``get`` refuses (400) an institution this node does
not serve, as the other get endpoints do; ``index`` answers an empty list then, as its specification
asks of unknown values ("allowed, not ignored"), and likewise for ``sending_hei_id`` values the caller
does not cover.

The omobility-id of a mobility is the sending node's id when we hold a copy of a partner's mobility
(``RemoteMobility.omobility_id``), else our own (``str(pk)``): EWP names mobilities by the sending
node's ids.

Grade conversion: when the receiving institution has a grade distribution table (EGRACONS) for the
transcript's scale that fits the mobility (``mobilities.selectors.find_table``), every line carries it
as ``resultDistribution`` and the ToR carries it as ``gradeConversionTable`` (percentages), under the
table's ISCED-F field, or the mobility's when the table covers every field; without a table both are
left out. The tables count passing grades only, as EGRACONS tables do.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from lxml import etree

from accord.algorithms.ewp.elmo import (
    AcademicTerm,
    Elmo,
    GradingScheme,
    Issuer,
    Learner,
    LearningOpportunity,
    OpportunityStatus,
    Report,
    elmo_element,
    term_title,
)
from accord.ewp.node import xml
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.params import (
    LIMITS,
    covered_hei_ids,
    modified_since,
    required_ids,
    served_hei,
    single,
)
from accord.mobilities.choices import EventKind
from accord.mobilities.models import GradeDistributionTable, Mobility, MobilityEvent, TranscriptEntry
from accord.mobilities.selectors import find_table

_PERCENT = Decimal("0.01")


# --- which transcripts are served ---------------------------------------------------------------------


def omobility_id(mobility: Mobility) -> str:
    """The EWP omobility-id of ``mobility``: the sending node's id for a copy, ours otherwise."""
    remote = mobility.ewp_remote if hasattr(mobility, "ewp_remote") else None
    return remote.omobility_id if remote is not None else str(mobility.pk)


def served_transcripts(
    *,
    receiving_hei_id: str,
    sending_hei_ids: Iterable[str],
    omobility_ids: Iterable[str] | None = None,
    modified_since: datetime | None = None,
) -> QuerySet[Mobility]:
    """Mobilities received by ``receiving_hei_id`` (an institution this node serves), sent by one of
    ``sending_hei_ids`` (the caller's), that have a transcript; narrowed to ``omobility_ids`` (unknown
    ones are ignored) and to those whose transcript was recorded since ``modified_since``."""
    mobilities = (
        Mobility.objects.filter(receiving_organisation__ewp_node__isnull=False, transcript__isnull=False)
        .annotate(receiving_hei=Lower("receiving_organisation__schac_code"))
        .annotate(sending_hei=Lower("sending_organisation__schac_code"))
        .filter(
            receiving_hei=receiving_hei_id.lower(),
            sending_hei__in=[hei_id.lower() for hei_id in sending_hei_ids],
        )
    )
    if omobility_ids is not None:
        ids = list(omobility_ids)
        mobilities = mobilities.filter(
            Q(ewp_remote__omobility_id__in=ids) | Q(ewp_remote__isnull=True, pk__in=_numbers(ids))
        )
    if modified_since is not None:
        recorded = MobilityEvent.objects.filter(
            mobility=OuterRef("pk"), kind=EventKind.TRANSCRIPT, at__gte=modified_since
        )
        mobilities = mobilities.filter(Q(transcript__recorded_at__gte=modified_since) | Exists(recorded))
    return mobilities.order_by("pk")


def with_transcripts(mobilities: QuerySet[Mobility]) -> list[Mobility]:
    """The mobilities with everything :func:`tor_element` reads, loaded in a fixed number of queries."""
    return list(
        mobilities.select_related(
            "participant__participant_details",
            "receiving_organisation",
            "transcript__scale",
            "ewp_remote",
        ).prefetch_related(
            Prefetch("transcript__entries", queryset=TranscriptEntry.objects.order_by("pk")),
        )
    )


def _numbers(values: list[str]) -> list[int]:
    # Primary keys are at most 19 digits; anything else cannot name one of our mobilities.
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19]


# --- a mobility's transcript as ELMO ------------------------------------------------------------------


def mobility_elmo(mobility: Mobility, table: GradeDistributionTable | None, *, now: datetime) -> Elmo:
    """The ELMO document of the mobility's transcript (see :mod:`accord.algorithms.ewp.elmo`)."""
    transcript = mobility.transcript
    receiver = mobility.receiving_organisation
    scale = transcript.scale
    scheme = f"scale-{scale.pk}"
    distribution = tuple((grade, int(count)) for grade, count in table.counts) if table else ()
    term_start, term_end = mobility.start, mobility.end
    opportunities = tuple(
        LearningOpportunity(
            title=entry.title,
            code=entry.code,
            credits=entry.credits,
            grade=entry.grade,
            status=OpportunityStatus.PASSED if entry.passed else OpportunityStatus.FAILED,
            grading_scheme=scheme,
            distribution=distribution,
            isced_code=mobility.isced_code,
            start=term_start,
            end=term_end,
            # Accord records the term (n/t) of each line, not the term's dates: the stay stands in.
            academic_term=AcademicTerm(
                title=term_title(mobility.academic_year, entry.term), start=term_start, end=term_end
            ),
        )
        for entry in transcript.entries.all()
    )
    failing = f"; failing: {', '.join(scale.failing_grades)}" if scale.failing_grades else ""
    described = f"{scale.name}: passing grades, best first: {', '.join(scale.passing_grades)}{failing}"
    return Elmo(
        generated=now,
        learner=_learner(mobility.participant),
        reports=(
            Report(
                issuer=Issuer(
                    hei_id=receiver.schac_code,
                    name=receiver.name,
                    url=receiver.website,
                    country=receiver.country_code,
                    erasmus_code=receiver.erasmus_code or "",
                    pic=receiver.pic or "",
                ),
                issue_date=datetime.combine(transcript.issued_on, time(0), tzinfo=UTC),
                opportunities=opportunities,
                grading_schemes=(GradingScheme(scheme, described),),
            ),
        ),
    )


def _learner(participant) -> Learner:
    """The participant, with the details EWP exchanges (birth date, nationality, ESI) when recorded."""
    details = getattr(participant, "participant_details", None)
    return Learner(
        given_names=participant.first_name,
        family_name=participant.last_name,
        date_of_birth=details.birth_date if details else None,
        citizenship=details.nationality if details else "",
        esi=details.global_id if details else "",
    )


def _conversion_isced_code(mobility: Mobility, table: GradeDistributionTable | None) -> str:
    return (table.isced_code or mobility.isced_code) if table else ""


def tor_element(
    mobility: Mobility, *, now: datetime | None = None, tables: dict | None = None
) -> etree._Element:
    """One ``tor`` of an ``imobility-tors-get-response``; ``tables`` keeps the distribution tables
    found for earlier mobilities of a response, since most share institution, scale, field and cycle."""
    ns = xml.IMOBILITY_TORS_GET
    key = (
        mobility.receiving_organisation_id,
        mobility.transcript.scale_id,
        mobility.isced_code,
        mobility.eqf_level,
    )
    tables = {} if tables is None else tables
    if key not in tables:
        tables[key] = find_table(mobility.receiving_organisation, mobility.transcript.scale, mobility)
    table = tables[key]
    tor = etree.Element(qname(ns, "tor"))
    sub(tor, ns, "omobility-id", omobility_id(mobility))
    sub(tor, ns, "receiving-academic-year-id", mobility.academic_year)
    tor.append(elmo_element(mobility_elmo(mobility, table, now=now or timezone.now())))
    isced = _conversion_isced_code(mobility, table)
    if table is not None and isced:
        total = sum(int(count) for _grade, count in table.counts)
        conversion = sub(sub(tor, ns, "gradeConversionTable"), ns, "iscedTable", iscedCode=isced)
        for grade, count in table.counts:
            share = Decimal(100 * int(count)) / total if total else Decimal(0)
            sub(
                conversion,
                ns,
                "gradeFrequency",
                label=grade,
                percentage=str(share.quantize(_PERCENT, rounding=ROUND_HALF_UP)),
            )
    return tor


# --- documents ------------------------------------------------------------------------------------------


def get_response(mobilities: list[Mobility]) -> bytes:
    ns = xml.IMOBILITY_TORS_GET
    root = etree.Element(qname(ns, "imobility-tors-get-response"), nsmap={None: ns})
    now, tables = timezone.now(), {}
    for mobility in mobilities:
        root.append(tor_element(mobility, now=now, tables=tables))
    return xml.to_bytes(root)


def index_response(omobility_ids: list[str]) -> bytes:
    ns = xml.IMOBILITY_TORS_INDEX
    root = etree.Element(qname(ns, "imobility-tors-index-response"), nsmap={None: ns})
    for value in omobility_ids:
        sub(root, ns, "omobility-id", value)
    return xml.to_bytes(root)


# --- endpoints ------------------------------------------------------------------------------------------


@ewp_endpoint()
def imobility_tors_get(request: HttpRequest, params: QueryDict) -> HttpResponse:
    receiving = served_hei(params, "receiving_hei_id", required=True)
    ids = required_ids(params, "omobility_id", limit=LIMITS.tor_omobility_ids)
    mobilities = served_transcripts(
        receiving_hei_id=receiving, sending_hei_ids=covered_hei_ids(request), omobility_ids=ids
    )
    return xml_response(get_response(with_transcripts(mobilities)))


@ewp_endpoint()
def imobility_tors_index(request: HttpRequest, params: QueryDict) -> HttpResponse:
    receiving = single(params, "receiving_hei_id", required=True)
    since = modified_since(params)
    covered = covered_hei_ids(request)
    asked = params.getlist("sending_hei_id")
    senders = [hei_id for hei_id in asked if hei_id.lower() in covered] if asked else covered
    mobilities = served_transcripts(
        receiving_hei_id=receiving, sending_hei_ids=senders, modified_since=since
    ).select_related("ewp_remote")
    return xml_response(index_response([omobility_id(mobility) for mobility in mobilities]))
