"""Creates that happen once, however often they are sent: the ``Idempotency-Key`` of API ``POST``s and
the hidden key of forms that create (``{% idempotency_key_field %}``), so that a script that retries or
a button clicked twice does not create twice.

The first request with a key from given credentials (an API token, or the session) is recorded before
it runs; its answer is stored and returned again to every later request with the same key and body
within 24 hours, marked ``Idempotent-Replayed: true``. The same key with another body is refused (422);
a repeat that arrives while the first is still running waits for its answer for a few seconds. A
server error or a conflict (409: something changed at the same moment) is not stored, so the client
may try again with the same key.
"""

import hashlib
import json
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
FORM_FIELD = "_idempotency_key"
LIFETIME = timedelta(hours=24)
WAIT_FOR_FIRST_SECONDS = 10.0
REPLAYED_HEADERS = ("Location", "ETag", "HX-Redirect", "HX-Trigger", "Content-Language")
MAX_KEY_LENGTH = 255


def _scope(request: HttpRequest) -> str | None:
    """Whose key it is: a digest of the API credentials sent, else of the session; None if neither."""
    credentials = request.headers.get("Authorization") or request.headers.get("X-API-Key")
    if not credentials and getattr(request, "session", None) is not None and request.session.session_key:
        credentials = f"session:{request.session.session_key}"
    if not credentials:
        return None
    return hashlib.sha256(credentials.encode()).hexdigest()


def _body_digest(request: HttpRequest) -> str:
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        fields = sorted(
            (name, values)
            for name, values in request.POST.lists()
            if name not in (FORM_FIELD, "csrfmiddlewaretoken")
        )
        files = sorted(
            (name, upload.name, upload.size) for name, uploads in request.FILES.lists() for upload in uploads
        )
        material = json.dumps([fields, files], default=str).encode()
    else:
        material = request.body
    head = f"{request.method} {request.path}\n".encode()
    return hashlib.sha256(head + material).hexdigest()


def _key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None and (request.content_type or "").startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        key = request.POST.get(FORM_FIELD) or None
    return key


def _refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "field": HEADER}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.content), status=record.status_code, content_type=record.content_type
    )
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    """Placed after the session, authentication and CSRF middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        key = _key(request)
        scope = _scope(request) if key is not None else None
        if key is None or scope is None:
            return self.get_response(request)
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return _refusal(
                request,
                422,
                "idempotency_key_invalid",
                _("The Idempotency-Key must be 1 to 255 printable characters, such as a UUID."),
            )
        digest = _body_digest(request)
        IdempotentRequest.objects.filter(scope=scope, created_at__lt=timezone.now() - LIFETIME).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    scope=scope, key=key, method=request.method, path=request.path[:2000], body_digest=digest
                )
        except IntegrityError:
            return self._repeat(request, scope, key, digest)
        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code == 409 or response.streaming:
            record.delete()
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
        record.content = response.content
        record.save(update_fields=["status_code", "content_type", "headers", "content"])
        return response

    def _repeat(self, request: HttpRequest, scope: str, key: str, digest: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
        while True:
            record = IdempotentRequest.objects.filter(scope=scope, key=key).first()
            if record is None:  # the first one was not stored (see above): this one may run
                return self(request)
            if record.body_digest != digest:
                return _refusal(
                    request,
                    422,
                    "idempotency_key_reused",
                    _(
                        "This Idempotency-Key was already used for a different request. Use a new key "
                        "for each new request, and the same key only to retry the same request."
                    ),
                )
            if record.status_code is not None:
                return _replay(record)
            if time.monotonic() >= deadline:
                return _refusal(
                    request,
                    409,
                    "idempotency_key_in_progress",
                    _("A request with this Idempotency-Key is still being processed; try again in a moment."),
                )
            time.sleep(0.1)
