"""The funding API: grants explained, If-Match on writes, bad input with the rule it breaks."""

from decimal import Decimal

import pytest

API = "/api/v1/funding"


@pytest.fixture
def api(client, personas):
    client.force_login(personas.coordinator)
    return client


def test_a_grant_reads_with_its_lines_and_an_etag(api, grant):
    response = api.get(f"{API}/grants/{grant.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "2754.00"
    assert [line["amount"] for line in body["lines"]] == ["2700.00", "54.00"]
    assert response["ETag"] == f'"grant-{grant.pk}-v1"'


def test_a_stale_if_match_is_refused(api, grant):
    fresh = api.patch(
        f"{API}/grants/{grant.pk}",
        {"fewer_opportunities": True},
        content_type="application/json",
        headers={"If-Match": f'"grant-{grant.pk}-v1"'},
    )
    assert fresh.status_code == 200
    assert fresh.json()["total"] == "4424.00"
    stale = api.patch(
        f"{API}/grants/{grant.pk}",
        {"travel_days": 4, "green_travel": True},
        content_type="application/json",
        headers={"If-Match": f'"grant-{grant.pk}-v1"'},
    )
    assert stale.status_code == 412


def test_create_a_grant_and_pay_it(api, funding, mobility):
    created = api.post(
        f"{API}/grants",
        {"mobility_id": mobility.pk, "rule_set_id": funding.rule_set.pk, "budget_id": funding.budget.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    grant_id = created.json()["id"]
    too_much = api.post(
        f"{API}/grants/{grant_id}/payments",
        {"label": "x", "amount": "3000", "paid_on": "2026-08-01"},
        content_type="application/json",
    )
    assert too_much.status_code == 422
    assert "amount" in too_much.json()["errors"]


def test_calculate_reports_invalid_entries_by_id(api):
    response = api.post(
        f"{API}/calculate",
        {
            "rules": "erasmus-ka131-2024",
            "mobilities": [
                {
                    "id": 1,
                    "activity": "staff-teaching",
                    "start": "2025-05-05",
                    "end": "2025-05-09",
                    "distance_km": 1500,
                    "country_group": 1,
                    "travel_days": 2,
                },
                {
                    "id": 2,
                    "activity": "staff-teaching",
                    "start": "2025-05-09",
                    "end": "2025-05-05",
                    "distance_km": 1500,
                    "country_group": 1,
                },
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["1"]["total"] == "1569.00"
    assert body["2"]["errors"][0]["rule"] == "end" and "total" not in body["2"]


def test_a_draft_with_a_gap_in_the_bands_is_refused_with_the_rule(client, personas, funding):
    client.force_login(personas.admin)
    draft = client.post(f"{API}/rule-sets/{funding.rule_set.pk}/drafts").json()
    data = draft["data"]
    data["distance_bands"][4]["min_km"] = 3100
    response = client.put(
        f"{API}/rule-set-versions/{draft['id']}",
        {"data": data},
        content_type="application/json",
        headers={"If-Match": f'"rulesetversion-{draft["id"]}-v1"'},
    )
    assert response.status_code == 422
    assert "distance_bands[4]" in response.json()["errors"]["data"][0]


def test_budgets_and_reports(api, grant, funding):
    budgets = {b["id"]: b for b in api.get(f"{API}/budgets").json()}
    assert Decimal(budgets[funding.budget.pk]["remaining"]) == Decimal("17246.00")
    rows = api.get(f"{API}/reports?by=country").json()
    assert rows == [
        {"key": "ES", "currency": "EUR", "committed": "2754.00", "paid": "0.00", "to_pay": "2754.00"}
    ]


def test_outsiders_see_nothing(client, personas, grant):
    client.force_login(personas.outsider)
    assert client.get(f"{API}/grants/{grant.pk}").status_code == 404
    assert client.get(f"{API}/grants").json() == []
