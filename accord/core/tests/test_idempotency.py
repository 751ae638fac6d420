"""Creates sent twice happen once: API POSTs with an Idempotency-Key, and forms submitted twice."""

import pytest

from accord.core.models import IdempotentRequest
from accord.partnerships.models import Partnership
from accord.partnerships.tests.test_views import _new

pytestmark = pytest.mark.django_db
URL = "/api/v1/partnerships/"


def _body(personas, title="Iberian Double Degree") -> dict:
    return {
        "title": title,
        "model": "double_degree",
        "members": [
            {"organisation_id": personas.home.pk, "role": "coordinator"},
            {"organisation_id": personas.partner_org.pk, "role": "partner"},
        ],
    }


def _post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.fixture
def api(client, personas):
    client.force_login(personas.coordinator)
    return client


def test_a_retried_post_creates_once_and_gets_the_first_answer(api, personas):
    first = _post(api, _body(personas), key="3f1c-retry")
    again = _post(api, _body(personas), key="3f1c-retry")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Partnership.objects.count() == 1


def test_the_same_key_for_another_request_is_refused_and_creates_nothing(api, personas):
    _post(api, _body(personas), key="k-1")

    other = _post(api, _body(personas, title="Another"), key="k-1")

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "different request" in other.json()["message"]
    assert list(Partnership.objects.values_list("title", flat=True)) == ["Iberian Double Degree"]


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\tinside"])
def test_a_malformed_key_is_refused_with_a_sentence(api, personas, key):
    response = _post(api, _body(personas), key=key)

    assert response.status_code == 422
    assert response.json()["message"].startswith("The Idempotency-Key must be")
    assert not Partnership.objects.exists()


def test_without_a_key_every_post_creates_and_other_users_keys_are_their_own(client, api, personas):
    _post(api, _body(personas))
    _post(api, _body(personas))
    assert Partnership.objects.count() == 2

    _post(api, _body(personas, title="Shared key"), key="same")
    client.logout()
    client.force_login(personas.admin)
    _post(client, _body(personas, title="Shared key"), key="same")
    assert Partnership.objects.filter(title="Shared key").count() == 2


def test_a_refusal_is_replayed_too_and_nothing_is_created(api, personas):
    invalid = {**_body(personas), "members": []}
    first = _post(api, invalid, key="bad-1")
    again = _post(api, invalid, key="bad-1")

    assert first.status_code == again.status_code
    assert again.json() == first.json()
    assert not Partnership.objects.exists()


def test_a_form_submitted_twice_creates_once(client, personas):
    client.force_login(personas.coordinator)
    form = client.get("/partnerships/new/").content.decode()
    assert 'name="_idempotency_key"' in form
    data = {**_new(personas), "_idempotency_key": "double-click-1"}

    first = client.post("/partnerships/new/", data)
    second = client.post("/partnerships/new/", data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Partnership.objects.count() == 1
    assert IdempotentRequest.objects.get().status_code == 302


def test_the_openapi_document_declares_the_key_on_every_create(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]

    def header_names(operation):
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}

    posts = [operations["post"] for operations in paths.values() if "post" in operations]
    assert posts and all("Idempotency-Key" in header_names(post) for post in posts)
    assert "Idempotency-Key" not in header_names(paths[URL.rstrip("/") + "/"]["get"])
