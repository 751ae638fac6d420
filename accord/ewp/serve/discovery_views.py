"""The EWP endpoints: parse the parameters, read through the selectors, answer with a document."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse

from accord.algorithms.ewp.http_signature import public_key_base64
from accord.ewp import selectors
from accord.ewp.node.keys import node_private_key
from accord.ewp.serve import discovery
from accord.ewp.serve.discovery import LIMITS
from accord.ewp.serve.endpoint import EwpError, ewp_endpoint, param_list, xml_response
from accord.ewp.serve.params import required_ids


def _absolute(path: str) -> str:
    return settings.ACCORD_EWP_BASE_URL.rstrip("/") + path


@ewp_endpoint(authenticated=False)
def manifest(request: HttpRequest, params: QueryDict, hei_id: str) -> HttpResponse:
    """Public, as the registry fetches it anonymously; one manifest per served HEI."""
    organisation = selectors.served_institution(hei_id)
    if organisation is None:
        raise EwpError(f"this node does not serve the HEI {hei_id!r}", status=404)
    key = node_private_key()
    return xml_response(
        discovery.manifest(
            organisation,
            manifest_url=_absolute(reverse("ewp:manifest", args=[hei_id])),
            url_of=lambda name: _absolute(reverse(f"ewp:{name}")),
            admin_email=settings.ACCORD_EWP_ADMIN_EMAIL,
            provider=settings.ACCORD_EWP_PROVIDER,
            public_key=public_key_base64(key.public_key()) if key else None,
        )
    )


@ewp_endpoint()
def echo(request: HttpRequest, params: QueryDict) -> HttpResponse:
    return xml_response(discovery.echo(hei_ids=request.ewp_client.hei_ids, echoes=params.getlist("echo")))


@ewp_endpoint()
def institutions(request: HttpRequest, params: QueryDict) -> HttpResponse:
    hei_ids = required_ids(params, "hei_id", limit=LIMITS.hei_ids)
    return xml_response(
        discovery.institutions(
            selectors.institutions(hei_ids), base_url=settings.ACCORD_EWP_BASE_URL.rstrip("/")
        )
    )


@ewp_endpoint()
def ounits(request: HttpRequest, params: QueryDict) -> HttpResponse:
    hei_ids = params.getlist("hei_id")
    if len(hei_ids) != 1:
        raise EwpError(f"exactly one hei_id is required, {len(hei_ids)} were sent")
    organisation = selectors.served_institution(hei_ids[0])
    if organisation is None:
        raise EwpError(f"this node does not cover the HEI {hei_ids[0]!r}")
    ids = param_list(params, "ounit_id", limit=LIMITS.ounit_ids)
    codes = param_list(params, "ounit_code", limit=LIMITS.ounit_codes)
    if bool(ids) == bool(codes):
        raise EwpError("send either ounit_id or ounit_code values (one of the two, not both)")
    units = selectors.units_by_id(organisation, ids) if ids else selectors.units_by_code(organisation, codes)
    return xml_response(discovery.ounits(units))
