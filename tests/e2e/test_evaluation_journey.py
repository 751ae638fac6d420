"""The evaluation journey in the browser: the coordinator opens Impact, goes from the portfolio's
health ranking to the partnership's dashboard, filters it to one academic year, and downloads the
annual report the background job makes. Every page passes axe."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accord.agreements.models import Agreement
from accord.mobilities.choices import MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.testing.factories import agreement_document, make_agreement, make_partnership, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def history(personas):
    partnership = make_partnership(personas.home, personas.partner_org, title="Vistula–Iberia Exchange")
    agreement = make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        approved_version=agreement.current_version, status="in_effect"
    )
    for year, outgoing, incoming in ((2023, 2, 1), (2024, 4, 3)):
        for number in range(outgoing + incoming):
            out = number < outgoing
            Mobility.objects.create(
                participant=make_user(),
                mobility_type=MobilityType.LONG_TERM_PHYSICAL,
                sending_organisation=personas.home if out else personas.partner_org,
                receiving_organisation=personas.partner_org if out else personas.home,
                agreement=agreement,
                academic_year=f"{year}/{year + 1}",
                planned_start=date(year, 10, 1),
                planned_end=date(year + 1, 2, 28),
                duration_days=151,
                duration_months=Decimal(5),
                eqf_level=6,
                isced_code="0714",
                status=MobilityStatus.COMPLETED,
            )
    return partnership


def test_open_the_partnership_dashboard_filter_by_year_and_download_the_report(
    page, history, sign_in, assert_accessible
):
    sign_in("coordinator")
    page.locator("footer").get_by_role("link", name="Impact").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home University")
    assert_accessible(page, context="institution dashboard")

    page.get_by_role("link", name="its partnerships").first.click()
    health = page.locator("#health")
    expect(health).to_contain_text("Vistula–Iberia Exchange")
    assert_accessible(page, context="portfolio with partnership health")
    health.get_by_role("link", name="Vistula–Iberia Exchange").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vistula–Iberia Exchange")
    assert_accessible(page, context="partnership dashboard")

    page.get_by_label("From academic year starting in").fill("2024")
    page.get_by_label("To academic year starting in").fill("2024")
    page.get_by_role("button", name="Apply filters").click()
    series = page.locator("#table-series")
    expect(series.locator("tbody tr")).to_have_count(1)
    expect(series).to_contain_text("2024/2025")
    expect(page.locator("#indicator-mobilityparticipants")).to_contain_text("7")
    assert_accessible(page, context="partnership dashboard filtered to one year")

    page.get_by_label("Format").select_option("pdf")
    page.get_by_role("button", name="Make the report").click()
    download_link = page.get_by_role("link", name="Download the report")
    expect(download_link).to_be_visible()
    assert_accessible(page, context="report job page")
    with page.expect_download() as downloaded:
        download_link.click()
    assert downloaded.value.suggested_filename.endswith(".pdf")
