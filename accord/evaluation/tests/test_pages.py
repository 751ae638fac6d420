"""The evaluation pages: access, query counts, CSVs, filters, objectives, evidence, reports and health."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accord.bips import services as bip_services
from accord.bips.models import BipParticipant
from accord.core.models import Job
from accord.evaluation.models import IndicatorBinding
from accord.evaluation.tests.conftest import add_mobilities
from accord.partnerships.choices import ActionItemStatus
from accord.partnerships.models import ActionItem, Indicator, IndicatorActual, IndicatorTarget, Objective
from accord.testing.bips import make_bip_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, world):
    client.force_login(world["coordinator"])
    return client


def test_dashboards_answer_only_those_who_may_see_them(client, world):
    add_mobilities(world, 3)
    url = reverse("evaluation:partnership", args=[world["partnership"].pk])
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("evaluation:institution", args=[world["home"].pk])).status_code == 404
    client.force_login(world["viewer"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["partnership", "institution", "portfolio"])
def test_dashboard_pages_hold_their_query_count(signed_in, world, name, django_assert_max_num_queries):
    pk = world["partnership"].pk if name == "partnership" else world["home"].pk
    url = reverse(f"evaluation:{name}", args=[pk])
    add_mobilities(world, 2)
    with django_assert_max_num_queries(45):
        first = signed_in.get(url)
    add_mobilities(world, 10, incoming=True, year=2023)
    with django_assert_max_num_queries(45):
        second = signed_in.get(url)
    assert first.status_code == second.status_code == 200
    content = second.content.decode()
    assert "<svg" in content and 'aria-describedby="table-series"' in content
    assert "This indicator needs the joint programmes and courses domain" in content


def test_every_chart_has_a_csv_under_the_same_filters(signed_in, world):
    add_mobilities(world, 2, year=2024)
    add_mobilities(world, 3, year=2023, incoming=True)
    base = reverse("evaluation:csv", args=["partnership", world["partnership"].pk, "series"])
    text = signed_in.get(base + "?from_year=2023&to_year=2024").content.decode("utf-8-sig")
    assert "2023/2024,0,3,0,3" in text and "2024/2025,2,0,0,2" in text
    flows = signed_in.get(base.replace("series", "flows")).content.decode("utf-8-sig")
    assert "PL,KE,2" in flows
    by_type = signed_in.get(base.replace("series", "mobility.by_type")).content.decode("utf-8-sig")
    assert "long_term_physical" in by_type


def test_a_period_that_ends_before_it_starts_is_explained_on_the_filter(signed_in, world):
    url = reverse("evaluation:partnership", args=[world["partnership"].pk])
    response = signed_in.get(url + "?from_year=2026&to_year=2024")
    assert response.status_code == 200
    assert "The period ends in 2024, before it starts in 2026." in response.content.decode()


def test_a_report_is_made_in_the_background_and_downloaded(
    signed_in, world, django_capture_on_commit_callbacks
):
    add_mobilities(world, 3, year=2024)
    url = reverse("evaluation:report", args=["partnership", world["partnership"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url, {"from_year": 2023, "to_year": 2025, "fmt": "pdf"})
    job = Job.objects.get()
    assert response.url == reverse("evaluation:report-status", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.message
    page = signed_in.get(response.url).content.decode()
    assert "Download the report" in page
    download = signed_in.get(reverse("evaluation:report-download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    default_storage.delete(job.result["file"])


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_data_exports_and_portfolio_review(signed_in, world, fmt, django_capture_on_commit_callbacks):
    add_mobilities(world, 1, year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            reverse("evaluation:report", args=["portfolio", world["home"].pk]),
            {"from_year": 2024, "to_year": 2024, "fmt": fmt},
        )
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.message
    default_storage.delete(job.result["file"])


def test_a_report_for_a_period_with_nothing_in_it_says_so(signed_in, world):
    back = reverse("evaluation:partnership", args=[world["partnership"].pk])
    response = signed_in.post(
        reverse("evaluation:report", args=["partnership", world["partnership"].pk]),
        {"from_year": 2010, "to_year": 2011, "fmt": "pdf", "back": back},
        follow=True,
    )
    assert not Job.objects.exists()
    assert "Nothing was recorded for Home–Nairobi in 2010/2011 – 2011/2012" in response.content.decode()


@pytest.fixture
def indicator(world):
    objective = Objective.objects.create(partnership=world["partnership"], title="More exchange")
    indicator = Indicator.objects.create(
        objective=objective, name="Outgoing students", unit="students", baseline_value=0
    )
    IndicatorTarget.objects.create(indicator=indicator, year=2026, target_value=10)
    return indicator


def test_binding_an_indicator_computes_its_actuals_and_status(signed_in, world, indicator):
    add_mobilities(world, 4, year=2024)
    add_mobilities(world, 6, year=2025)
    url = reverse("evaluation:bind", args=[world["partnership"].pk, indicator.pk])
    prefix = f"bind-{indicator.pk}"
    data = {
        f"{prefix}-definition": "mobility.outgoing",
        f"{prefix}-first_year": 2023,
        f"{prefix}-last_year": 2026,
    }
    response = signed_in.post(url, {**data, f"{prefix}-version": 0})
    assert response.status_code == 302
    binding = IndicatorBinding.objects.get()
    page = signed_in.get(reverse("evaluation:objectives", args=[world["partnership"].pk])).content.decode()
    assert "Computed by Accord" in page and "Source:" in page
    # A second tab still holding version 0 is told, not overwritten.
    stale = signed_in.post(url, {**data, f"{prefix}-last_year": 2027, f"{prefix}-version": 0})
    assert stale.status_code == 409
    binding.refresh_from_db()
    assert binding.last_year == 2026


def test_a_reversed_target_period_is_refused_with_a_sentence(signed_in, world, indicator):
    prefix = f"bind-{indicator.pk}"
    response = signed_in.post(
        reverse("evaluation:bind", args=[world["partnership"].pk, indicator.pk]),
        {
            f"{prefix}-definition": "",
            f"{prefix}-first_year": 2028,
            f"{prefix}-last_year": 2024,
            f"{prefix}-version": 0,
        },
    )
    assert response.status_code == 400
    assert "The target period ends in 2024, before it starts in 2028." in response.content.decode()
    assert not IndicatorBinding.objects.exists()


def test_hand_entered_figures_take_evidence(signed_in, world, indicator):
    actual = IndicatorActual.objects.create(indicator=indicator, year=2024, value=Decimal(3))
    prefix = f"evidence-{actual.pk}"
    url = reverse("evaluation:evidence", args=[world["partnership"].pk, actual.pk])
    refused = signed_in.post(url, {f"{prefix}-version": 0})
    assert "Give a link or a file" in refused.content.decode()
    saved = signed_in.post(url, {f"{prefix}-link": "https://example.org/report", f"{prefix}-version": 0})
    assert saved.status_code == 302
    assert actual.evidence.link == "https://example.org/report"


def test_health_explains_its_warnings_on_the_portfolio(signed_in, world):
    add_mobilities(world, 6, year=timezone.localdate().year - 1)
    ActionItem.objects.create(
        partnership=world["partnership"],
        title="Send the nominations",
        owner=world["coordinator"],
        due_date=date.today() - timedelta(days=3),
        status=ActionItemStatus.OPEN,
    )
    page = signed_in.get(reverse("evaluation:portfolio", args=[world["home"].pk])).content.decode()
    assert "1 action item is overdue." in page
    assert "Flows with Nairobi University are unbalanced" in page
    assert "No meeting has been logged" in page
    assert "Survey results falling: needs the participant surveys domain" in page


def test_a_programme_dashboard_for_the_staff_of_its_institutions(
    client, personas, django_assert_max_num_queries
):
    world = make_bip_world(personas)
    nomination = bip_services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=world.partner_student,
        kind="student",
        eqf_level=6,
    )
    bip_services.participant_decide(actor=personas.coordinator, participant=nomination, accept=True)
    assert BipParticipant.objects.filter(mobility__isnull=False).exists()
    client.force_login(personas.coordinator)
    institution = client.get(reverse("evaluation:institution", args=[personas.home.pk])).content.decode()
    url = reverse("evaluation:programme", args=[world.bip.pk])
    assert url in institution
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert page.status_code == 200
    assert "BIP participants" in page.content.decode()
    client.force_login(world.partner_student)
    assert client.get(url).status_code == 404, "participants see the programme, not its figures"


def test_the_objectives_page_holds_its_query_count(signed_in, world, django_assert_max_num_queries):
    add_mobilities(world, 3, year=2024)
    objective = Objective.objects.create(partnership=world["partnership"], title="Balance")
    url = reverse("evaluation:objectives", args=[world["partnership"].pk])

    def add_indicator(number):
        indicator = Indicator.objects.create(objective=objective, name=f"Indicator {number}", unit="people")
        IndicatorTarget.objects.create(indicator=indicator, year=2026, target_value=10)
        IndicatorActual.objects.create(indicator=indicator, year=2024, value=Decimal(number))
        IndicatorBinding.objects.create(
            indicator=indicator, definition="mobility.incoming", first_year=2023, last_year=2026
        )

    add_indicator(1)
    with django_assert_max_num_queries(30) as few:
        assert signed_in.get(url).status_code == 200
    for number in range(2, 6):
        add_indicator(number)
    with django_assert_max_num_queries(len(few)):
        assert signed_in.get(url).status_code == 200
