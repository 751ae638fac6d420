"""The evaluation API: the library, figures, health, bindings and evidence with ETag and If-Match,
and reports as jobs."""

from decimal import Decimal

import pytest

from accord.evaluation.tests.conftest import add_mobilities
from accord.partnerships.models import Indicator, IndicatorActual, Objective

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"


def send(client, method: str, url: str, data=None, **headers):
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_the_library_says_what_each_indicator_counts_and_what_is_pending(client, world):
    client.force_login(world["viewer"])
    library = {row["key"]: row for row in client.get(f"{API}/indicators").json()}
    assert library["mobility.reciprocity"]["available"]
    assert library["funding.average_grant"]["available"]
    programmes = library["courses.joint_programmes"]
    assert not programmes["available"] and "joint programmes" in programmes["unavailable_reason"]


def test_figures_over_a_partnership_and_404_for_outsiders(client, world):
    add_mobilities(world, 3, year=2024)
    url = f"{API}/partnership/{world['partnership'].pk}/figures?from_year=2024&to_year=2024"
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(world["coordinator"])
    figures = {row["key"]: row for row in client.get(url).json()}
    assert Decimal(figures["mobility.outgoing"]["value"]) == 3
    # No budget in this world: no data, which is not zero.
    assert figures["funding.budget_absorption"]["value"] is None
    assert "No data" in figures["funding.budget_absorption"]["message"]
    reversed_period = client.get(url.replace("from_year=2024", "from_year=2026"))
    assert reversed_period.status_code == 422
    assert "before it starts" in reversed_period.json()["errors"]["to_year"][0]


def test_health_ranks_the_portfolio(client, world):
    client.force_login(world["coordinator"])
    ranked = client.get(f"{API}/portfolio/{world['home'].pk}/health").json()
    assert [row["title"] for row in ranked] == ["Home–Nairobi"]


def test_bindings_carry_etags_and_refuse_stale_writes(client, world):
    objective = Objective.objects.create(partnership=world["partnership"], title="More exchange")
    indicator = Indicator.objects.create(objective=objective, name="Outgoing", unit="students")
    url = f"{API}/indicators/{indicator.pk}/binding"
    client.force_login(world["viewer"])
    refused = send(
        client, "put", url, {"definition": "mobility.outgoing", "first_year": 2024, "last_year": 2026}
    )
    assert refused.status_code == 403, "only the coordinating organisation decides how it is measured"
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 404
    created = send(
        client, "put", url, {"definition": "mobility.outgoing", "first_year": 2024, "last_year": 2026}
    )
    assert created.status_code == 200
    etag = created["ETag"]
    assert client.get(url)["ETag"] == etag
    reversed_period = send(client, "put", url, {"first_year": 2026, "last_year": 2024}, **{"If-Match": etag})
    assert reversed_period.status_code == 422
    assert reversed_period.json()["errors"]["last_year"] == [
        "The target period ends in 2024, before it starts in 2026."
    ]
    changed = send(
        client,
        "put",
        url,
        {"definition": "mobility.outgoing", "first_year": 2024, "last_year": 2027},
        **{"If-Match": etag},
    )
    assert changed.status_code == 200
    stale = send(
        client, "put", url, {"definition": "", "first_year": 2024, "last_year": 2026}, **{"If-Match": etag}
    )
    assert stale.status_code == 412
    assert client.delete(url, headers={"If-Match": etag}).status_code == 412
    assert client.delete(url, headers={"If-Match": changed["ETag"]}).status_code == 204


def test_evidence_through_the_api(client, world):
    objective = Objective.objects.create(partnership=world["partnership"], title="Publications")
    indicator = Indicator.objects.create(objective=objective, name="Joint papers", unit="papers")
    actual = IndicatorActual.objects.create(indicator=indicator, year=2024, value=Decimal(2))
    url = f"{API}/actuals/{actual.pk}/evidence"
    client.force_login(world["viewer"])
    saved = send(client, "put", url, {"link": "https://example.org/papers", "description": "Both papers"})
    assert saved.status_code == 200 and saved.json()["link"] == "https://example.org/papers"
    etag = saved["ETag"]
    changed = send(client, "put", url, {"link": "https://example.org/other"}, **{"If-Match": etag})
    assert changed.status_code == 200 and client.get(url)["ETag"] == changed["ETag"]
    stale = send(client, "put", url, {"link": "https://example.org/third"}, **{"If-Match": etag})
    assert stale.status_code == 412


def test_reports_as_jobs(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["coordinator"])
    empty = send(
        client,
        "post",
        f"{API}/reports",
        {"kind": "partnership", "id": world["partnership"].pk, "from_year": 2010, "to_year": 2010},
    )
    assert empty.status_code == 422
    assert "Nothing was recorded" in empty.json()["errors"]["from_year"][0]
    add_mobilities(world, 2, year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        made = send(
            client,
            "post",
            f"{API}/reports",
            {
                "kind": "partnership",
                "id": world["partnership"].pk,
                "from_year": 2024,
                "to_year": 2024,
                "format": "csv",
            },
        )
    assert made.status_code == 202
    job = client.get(f"{API}/reports/{made.json()['id']}").json()
    assert job["status"] == "succeeded" and job["download_url"]
    assert client.get(job["download_url"]).status_code == 200
