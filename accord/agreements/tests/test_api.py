"""The agreements API as a client sees it: drafting, sharing, approving by hash, amending, diffs,
quotas, partner copies and attachments, with what each persona may see and do."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.agreements.models import Agreement, AgreementVersion
from accord.testing.factories import agreement_document, make_partnership

pytestmark = pytest.mark.django_db
URL = "/api/v1/agreements/"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def partnership(personas):
    return make_partnership(personas.home, personas.partner_org)


@pytest.fixture
def created(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = post(
        client,
        URL,
        {
            "partnership_id": partnership.pk,
            "title": "Informatics exchange",
            "content": agreement_document(personas.home, personas.partner_org),
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_draft_share_approve_amend_reapprove(client, personas, created):
    agreement_id = created["id"]
    assert created["status"] == "draft"
    assert created["version"]["number"] == 1
    first_hash = created["version"]["conditions_hash"]

    # Not shared yet: the partner cannot even see that it exists.
    assert as_user(client, personas.partner).get(f"{URL}{agreement_id}").status_code == 404

    shared = post(as_user(client, personas.coordinator), f"{URL}{agreement_id}/share", {"version_number": 1})
    assert shared.json()["status"] == "shared"

    partner = as_user(client, personas.partner)
    seen = partner.get(f"{URL}{agreement_id}").json()
    assert seen["permissions"] == {"edit": False, "approve_for": [personas.partner_org.pk]}
    approval = post(
        partner, f"{URL}{agreement_id}/approve", {"version_number": 1, "conditions_hash": first_hash}
    )
    assert approval.status_code == 201, approval.content
    assert partner.get(f"{URL}{agreement_id}").json()["status"] == "in_effect"

    coordinator = as_user(client, personas.coordinator)
    amended = patch(
        coordinator,
        f"{URL}{agreement_id}",
        {
            "content": agreement_document(personas.home, personas.partner_org, mobilities_per_year=4),
            "base_version": 1,
            "summary": "Two more places",
        },
    ).json()
    assert amended["version"]["number"] == 2
    assert amended["amendment_pending"] is True
    post(coordinator, f"{URL}{agreement_id}/share", {"version_number": 2})

    partner = as_user(client, personas.partner)
    parties = {
        party["organisation_id"]: party for party in partner.get(f"{URL}{agreement_id}").json()["parties"]
    }
    assert parties[personas.partner_org.pk]["approval_outdated"] is True
    assert parties[personas.partner_org.pk]["approved_version"] == 1
    assert parties[personas.home.pk]["approval_current"] is True

    stale = post(
        partner, f"{URL}{agreement_id}/approve", {"version_number": 1, "conditions_hash": first_hash}
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"

    diff = partner.get(f"{URL}{agreement_id}/diff", {"old": 1, "new": 2}).json()
    assert [(change["path"], change["old"], change["new"]) for change in diff] == [
        ("conditions[0].mobilities_per_year", 2, 4)
    ]
    second_hash = partner.get(f"{URL}{agreement_id}/versions/2").json()["conditions_hash"]
    assert second_hash != first_hash
    assert (
        post(
            partner, f"{URL}{agreement_id}/approve", {"version_number": 2, "conditions_hash": second_hash}
        ).status_code
        == 201
    )
    final = partner.get(f"{URL}{agreement_id}").json()
    assert (final["status"], final["approved_version"], final["amendment_pending"]) == ("in_effect", 2, False)
    kinds = [event["kind"] for event in partner.get(f"{URL}{agreement_id}/events").json()]
    assert kinds[:3] == ["in_effect", "approved", "approved"]


def test_bad_content_answers_422_with_field_paths_and_saves_nothing(client, personas, partnership):
    client.force_login(personas.coordinator)
    document = agreement_document(personas.home, personas.partner_org, eqf_levels=[0], mobilities_per_year=0)
    response = post(client, URL, {"partnership_id": partnership.pk, "title": "Bad", "content": document})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"conditions[0].eqf_levels", "conditions[0].mobilities_per_year"} <= set(errors)
    assert not Agreement.objects.exists()


def test_concurrent_edit_answers_409_saying_what_changed(client, personas, created):
    agreement_id = created["id"]
    patch(
        as_user(client, personas.admin),
        f"{URL}{agreement_id}",
        {
            "content": agreement_document(personas.home, personas.partner_org, eqf_levels=[6]),
            "base_version": 1,
        },
    )
    response = patch(
        as_user(client, personas.coordinator),
        f"{URL}{agreement_id}",
        {
            "content": agreement_document(personas.home, personas.partner_org, mobilities_per_year=3),
            "base_version": 1,
        },
    )
    assert response.status_code == 409
    assert "EQF levels" in response.json()["message"] or "eqf levels" in response.json()["message"]
    assert AgreementVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("platform_admin", 200, 200),
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("teacher", 200, 403),
        ("viewer", 200, 403),
        ("student", 404, 404),
        ("partner", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_access_before_sharing(client, personas, created, persona, read, write):
    client = as_user(client, personas.by_name(persona))
    url = f"{URL}{created['id']}"
    assert client.get(url).status_code == read
    assert patch(client, url, {"title": "Renamed"}).status_code == write


def test_outsiders_never_see_shared_agreements(client, personas, created):
    post(client, f"{URL}{created['id']}/share", {"version_number": 1})
    outsider = as_user(client, personas.outsider)
    assert outsider.get(URL).json()["items"] == []
    assert outsider.get(f"{URL}{created['id']}/versions").status_code == 404
    viewer_list = as_user(client, personas.partner).get(URL).json()["items"]
    assert [item["id"] for item in viewer_list] == [created["id"]]


def test_conditions_renewal_and_quotas(client, personas, created):
    agreement_id = created["id"]
    staff = {
        "key": "staff",
        "mobility_type": "staff_training",
        "sending_partner": 1,
        "receiving_partner": 0,
        "first_academic_year": "2026/2027",
        "last_academic_year": "2026/2027",
        "mobilities_per_year": 2,
        "total_days_per_year": "10",
    }
    saved = post(client, f"{URL}{agreement_id}/conditions", {"condition": staff, "base_version": 1}).json()
    assert saved["version"]["number"] == 2
    quotas = client.get(f"{URL}{agreement_id}/quotas", {"academic_year": "2026/2027"}).json()
    assert [(row["condition_key"], row["agreed_mobilities"], row["used_mobilities"]) for row in quotas] == [
        ("c1", 2, 0),
        ("staff", 2, 0),
    ]
    renewed = post(
        client,
        f"{URL}{agreement_id}/renew",
        {"first_academic_year": "2029/2030", "last_academic_year": "2030/2031", "base_version": 2},
    ).json()
    years = {
        (c["first_academic_year"], c["last_academic_year"])
        for c in renewed["version"]["content"]["conditions"]
    }
    assert years == {("2029/2030", "2030/2031")}
    removed = client.delete(
        f"{URL}{agreement_id}/conditions/{renewed['version']['content']['conditions'][1]['key']}?base_version=3"
    )
    assert removed.status_code == 200
    assert len(removed.json()["version"]["content"]["conditions"]) == 1


def test_partner_copy_comparison(client, personas, created):
    theirs = agreement_document(personas.home, personas.partner_org, key="x", total_months_per_year="9")
    response = post(
        client,
        f"{URL}{created['id']}/partner-copies",
        {"organisation_id": personas.partner_org.pk, "content": theirs, "remote_id": "ES-77"},
    )
    assert response.status_code == 201, response.content
    comparison = client.get(f"{URL}{created['id']}/partner-copies/{personas.partner_org.pk}/diff").json()
    assert comparison["same_conditions"] is False
    assert [change["text"] for change in comparison["changes"]] == [
        "Condition 1 (student studies, Home University → Partner University): total months per year: 10 → 9"
    ]


def test_attachments_upload_download_remove(client, personas, created, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"{URL}{created['id']}/attachments"
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed copy", content_type="application/pdf")
    response = client.post(url, {"title": "Signed copy", "file": pdf})
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    download = client.get(f"{url}/{attachment_id}")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed copy"

    script = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    refused = client.post(url, {"title": "Bad", "file": script})
    assert refused.status_code == 422
    assert "file" in refused.json()["errors"]

    assert as_user(client, personas.outsider).get(f"{url}/{attachment_id}").status_code == 404
    assert as_user(client, personas.viewer).delete(f"{url}/{attachment_id}").status_code == 403
    assert as_user(client, personas.coordinator).delete(f"{url}/{attachment_id}").status_code == 204
    assert client.get(url).json() == []


def test_openapi_documents_the_agreement_endpoints(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/agreements/{agreement_id}/approve" in paths
    assert "/api/v1/agreements/{agreement_id}/diff" in paths


def test_the_etag_names_the_current_version_and_if_match_stands_for_base_version(client, personas, created):
    url = f"{URL}{created['id']}"
    read = client.get(url)
    assert read["ETag"] == f'"agreement-{created["id"]}-v1"'
    document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=4)
    saved = client.patch(
        url, {"content": document}, content_type="application/json", headers={"If-Match": read["ETag"]}
    )
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == f'"agreement-{created["id"]}-v2"'

    document["conditions"][0]["mobilities_per_year"] = 5
    stale = client.patch(
        url, {"content": document}, content_type="application/json", headers={"If-Match": read["ETag"]}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert "version 2 was saved meanwhile" in stale.json()["message"]
    assert AgreementVersion.objects.filter(agreement_id=created["id"]).count() == 2
    assert (
        client.patch(
            url, {"title": "x"}, content_type="application/json", headers={"If-Match": "2"}
        ).status_code
        == 422
    )
    stale_body = client.patch(url, {"content": document, "base_version": 1}, content_type="application/json")
    assert stale_body.status_code == 409


def test_openapi_declares_if_match_and_etag_for_an_agreement(client, personas):
    client.force_login(personas.coordinator)
    operations = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/agreements/{agreement_id}"]
    assert "If-Match" in [parameter["name"] for parameter in operations["patch"]["parameters"]]
    assert "412" in operations["patch"]["responses"]
    assert "ETag" in operations["get"]["responses"]["200"]["headers"]


def test_conditions_are_saved_and_removed_from_the_version_in_if_match(client, personas, created):
    url = f"{URL}{created['id']}"
    first = client.get(url)["ETag"]
    staff = {
        "key": "staff",
        "mobility_type": "staff_training",
        "sending_partner": 1,
        "receiving_partner": 0,
        "first_academic_year": "2026/2027",
        "last_academic_year": "2026/2027",
        "mobilities_per_year": 2,
        "total_days_per_year": "10",
    }
    saved = client.post(
        f"{url}/conditions",
        {"condition": staff},
        content_type="application/json",
        headers={"If-Match": first},
    )
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == f'"agreement-{created["id"]}-v2"'

    stale = client.delete(f"{url}/conditions/staff", headers={"If-Match": first})
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    without = client.delete(f"{url}/conditions/staff")
    assert without.status_code == 422
    assert "If-Match" in without.json()["message"]
    assert AgreementVersion.objects.filter(agreement_id=created["id"]).count() == 2

    removed = client.delete(f"{url}/conditions/staff", headers={"If-Match": saved["ETag"]})
    assert removed.status_code == 200, removed.content
    assert [c["key"] for c in removed.json()["version"]["content"]["conditions"]] == ["c1"]
    assert client.delete(f"{url}/conditions/c1?base_version=2").status_code == 409


def test_openapi_declares_if_match_on_the_condition_writes(client, personas):
    client.force_login(personas.coordinator)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/agreements/{agreement_id}/conditions", "post"),
        ("/api/v1/agreements/{agreement_id}/conditions/{key}", "delete"),
    ]:
        operation = paths[path][method]
        assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]
        assert "412" in operation["responses"]
