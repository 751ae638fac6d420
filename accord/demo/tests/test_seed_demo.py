"""``manage.py seed_demo``: a valid, worldwide, idempotent demo directory with one login per role."""

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from accord.accounts.models import Membership, User
from accord.demo import data
from accord.demo.open_call import TITLE as OPEN_CALL_TITLE
from accord.demo.partnership import TITLE as PARTNERSHIP_TITLE
from accord.exchanges.models import Nomination, Review
from accord.mobilities.models import GradeDistributionTable, Mobility
from accord.organisations.identifiers import (
    normalise_erasmus_code,
    normalise_pic,
    normalise_ror,
    normalise_schac,
)
from accord.organisations.models import Contact, Factsheet, Organisation, OrganisationalUnit
from accord.partnerships.models import ActionItem, Partnership
from accord.reference.cities import find_city
from accord.reference.countries import continent_of

pytestmark = pytest.mark.django_db

INHABITED = {"Africa", "Asia", "Europe", "North America", "South America", "Oceania"}


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Organisation,
            OrganisationalUnit,
            Contact,
            Factsheet,
            User,
            Membership,
            Partnership,
            ActionItem,
            Mobility,
            Nomination,
        )
    )


def test_seed_demo_builds_a_valid_worldwide_directory_once(capsys, monkeypatch, client):
    """One test, because seeding is the slow part: run it, check everything, run it again."""
    monkeypatch.setenv("PORT", "8123")
    call_command("seed_demo")
    seeded = capsys.readouterr()

    # Worldwide, every kind, networks with members
    organisations = list(Organisation.objects.prefetch_related("network_members"))
    assert len(organisations) >= 80
    countries = {organisation.country_code for organisation in organisations}
    assert len(countries) >= 30
    assert {continent_of(code) for code in countries} >= INHABITED
    assert {o.kind for o in organisations} == {"hei", "school", "ngo", "agency", "company", "network"}
    networks = [o for o in organisations if o.kind == "network"]
    assert len(networks) >= 3 and all(network.network_members.exists() for network in networks)
    assert all(o.city_geonameid and o.timezone and o.latitude is not None for o in organisations)

    # Every row valid, identifiers in canonical form
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        assert normalise_schac(organisation.schac_code) == organisation.schac_code
        if organisation.erasmus_code:
            assert organisation.kind == "hei" and continent_of(organisation.country_code) in {
                "Europe",
                "Asia",
            }
            assert normalise_erasmus_code(organisation.erasmus_code) == organisation.erasmus_code
        if organisation.pic:
            assert normalise_pic(organisation.pic) == organisation.pic
        if organisation.ror_id:
            assert normalise_ror(organisation.ror_id) == organisation.ror_id
        assert 2 <= organisation.units.count() <= 6
        assert 2 <= organisation.contacts.count() <= 4
    for unit in OrganisationalUnit.objects.all():
        unit.full_clean(validate_unique=False, validate_constraints=False)  # the database enforced them
    for contact in Contact.objects.all():
        contact.full_clean(validate_unique=False, validate_constraints=False)
    assert OrganisationalUnit.objects.filter(parent__isnull=False).exists()
    assert {c.visibility for c in Contact.objects.all()} == {"public", "members"}

    # Logins: listed with the URL, all working
    assert "http://127.0.0.1:8123/" in seeded.out
    assert "accord-demo" in seeded.err  # the warning
    for demo in data.DEMO_USERS:
        assert demo.username in seeded.out
        response = client.post(
            "/accounts/login/", {"username": demo.username, "password": data.DEMO_PASSWORD}
        )
        assert response.status_code == 302, demo.username
        client.logout()
    partner = User.objects.get(username="demo-partner").memberships.get()
    home = User.objects.get(username="demo-admin").memberships.get()
    assert partner.organisation.country_code != home.organisation.country_code
    assert User.objects.get(username="demo-staff").is_superuser
    # The Spanish partner's coordinator reads Accord in Spanish, whatever the browser says
    assert User.objects.get(username="demo-partner").language == "es"
    client.force_login(User.objects.get(username="demo-partner"))
    dashboard = client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert dashboard.headers["Content-Language"] == "es" and "Mi panel" in dashboard.content.decode()
    client.logout()

    # A partnership between the demo home and partner organisations, with objectives and a log
    partnership = Partnership.objects.get(title=PARTNERSHIP_TITLE)
    assert {m.organisation for m in partnership.members.all()} == {home.organisation, partner.organisation}
    assert partnership.status == "active" and partnership.transitions.count() == 3
    assert partnership.objectives.get().indicators.count() == 2
    assert partnership.meetings.count() == 1 and partnership.action_items.count() == 2
    client.force_login(User.objects.get(username="demo-viewer"))
    assert "Annual review of the exchange" in client.get(f"/partnerships/{partnership.pk}/").content.decode()

    # The home university shows a factsheet for incoming students, recorded through the service
    home_page = client.get(f"/organisations/{home.organisation.pk}/").content.decode()
    assert "Factsheet for incoming students" in home_page and "15 May" in home_page

    # An open call with the demo student's submitted application and the demo teacher's review of it
    client.force_login(User.objects.get(username="demo-teacher"))
    review = Review.objects.select_related("application").get(application__call__title=OPEN_CALL_TITLE)
    page = client.get(f"/exchanges/applications/{review.application_id}/").content.decode()
    assert "A clear, realistic plan." in page and f'name="version" value="{review.version}"' in page
    client.logout()

    # The demo mobility came through the chain: call, run, publication, the partner's acceptance
    mobility = Mobility.objects.get(participant__username="demo-student")
    nomination = Nomination.objects.get(pk=mobility.source_id)
    assert mobility.source == "nomination" and nomination.status == "accepted"
    assert mobility.status == "accepted" and mobility.agreement.approved_version_id is not None
    assert nomination.application.student.username == "demo-student"
    for username, text in (
        ("demo-student", "Propose your learning agreement"),
        ("demo-coordinator", "Learning agreement"),
        ("demo-partner", "Learning agreement"),
    ):
        user = User.objects.get(username=username)
        client.force_login(user)
        with translation.override(user.language or "en"):
            assert gettext(text) in client.get(f"/mobilities/{mobility.pk}/").content.decode(), username
    client.force_login(User.objects.get(username="demo-student"))
    application_page = client.get(f"/exchanges/applications/{nomination.application_id}/").content.decode()
    assert "Accepted by" in application_page and "Propose your learning agreement" in application_page
    client.force_login(User.objects.get(username="demo-partner"))
    with translation.override("es"):
        assert gettext("The mobility") in client.get("/exchanges/nominations/").content.decode()
    client.logout()

    # Both universities have a grade distribution table for broad field 04 at EQF 6 only, so a
    # conversion for a mobility in 0413 shows the fallback to the broad field
    tables = GradeDistributionTable.objects.all()
    assert sorted((t.organisation_id, t.isced_code, t.eqf_level) for t in tables) == sorted(
        [(home.organisation.pk, "04", 6), (partner.organisation.pk, "04", 6)]
    )

    # Idempotent
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert GradeDistributionTable.objects.count() == 2
    assert "nothing changed" in capsys.readouterr().out


def test_pinned_city_ids_are_what_find_city_finds():
    for (country, name), geonameid in data.CITY_IDS.items():
        assert find_city(name, country).geonameid == geonameid, (country, name)
