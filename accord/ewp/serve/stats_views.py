"""The statistics endpoints: Outgoing Mobility Stats v1, Incoming Mobility ToR Stats v1 and the ``stats``
endpoint of the OMobility LA CNR v1.1. What each one counts: :mod:`.stats`.

The specifications name GET; POST is answered too, as by every endpoint of the node. They take no
parameters (any sent are ignored) and answer every authenticated caller, the EWP Stats Portal
(``stats.erasmuswithoutpaper.eu``) included: the documents hold counts only.
"""

from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp.serve import stats
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response


@ewp_endpoint()
def omobility_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(stats.omobility_stats_response(stats.omobility_counts()))


@ewp_endpoint()
def imobility_tor_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(stats.tor_stats_response(stats.tor_counts()))


@ewp_endpoint()
def omobility_la_incoming_stats(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(stats.la_incoming_stats_response(stats.la_incoming_counts()))
