"""What every EWP endpoint shares: GET and POST, HTTP Signature client authentication against the
registry catalogue, ``error-response`` documents for every refusal, and signed responses on request."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt
from lxml import etree

from accord.algorithms.ewp.http_signature import (
    HttpSignatureError,
    SignatureMissing,
    sign_response,
    verify_request,
    wants_signed_response,
)
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.core.errors import Conflict, DomainError
from accord.ewp.node.catalogue import CatalogueError, get_catalogue
from accord.ewp.node.keys import node_private_key
from accord.ewp.node.xml import CONTENT_TYPE, error_document


class EwpError(Exception):
    """A request the endpoint refuses; the message becomes the ``developer-message``."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class EwpClient:
    """The partner behind a verified request: its key, and the HEIs the catalogue says it covers."""

    key_id: str
    hei_ids: tuple[str, ...]
    signature: str


EwpView = Callable[..., HttpResponse]


def xml_response(document: bytes, *, status: int = 200) -> HttpResponse:
    return HttpResponse(document, status=status, content_type=CONTENT_TYPE)


def error_response(message: str, *, status: int = 400) -> HttpResponse:
    response = xml_response(error_document(message), status=status)
    if status == 401:
        # The cliauth-httpsig specification recommends telling the client how to authenticate.
        response["WWW-Authenticate"] = 'Signature realm="EWP"'
        response["Want-Digest"] = "SHA-256"
    return response


def ewp_endpoint(*, authenticated: bool = True) -> Callable[[EwpView], EwpView]:
    """Wrap ``view(request, params, *args)``: ``params`` are the query (GET) or form (POST) parameters.

    With ``authenticated``, the request must carry a valid HTTP Signature by a client key of the
    catalogue; the view finds the client in ``request.ewp_client``.
    """

    def decorator(view: EwpView) -> EwpView:
        @csrf_exempt  # partners are servers authenticated by signatures, not browsers with cookies
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            client: EwpClient | None = None
            try:
                if request.method not in ("GET", "POST"):
                    raise EwpError(f"{request.method} is not supported: use GET or POST", status=405)
                if authenticated:
                    client = authenticate(request)
                    request.ewp_client = client
                params = request.POST if request.method == "POST" else request.GET
                response = view(request, params, *args, **kwargs)
            except EwpError as exc:
                response = error_response(exc.message, status=exc.status)
            except Conflict as exc:  # a stale proposal or a decision already taken: the partner refreshes
                response = error_response(exc.message, status=409)
            except DomainError as exc:  # the services' refusals, whatever their kind, are the caller's 400
                response = error_response(exc.message, status=400)
            except HttpSignatureError as exc:
                response = error_response(str(exc), status=exc.http_status)
            if response.status_code == 405:
                response["Allow"] = "GET, POST"
            return sign_if_asked(request, response, client)

        return wrapper

    return decorator


def authenticate(request: HttpRequest) -> EwpClient:
    """Verify the request's HTTP Signature (cliauth-httpsig) and identify the HEIs its sender covers.

    The endpoints read no request header besides the signed ones and ``Accept-Signature``, which only
    decides whether the response is signed; so unsigned headers cannot change what a view answers.
    """
    if "authorization" not in request.headers:
        # Said before reading the catalogue, so that a node without one still explains what is missing.
        raise SignatureMissing(
            "this endpoint requires HTTP Signature client authentication (ewp-specs-sec-cliauth-httpsig)"
        )
    try:
        catalogue = get_catalogue()
    except CatalogueError as exc:
        raise EwpError(f"this node cannot read the EWP registry catalogue: {exc}", status=500) from exc
    verified = verify_request(
        method=request.method or "GET",
        path_and_query=_request_target(request),
        headers=request.headers,
        body=request.body,
        public_key_for=catalogue.client_key,
    )
    return EwpClient(
        key_id=verified.key_id,
        hei_ids=tuple(catalogue.heis_covered_by_client(verified.key_id)),
        signature=verified.signature,
    )


def _request_target(request: HttpRequest) -> str:
    # Gunicorn passes the path exactly as sent (RAW_URI); other servers only the decoded path, which
    # get_full_path() re-encodes the way clients normally encode it.
    return request.META.get("RAW_URI") or request.get_full_path()


def sign_if_asked(request: HttpRequest, response: HttpResponse, client: EwpClient | None) -> HttpResponse:
    """Sign the response (srvauth-httpsig) when the request's ``Accept-Signature`` asks for rsa-sha256."""
    key = node_private_key()
    if key is None or not wants_signed_response(request.headers.get("Accept-Signature")):
        return response
    headers = sign_response(
        body=response.content,
        private_key=key,
        request_id=request.headers.get("X-Request-Id"),
        request_signature=client.signature if client else None,
    )
    for name, value in headers.items():
        response[name] = value
    return response


def param_list(params: QueryDict, name: str, *, limit: int) -> list[str]:
    """The values of a repeatable parameter, refused beyond the ``max-*`` the manifest announces."""
    values = params.getlist(name)
    if len(values) > limit:
        raise EwpError(f"at most {limit} {name} values are accepted per request, {len(values)} were sent")
    return list(dict.fromkeys(values))


MAX_XML_BODY_BYTES = 64 * 1024


def xml_body(body: bytes, namespace: str, root_name: str) -> etree._Element:
    """The XML document an ``update`` endpoint takes as its body, parsed safely; anything else is a 400."""
    if not body:
        raise EwpError(f"the update endpoint expects an {root_name} XML document as body")
    if len(body) > MAX_XML_BODY_BYTES:
        raise EwpError(f"the update request is larger than {MAX_XML_BODY_BYTES} bytes")
    try:
        root = parse_untrusted_xml(body)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise EwpError(f"the body is not well-formed XML: {exc}") from None
    if root.tag != f"{{{namespace}}}{root_name}":
        raise EwpError(f"the body must be an {root_name} in {namespace}, not {root.tag}")
    return root
