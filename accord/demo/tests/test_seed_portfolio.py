"""After ``seed_demo`` the demo university's portfolio is in every state issue 19 names, the rows
inserted in bulk are valid, and every persona's home page shows something to look at and a thing to do.
One test, because seeding is the slow part."""

import html

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from accord.accounts.models import User
from accord.agreements.choices import AgreementStatus, PartnerCopySource
from accord.agreements.models import Agreement, PartnerCopy
from accord.agreements.selectors import expiry_window
from accord.demo.portfolio import APPLICANTS
from accord.demo.seed import seed_demo
from accord.exchanges.choices import CallStatus, NominationStatus
from accord.exchanges.models import AllocationRun, Application, Call, Nomination, Review
from accord.mobilities.choices import MobilityStatus, MobilityType, VersionStatus
from accord.mobilities.models import GradeConversion, Mobility, Signature, Transcript
from accord.partnerships.choices import PartnershipModel
from accord.partnerships.models import Indicator, Partnership
from accord.reference.countries import continent_of

pytestmark = pytest.mark.django_db

HOME = "aurora.example.edu"


def _agreement_states(today) -> None:
    mine = Agreement.objects.filter(party_links__organisation__schac_code=HOME).distinct()
    statuses = set(mine.values_list("status", flat=True))
    assert {AgreementStatus.DRAFT, AgreementStatus.SHARED, AgreementStatus.IN_EFFECT} <= statuses
    assert AgreementStatus.TERMINATED in statuses
    # Approved by one side: the owner shared it (its approval), the home university has not approved.
    assert mine.filter(status=AgreementStatus.SHARED).exclude(owner__schac_code=HOME).exists()
    amended = mine.get(title="Aurora–Table Bay student exchange")
    assert amended.versions.count() >= 3 and amended.status == AgreementStatus.IN_EFFECT
    assert mine.filter(
        status=AgreementStatus.IN_EFFECT, ends_on__gte=today, ends_on__lte=today + expiry_window()
    ).exists()
    copy = PartnerCopy.objects.get(agreement__owner__schac_code=HOME, source=PartnerCopySource.EWP)
    assert copy.conditions_hash != copy.agreement.current_version.conditions_hash


def _call_states() -> None:
    calls = Call.objects.filter(owner__schac_code=HOME)
    assert {CallStatus.OPEN, CallStatus.CLOSED, CallStatus.PUBLISHED} <= set(
        calls.values_list("status", flat=True)
    )
    big = max(calls, key=lambda call: call.applications.count())
    assert big.applications.count() >= APPLICANTS
    assert Review.objects.filter(application__call=big).count() >= APPLICANTS
    assert AllocationRun.objects.filter(call=big, published_at__isnull=False).exists()
    nominations = set(Nomination.objects.filter(application__call=big).values_list("status", flat=True))
    assert {NominationStatus.PENDING, NominationStatus.ACCEPTED} <= nominations
    under_review = calls.get(status=CallStatus.CLOSED)
    reviewed = Application.objects.filter(call=under_review, reviews__isnull=False).distinct().count()
    assert 0 < reviewed < under_review.applications.count()


def _mobility_stages() -> None:
    students = Mobility.objects.filter(mobility_type=MobilityType.LONG_TERM_PHYSICAL)
    outgoing = students.filter(sending_organisation__schac_code=HOME)
    incoming = students.filter(receiving_organisation__schac_code=HOME)
    assert outgoing.exists() and incoming.exists()
    assert Mobility.objects.filter(mobility_type__startswith="staff_").exists()
    assert Mobility.objects.filter(mobility_type=MobilityType.BLENDED_INTENSIVE).exists()
    proposed = students.filter(learning_agreement__current_version__status=VersionStatus.PROPOSED)
    assert proposed.filter(learning_agreement__current_version__signatures__isnull=True).exists()
    two_of_three = [
        m
        for m in proposed
        if Signature.objects.filter(version=m.learning_agreement.current_version).count() == 2
    ]
    assert two_of_three, "a learning agreement signed by two of three"
    assert proposed.filter(learning_agreement__approved_version__isnull=False).exists(), "a change pending"
    assert students.filter(status=MobilityStatus.ONGOING).exists(), "arrived"
    assert Transcript.objects.filter(mobility__status=MobilityStatus.COMPLETED).exists()
    assert GradeConversion.objects.filter(
        entry__transcript__mobility__status=MobilityStatus.COMPLETED
    ).exists()
    assert students.filter(status=MobilityStatus.RECOGNISED).exists()


def _partnerships() -> None:
    mine = Partnership.objects.filter(members__organisation__schac_code=HOME).distinct()
    assert len(set(mine.values_list("model", flat=True))) >= 4
    assert Indicator.objects.filter(objective__partnership__in=mine).count() >= 4
    continents = {
        continent_of(country)
        for country in Partnership.objects.filter(pk__in=mine).values_list(
            "members__organisation__country_code", flat=True
        )
    }
    assert {"Europe", "Africa", "Asia"} <= continents and continents & {"North America", "South America"}
    south = {"Africa", "South America", "Asia"}
    assert any(
        {continent_of(c) for c in p.members.values_list("organisation__country_code", flat=True)} <= south
        for p in Partnership.objects.filter(model=PartnershipModel.BILATERAL_EXCHANGE)
    ), "a South–South partnership"


def test_the_portfolio_is_in_every_state_and_every_home_page_has_work(client):
    seed_demo()
    _agreement_states(timezone.localdate())
    _call_states()
    _mobility_stages()
    _partnerships()
    for user in User.objects.filter(username__startswith="aurora-student-")[:3]:
        user.full_clean()
    for username in (
        "demo-admin",
        "demo-coordinator",
        "demo-teacher",
        "demo-student",
        "demo-viewer",
        "demo-partner",
        "demo-staff",
    ):
        client.force_login(User.objects.get(username=username))
        page = client.get("/accounts/dashboard/").content.decode()
        assert 'class="home-items"' in page, username
        assert page.count("<a ") > 10, username
    client.force_login(User.objects.get(username="demo-coordinator"))
    page = client.get("/accounts/dashboard/").content.decode()
    for todo in ("todo=approve", "todo=expiring"):
        assert todo in page, todo
    copy = PartnerCopy.objects.get(agreement__owner__schac_code=HOME)
    page = client.get(f"/agreements/{copy.agreement_id}/copies/{copy.organisation_id}/").content.decode()
    text = " ".join(html.unescape(strip_tags(page)).split())
    assert "mobilities per year: 2 → 3" in text
