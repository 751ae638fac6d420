"""Partner recommendations: factors, weights, existing partners, missing data, and the invitation."""

import pytest

from accord.discovery.recommendations import recommend_partners
from accord.organisations.models import OrganisationField, OrganisationLanguage
from accord.partnerships.models import Partnership
from accord.testing.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def profile(organisation, fields=(), languages=(), **text):
    for code in fields:
        OrganisationField.objects.create(organisation=organisation, isced_code=code)
    for code in languages:
        OrganisationLanguage.objects.create(organisation=organisation, language_code=code)
    for name, value in text.items():
        setattr(organisation, name, value)
    organisation.save()
    return organisation


@pytest.fixture
def directory(personas):
    profile(
        personas.home,
        ["0613", "0541"],
        ["pl", "en"],
        mission="Research university",
        offers="computer science courses in English",
        seeks="partners in data science and mathematics",
    )
    fit = profile(
        make_organisation(name="Good Fit", country_code="BR"),
        ["0613", "0542"],
        ["en", "pt"],
        offers="data science and mathematics",
        seeks="computer science",
    )
    poor = profile(
        make_organisation(name="Poor Fit", country_code="DE"),
        ["0215"],
        ["de"],
        offers="music performance",
        seeks="conservatories",
    )
    make_partnership(personas.home, personas.partner_org)
    return {"fit": fit, "poor": poor}


def test_the_fitting_candidate_ranks_first_with_its_factors(personas, directory):
    answer = recommend_partners(user=personas.coordinator, organisation=personas.home)
    names = [item.organisation.name for item in answer.recommendations]
    assert names.index("Good Fit") < names.index("Poor Fit")
    first = answer.recommendations[0]
    assert first.organisation == directory["fit"]
    assert (
        first.factors["subjects"] == 1.0
        and first.factors["languages"] == 0.5
        and first.factors["complementarity"] > 0
    )
    assert not answer.missing


def test_existing_partners_are_marked_and_weights_change_the_order(personas, directory):
    answer = recommend_partners(
        user=personas.coordinator,
        organisation=personas.home,
        weights={
            name: 0
            for name in ("subjects", "profile", "complementarity", "languages", "reciprocity", "new_region")
        }
        | {"network": 1},
    )
    partner = next(item for item in answer.recommendations if item.organisation == personas.partner_org)
    assert partner.existing_partner
    assert answer.weights["subjects"] == 0


def test_too_little_data_says_what_is_missing(personas):
    make_organisation(name="Somebody")
    answer = recommend_partners(user=personas.coordinator, organisation=personas.home)
    assert answer.missing == [
        "Add the organisation's fields of strength (ISCED-F) to its profile.",
        "Add its languages of instruction to its profile.",
        "Describe its mission, what it offers and what it seeks in partners.",
    ]


def test_the_page_shows_why_and_invites(client, personas, directory, django_assert_max_num_queries):
    client.force_login(personas.coordinator)
    client.get("/discovery/")  # the first request reads the directory into the index
    with django_assert_max_num_queries(16):
        page = client.get("/discovery/", {"organisation": personas.home.pk, "w_subjects": "5"})
    text = page.content.decode()
    assert "Good Fit" in text and "Why this partner" in text and "Already a partner" in text
    invited = client.post(f"/discovery/invite/{personas.home.pk}/{directory['fit'].pk}/")
    partnership = Partnership.objects.get(organisations=directory["fit"])
    assert invited.status_code == 302 and invited["Location"] == f"/partnerships/{partnership.pk}/"


def test_students_get_no_recommendations(client, personas):
    client.force_login(personas.student)
    assert client.get("/discovery/").status_code == 403


def test_the_api(client, personas, directory):
    client.force_login(personas.coordinator)
    answer = client.post(
        "/api/v1/discovery/partners",
        {"organisation_id": personas.home.pk, "weights": {"south_south": 2}},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["recommendations"][0]["name"] == "Good Fit"


def test_profiles_in_other_languages_compare_through_the_semantic_index(personas, settings):
    from accord.discovery import indexing

    settings.ACCORD_SEMANTIC_INDEX = True
    profile(
        personas.home,
        ["0521"],
        ["en"],
        mission="Research on climate change, renewable energy and sustainability.",
    )
    french = profile(
        make_organisation(name="Université Verte", country_code="FR"),
        ["0521"],
        ["fr"],
        mission="Recherche sur le changement climatique, énergies renouvelables, développement durable.",
    )
    profile(
        make_organisation(name="Conservatorio", country_code="IT"),
        ["0215"],
        ["it"],
        mission="Formazione musicale, composizione e interpretazione strumentale.",
    )
    assert indexing.index_refresh()["profiles"] == 3
    answer = recommend_partners(user=personas.coordinator, organisation=personas.home)
    first = answer.recommendations[0]
    assert first.organisation == french and first.factors["profile"] == 1.0


def test_a_partnership_objective_steers_the_recommendation(client, personas):
    from accord.partnerships.models import Objective

    partnership = make_partnership(personas.home, personas.partner_org)
    objective = Objective.objects.create(
        partnership=partnership, title="Marine biology", description="Joint fieldwork on coastal ecosystems"
    )
    marine = profile(
        make_organisation(name="Coastal Institute"), offers="marine biology and coastal ecosystems"
    )
    profile(make_organisation(name="Music Academy"), offers="music performance")
    client.force_login(personas.coordinator)
    page = client.get("/discovery/", {"organisation": personas.home.pk, "objective": objective.pk})
    assert "Marine biology" in page.content.decode()
    answer = client.post(
        "/api/v1/discovery/partners",
        {"organisation_id": personas.home.pk, "objective_id": objective.pk},
        content_type="application/json",
    ).json()
    first = answer["recommendations"][0]
    assert first["organisation_id"] == marine.pk and first["factors"]["profile"] > 0
    client.force_login(personas.outsider)
    hidden = client.post(
        "/api/v1/discovery/partners",
        {"organisation_id": personas.outsider_org.pk, "objective_id": objective.pk},
        content_type="application/json",
    ).json()
    assert all(item["factors"]["profile"] == 0 for item in hidden["recommendations"])
