"""The Mobility Factsheet API v1 endpoint: ``hei_id`` repeatable up to ``max-hei-ids``; unknown ids,
institutions this node does not serve and served institutions without a factsheet are ignored."""

from django.http import HttpRequest, HttpResponse, QueryDict

from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import ewp_endpoint, xml_response
from accord.ewp.serve.factsheet import factsheet_response, served_factsheets
from accord.ewp.serve.params import required_ids


@ewp_endpoint()
def factsheet(request: HttpRequest, params: QueryDict) -> HttpResponse:
    hei_ids = required_ids(params, "hei_id", limit=LIMITS.factsheet_hei_ids)
    return xml_response(factsheet_response(served_factsheets(hei_ids)))
