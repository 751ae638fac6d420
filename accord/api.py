"""The REST API root: /api/v1/. Each app contributes a router; errors share one JSON shape."""

from typing import Any

from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from accord.accounts.tokens import api_token_authenticate
from accord.core.api_versions import answer_conditionally
from accord.core.contention import contention_message, is_contention
from accord.core.errors import DomainError, field_words


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    """``X-API-Key: acc_…`` for clients that cannot set an Authorization header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = api_token_authenticate(key or "")
        if user is not None:
            request.user = user
        return user


class AccordAPI(NinjaAPI):
    """Documents what middleware adds to every operation (the ``Idempotency-Key`` of creates), and
    answers the lists marked ``conditional_list`` with an ETag, or 304 (``accord.core.api_versions``)."""

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return answer_conditionally(request, response)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            if "post" in operations:
                operations["post"].setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
        return schema


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": (
        "A key of your choice (a UUID) that makes this request safe to retry: the same key with the same "
        "body within 24 hours returns the first answer (marked Idempotent-Replayed: true) instead of "
        "creating again; the same key with another body is refused with 422."
    ),
}

api = AccordAPI(
    title="Accord API",
    version="1",
    description=(
        "Build, run and evaluate global educational partnerships. Authenticate with a personal API token "
        "(`Authorization: Bearer acc_…`), created in your profile or with `manage.py create_api_token`. "
        "Errors are JSON objects with a stable `code` and a human `message`."
    ),
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api-v1",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, payload: dict):
    return api.create_response(request, payload, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return _error(request, exc.http_status, exc.as_dict())


@api.exception_handler(IntegrityError)
@api.exception_handler(OperationalError)
def contention(request: HttpRequest, exc: IntegrityError | OperationalError):
    if not is_contention(exc):
        raise exc
    return _error(request, 409, {"code": "conflict", "message": contention_message()})


@api.exception_handler(NinjaValidationError)
def request_invalid(request: HttpRequest, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        location = ""
        for part in item.get("loc", ()):
            if isinstance(part, int):
                location += f"[{part}]"
            elif part not in ("body", "query", "path", "payload"):
                location += f".{part}" if location else str(part)
        errors.setdefault(location or "__all__", []).append(item.get("msg", "invalid"))
    first = next(iter(errors.items()))
    return _error(
        request,
        422,
        {
            "code": "validation_failed",
            "message": first[1][0] if first[0] == "__all__" else f"{field_words(first[0])}: {first[1][0]}",
            "field": first[0],
            "errors": errors,
        },
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return _error(
        request, 401, {"code": "unauthenticated", "message": _("Sign in or send a valid API token.")}
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    return _error(request, exc.status_code, {"code": "http_error", "message": str(exc)})


def _mount_routers() -> None:
    from accord.accounts.api import router as accounts_router
    from accord.accounts.api_members import router as memberships_router
    from accord.agreements.api import router as agreements_router
    from accord.bips.api import router as bips_router
    from accord.courses.api import router as courses_router
    from accord.discovery.api import router as discovery_router
    from accord.evaluation.api import router as evaluation_router
    from accord.exchanges.api import router as exchanges_router
    from accord.funding.api import router as funding_router
    from accord.mobilities.api import router as mobilities_router
    from accord.organisations.api import router as organisations_router
    from accord.partnerships.api import router as partnerships_router
    from accord.reference.api import router as reference_router
    from accord.surveys.api import router as surveys_router
    from accord.virtual_exchange.api import router as virtual_exchange_router

    api.add_router("/reference/", reference_router)
    api.add_router("/organisations/", organisations_router)
    api.add_router("/partnerships/", partnerships_router)
    api.add_router("/agreements/", agreements_router)
    api.add_router("/mobilities/", mobilities_router)
    api.add_router("/exchanges/", exchanges_router)
    api.add_router("/bips/", bips_router)
    api.add_router("/surveys/", surveys_router)
    api.add_router("/funding/", funding_router)
    api.add_router("/virtual-exchange/", virtual_exchange_router)
    api.add_router("/courses/", courses_router)
    api.add_router("/discovery/", discovery_router)
    api.add_router("/evaluation/", evaluation_router)
    api.add_router("/me", accounts_router)
    api.add_router("/memberships/", memberships_router)


_mount_routers()
