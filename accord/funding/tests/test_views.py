"""The funding pages: every amount explained line by line, a bounded number of queries, access."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accord.funding import services
from accord.funding.tests.conftest import make_mobility


@pytest.fixture
def paid_grant(personas, grant):
    services.payment_record(
        actor=personas.coordinator,
        grant=grant,
        amount=Decimal("2203.20"),
        paid_on=date(2026, 8, 20),
        label="Pre-financing",
    )
    return grant


def test_the_grant_page_explains_every_amount(client, personas, paid_grant, django_assert_max_num_queries):
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("funding:grant", args=[paid_grant.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Individual support × 5 months" in text and "2700.00" in text and "2754.00 EUR" in text
    assert "2203.20" in text and "550.80" in text


def test_the_student_sees_their_grant_but_cannot_change_it(client, personas, grant):
    client.force_login(personas.student)
    page = client.get(reverse("funding:grant", args=[grant.pk]))
    assert page.status_code == 200
    assert "Record a payment" not in page.content.decode()
    assert client.post(reverse("funding:grant-edit", args=[grant.pk]), {"version": 1}).status_code == 403


def test_other_institutions_get_404(client, personas, grant, funding):
    client.force_login(personas.partner)
    assert client.get(reverse("funding:grant", args=[grant.pk])).status_code == 404
    assert client.get(reverse("funding:budget", args=[funding.budget.pk])).status_code == 404


def test_home_and_lists_stay_within_their_queries(client, personas, funding, django_assert_max_num_queries):
    for _ in range(3):
        services.grant_create(
            actor=personas.coordinator,
            mobility=make_mobility(personas),
            rule_set=funding.rule_set,
            budget=funding.budget,
        )
    client.force_login(personas.coordinator)
    for name in ("funding:home", "funding:grants", "funding:runway", "funding:report"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(name)).status_code == 200, name
    with django_assert_max_num_queries(16):
        assert client.get(reverse("funding:budget", args=[funding.budget.pk])).status_code == 200


def test_a_grant_is_computed_from_the_page(client, personas, funding, mobility):
    client.force_login(personas.coordinator)
    url = reverse("funding:grant-create", args=[mobility.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "rule_set": funding.rule_set.pk,
            "budget": funding.budget.pk,
            "activity": "student-studies",
            "travel_days": 0,
            "fewer_opportunities": "on",
            "co_funder": funding.foundation_budget.pk,
        },
    )
    assert response.status_code == 302
    grant = mobility.grant
    assert grant.total == Decimal("4424.00")
    assert {s.budget_id: s.amount for s in grant.shares.all()} == {
        funding.foundation_budget.pk: Decimal("395.00"),
        funding.budget.pk: Decimal("4029.00"),
    }


def test_a_payment_above_the_grant_is_explained_on_the_page(client, personas, grant):
    client.force_login(personas.coordinator)
    page = client.post(
        reverse("funding:payment-add", args=[grant.pk]),
        {"label": "All", "amount": "3000.00", "paid_on": "2026-08-20"},
    )
    assert page.status_code == 200
    assert "cannot exceed the grant" in page.content.decode()
    assert not grant.payments.exists()


def test_a_stale_grant_form_shows_the_conflict(client, personas, grant):
    services.grant_update(actor=personas.admin, grant=grant, data={"green_travel": True})
    client.force_login(personas.coordinator)
    page = client.post(
        reverse("funding:grant-edit", args=[grant.pk]),
        {"version": 1, "travel_days": 0, "fewer_opportunities": "on"},
    )
    assert page.status_code == 200
    grant.refresh_from_db()
    assert not grant.fewer_opportunities


def test_an_administrator_edits_a_draft_and_a_bad_band_is_refused(client, personas, funding):
    client.force_login(personas.admin)
    assert client.post(reverse("funding:rule-set-draft", args=[funding.rule_set.pk])).status_code == 302
    draft = funding.rule_set.versions.get(status="draft")
    data = draft.data
    data["distance_bands"][1]["min_km"] = 150
    page = client.post(
        reverse("funding:version-edit", args=[draft.pk]),
        {"data": json.dumps(data), "note": "typo", "version": draft.version},
    )
    assert page.status_code == 200
    assert "distance_bands[1]" in page.content.decode()
    assert "gap" in page.content.decode()
    rule_page = client.get(reverse("funding:rule-set", args=[funding.rule_set.pk]))
    assert "Erasmus+ Programme Guide 2024" in rule_page.content.decode()


def test_exports_neutralise_formulas(client, personas, grant):
    personas.student.first_name = "=HYPERLINK(1)"
    personas.student.save()
    client.force_login(personas.coordinator)
    csv = client.get(reverse("funding:beneficiary-export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv
    assert "Total Grant" in csv.splitlines()[0]
    xlsx = client.get(reverse("funding:report") + "?by=country&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_pdfs(client, personas, grant, funding):
    client.force_login(personas.coordinator)
    agreement = client.get(reverse("funding:grant-pdf", args=[grant.pk]))
    assert agreement.content.startswith(b"%PDF")
    summary = client.get(reverse("funding:budget-pdf", args=[funding.budget.pk]))
    assert summary.content.startswith(b"%PDF")


def test_the_forecast_warns_before_over_commitment(client, personas, funding, grant):
    services.budget_update(actor=personas.admin, budget=funding.budget, data={"amount": Decimal("5000")})
    candidates = [make_mobility(personas) for _ in range(2)]
    client.force_login(personas.coordinator)
    page = client.get(
        reverse("funding:forecast"),
        {
            "rule_set": funding.rule_set.pk,
            "budget": funding.budget.pk,
            "mobilities": [m.pk for m in candidates],
        },
        headers={"HX-Request": "true"},
    )
    assert "Over-committed" in page.content.decode()
