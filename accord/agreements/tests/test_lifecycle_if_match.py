"""Sharing, approving and renewing an agreement say which version they act on through If-Match too
(RFC 9110): a version saved meanwhile answers 412 with who changed what, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.agreements.models import AgreementApproval, AgreementVersion
from accord.testing.factories import agreement_document, make_partnership

pytestmark = pytest.mark.django_db
URL = "/api/v1/agreements/"


def post(client, url, data, if_match=None):
    headers = {"If-Match": if_match} if if_match else {}
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.fixture
def agreement(client, personas):
    partnership = make_partnership(personas.home, personas.partner_org)
    client.force_login(personas.coordinator)
    created = post(
        client,
        URL,
        {
            "partnership_id": partnership.pk,
            "title": "Informatics exchange",
            "content": agreement_document(personas.home, personas.partner_org),
        },
    )
    assert created.status_code == 201, created.content
    return created.json()


def _amend(client, personas, agreement_id):
    document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=7)
    saved = client.patch(f"{URL}{agreement_id}", {"content": document}, content_type="application/json")
    assert saved.status_code == 200, saved.content
    return saved["ETag"]


def test_share_with_a_stale_etag_is_refused_and_shares_nothing(client, personas, agreement):
    url = f"{URL}{agreement['id']}"
    read = client.get(url)["ETag"]
    current = _amend(client, personas, agreement["id"])

    stale = post(client, f"{url}/share", {}, if_match=read)
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_version"
    assert "version 2 was saved meanwhile by" in body["message"]
    assert not AgreementVersion.objects.filter(agreement_id=agreement["id"], shared_at__isnull=False).exists()

    shared = post(client, f"{url}/share", {}, if_match=current)
    assert shared.status_code == 200, shared.content
    assert shared.json()["status"] == "shared"
    assert shared["ETag"] == current


def test_approve_with_a_stale_etag_is_refused(client, personas, agreement):
    url = f"{URL}{agreement['id']}"
    first = client.get(url)["ETag"]
    assert post(client, f"{url}/share", {}, if_match=first).status_code == 200
    client.force_login(personas.partner)
    seen = client.get(url)
    conditions_hash = seen.json()["version"]["conditions_hash"]

    client.force_login(personas.coordinator)
    amended = _amend(client, personas, agreement["id"])
    assert post(client, f"{url}/share", {}, if_match=amended).status_code == 200

    client.force_login(personas.partner)
    stale = post(client, f"{url}/approve", {"conditions_hash": conditions_hash}, if_match=seen["ETag"])
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert not AgreementApproval.objects.filter(organisation=personas.partner_org).exists()

    fresh = client.get(url)
    approved = post(
        client,
        f"{url}/approve",
        {"conditions_hash": fresh.json()["version"]["conditions_hash"]},
        if_match=fresh["ETag"],
    )
    assert approved.status_code == 201, approved.content
    assert approved.json()["version"] == 2


def test_renew_takes_if_match_or_a_base_version_and_says_so_when_it_has_neither(client, personas, agreement):
    url = f"{URL}{agreement['id']}"
    read = client.get(url)["ETag"]
    years = {"first_academic_year": "2029/2030", "last_academic_year": "2030/2031"}

    missing = post(client, f"{url}/renew", years)
    assert missing.status_code == 422
    assert "If-Match" in missing.json()["message"]

    current = _amend(client, personas, agreement["id"])
    assert post(client, f"{url}/renew", years, if_match=read).status_code == 412
    assert post(client, f"{url}/renew", years, if_match='"v2"').status_code == 422
    assert AgreementVersion.objects.filter(agreement_id=agreement["id"]).count() == 2

    renewed = post(client, f"{url}/renew", years, if_match=current)
    assert renewed.status_code == 200, renewed.content
    assert renewed["ETag"] == f'"agreement-{agreement["id"]}-v3"'


def test_a_version_read_alone_carries_the_etag_of_the_agreement_at_that_version(client, personas, agreement):
    url = f"{URL}{agreement['id']}"
    first = client.get(f"{url}/versions/1")
    assert first["ETag"] == client.get(url)["ETag"]
    _amend(client, personas, agreement["id"])
    stale = client.patch(
        url, {"title": "Renamed"}, content_type="application/json", headers={"If-Match": first["ETag"]}
    )
    assert stale.status_code == 412


def test_an_attachment_is_removed_only_with_its_own_etag(client, agreement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"{URL}{agreement['id']}/attachments"
    ids = []
    for title in ("Signed copy", "Annex"):
        pdf = SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4", content_type="application/pdf")
        ids.append(client.post(url, {"title": title, "file": pdf}).json()["id"])
    tags = [client.get(f"{url}/{pk}")["ETag"] for pk in ids]
    assert tags[0] != tags[1]

    wrong = client.delete(f"{url}/{ids[0]}", headers={"If-Match": tags[1]})
    assert wrong.status_code == 412
    assert "If-Match" in wrong.json()["message"]
    assert client.delete(f"{url}/{ids[0]}", headers={"If-Match": tags[0]}).status_code == 204
    assert client.delete(f"{url}/{ids[1]}").status_code == 204
    assert client.get(url).json() == []
