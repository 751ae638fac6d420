"""The statistics the EWP Stats Portal reads from this node, counted in the database, their documents
and their endpoints.

* **Outgoing Mobility Stats v1** (sending side): per receiving academic year, the outgoing mobilities
  in the ``pending`` and ``approved`` statuses of Outgoing Mobilities v3 (see
  :mod:`accord.ewp.serve.omobilities`: nominated → pending; accepted and every later status →
  approved; cancellations and rejections are in neither count). Counted are the mobilities of the
  kinds Outgoing Mobilities v3 describes, sent by an institution this node serves, never copies of
  partners' mobilities.
* **Incoming Mobility ToR Stats v1** (receiving side): per receiving academic year, the transcripts
  issued by an institution this node serves. Accord has no separate issuing step: a recorded
  transcript is issued (as the ToRs API serves it).
* **OMobility LA CNR v1.1 ``stats``** (receiving side): per receiving academic year, the incoming
  learning agreements, i.e. those of our copies of partners' mobilities (``source="ewp"``) whose
  receiving institution this node serves. Mobilities sent by a served institution are that
  institution's *outgoing* learning agreements (Outgoing Mobility LAs ``stats``); counting them here
  too would count a mobility twice on a node that holds both the master and its copy.

Each count is one ``GROUP BY`` query with conditional aggregates, whatever the number of mobilities.
Counts only: nothing personal leaves the node, so every authenticated EWP caller may read them, the EWP
Stats Portal (``stats.erasmuswithoutpaper.eu``) included. The specifications name GET; POST is answered
too, as by every endpoint of the node. The endpoints take no parameters (any sent are ignored).
"""

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from lxml import etree

from accord.ewp.node import xml
from accord.ewp.node.mobility_scope import NOT_SERVED_SOURCES
from accord.ewp.node.xml import qname, sub
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.omobilities import ACTIVITY_ATTRIBUTES
from accord.mobilities.choices import MobilitySource, MobilityStatus, VersionStatus
from accord.mobilities.models import Mobility

YearCounts = dict[str, dict[str, int]]

OMOBILITY_FIELDS = ("omobility-pending", "omobility-approved")
TOR_FIELDS = ("imobility-tor-total",)
LA_INCOMING_FIELDS = (
    "la-incoming-total",
    "la-incoming-some-version-approved",
    "la-incoming-latest-version-approved",
    "la-incoming-latest-version-rejected",
    "la-incoming-latest-version-awaiting",
)


def _per_year(mobilities: QuerySet[Mobility], counters: dict[str, Q | None]) -> YearCounts:
    """One query: for each academic year, the number of ``mobilities`` matching each counter's filter
    (None: all of them). Counter names are the schema's element names."""
    aliases = {f"c{index}": name for index, name in enumerate(counters)}
    rows = (
        mobilities.order_by()
        .values("academic_year")
        .annotate(**{alias: Count("pk", filter=counters[name]) for alias, name in aliases.items()})
    )
    return {row["academic_year"]: {name: row[alias] for alias, name in aliases.items()} for row in rows}


def omobility_counts() -> YearCounts:
    mobilities = (
        Mobility.objects.filter(
            sending_organisation__ewp_node__isnull=False, mobility_type__in=list(ACTIVITY_ATTRIBUTES)
        )
        .exclude(source__in=NOT_SERVED_SOURCES)
        .exclude(status=MobilityStatus.CANCELLED)
    )
    return _per_year(
        mobilities,
        {
            "omobility-pending": Q(status=MobilityStatus.NOMINATED),
            "omobility-approved": ~Q(status=MobilityStatus.NOMINATED),
        },
    )


def tor_counts() -> YearCounts:
    mobilities = Mobility.objects.filter(
        receiving_organisation__ewp_node__isnull=False, transcript__isnull=False
    )
    return _per_year(mobilities, {"imobility-tor-total": None})


def la_incoming_counts() -> YearCounts:
    mobilities = Mobility.objects.filter(
        source=MobilitySource.EWP,
        receiving_organisation__ewp_node__isnull=False,
        learning_agreement__current_version__isnull=False,
    )
    latest = "learning_agreement__current_version__status"
    return _per_year(
        mobilities,
        {
            "la-incoming-total": None,
            "la-incoming-some-version-approved": Q(learning_agreement__first_approved_version__isnull=False),
            "la-incoming-latest-version-approved": Q(**{latest: VersionStatus.APPROVED}),
            "la-incoming-latest-version-rejected": Q(**{latest: VersionStatus.COMMENTED}),
            "la-incoming-latest-version-awaiting": Q(**{latest: VersionStatus.PROPOSED}),
        },
    )


# --- documents ------------------------------------------------------------------------------------------


def _document(
    namespace: str, root_name: str, year_name: str, fields: tuple[str, ...], counts: YearCounts
) -> bytes:
    root = etree.Element(qname(namespace, root_name), nsmap={None: namespace})
    for year in sorted(counts):
        element = sub(root, namespace, year_name)
        sub(element, namespace, "receiving-academic-year-id", year)
        for name in fields:
            sub(element, namespace, name, str(counts[year][name]))
    return xml.to_bytes(root)


def omobility_stats_response(counts: YearCounts) -> bytes:
    return _document(
        xml.OMOBILITY_STATS, "omobility-stats-response", "academic-year-stats", OMOBILITY_FIELDS, counts
    )


def tor_stats_response(counts: YearCounts) -> bytes:
    return _document(
        xml.IMOBILITY_TOR_STATS, "imobility-tor-stats-response", "academic-year-stats", TOR_FIELDS, counts
    )


def la_incoming_stats_response(counts: YearCounts) -> bytes:
    return _document(
        xml.OMOBILITY_LA_CNR_STATS,
        "las-incoming-stats-response",
        "academic-year-la-stats",
        LA_INCOMING_FIELDS,
        counts,
    )


# --- endpoints ------------------------------------------------------------------------------------------


@ewp_endpoint()
def omobility_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(omobility_stats_response(omobility_counts()))


@ewp_endpoint()
def imobility_tor_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(tor_stats_response(tor_counts()))


@ewp_endpoint()
def omobility_la_incoming_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(la_incoming_stats_response(la_incoming_counts()))
