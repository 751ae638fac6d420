import pytest
from django.utils import timezone

from accord.reference.academic_years import current_academic_year

BASE = "/api/v1/reference"
BERLIN = 2950159


@pytest.fixture
def api(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="reader", email="reader@example.edu", password="a long enough password"
    )
    client.force_login(user)
    return client


def _validation_errors(response) -> dict:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    return body["errors"]


def _not_found_message(response) -> str:
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["code"] == "not_found"
    return body["message"]


@pytest.mark.django_db
def test_signing_in_is_required(client):
    assert client.get(f"{BASE}/countries").status_code == 401


@pytest.mark.django_db
def test_countries(api):
    countries = api.get(f"{BASE}/countries").json()
    assert len(countries) == 250
    assert {
        "code": "XK",
        "name": "Kosovo",
        "official_name": "Republic of Kosovo",
        "flag": "🇽🇰",
        "continent": "Europe",
    } in countries
    assert {
        "code": "FR",
        "name": "France",
        "official_name": "French Republic",
        "flag": "🇫🇷",
        "continent": "Europe",
    } in countries


@pytest.mark.django_db
def test_country(api):
    assert api.get(f"{BASE}/countries/br").json()["continent"] == "South America"
    assert _not_found_message(api.get(f"{BASE}/countries/XX")) == "'XX' is not an ISO 3166-1 country code."


@pytest.mark.django_db
def test_languages_and_currencies(api):
    assert {"code": "pl", "name": "Polish"} in api.get(f"{BASE}/languages").json()
    assert {"code": "EUR", "name": "Euro"} in api.get(f"{BASE}/currencies").json()


@pytest.mark.django_db
def test_city_search(api):
    cities = api.get(f"{BASE}/cities", {"q": "krak", "country": "pl", "limit": 3}).json()
    assert cities[0]["name"] == "Kraków"
    assert set(cities[0]) == {
        "geonameid",
        "name",
        "country_code",
        "latitude",
        "longitude",
        "timezone",
        "population",
        "admin1_code",
    }
    assert len(cities) <= 3
    assert {city["country_code"] for city in cities} == {"PL"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "k"}, "q"),
        ({"q": "krak", "country": "XX"}, "country"),
        ({"q": "krak", "limit": 51}, "limit"),
        ({"q": "krak", "limit": 0}, "limit"),
    ],
)
def test_city_search_parameters_are_checked(api, params, field):
    assert field in _validation_errors(api.get(f"{BASE}/cities", params))


@pytest.mark.django_db
def test_city(api):
    assert api.get(f"{BASE}/cities/{BERLIN}").json()["timezone"] == "Europe/Berlin"
    assert _not_found_message(api.get(f"{BASE}/cities/1")) == "No city has the GeoNames id 1."


@pytest.mark.django_db
def test_isced_list_and_filters(api):
    assert len(api.get(f"{BASE}/isced").json()) == 219
    broad = api.get(f"{BASE}/isced", {"level": "broad"}).json()
    assert [field["code"] for field in broad][-1] == "99"
    children = api.get(f"{BASE}/isced", {"parent": "041", "level": "detailed"}).json()
    assert children[3] == {
        "code": "0413",
        "name": "Management and administration",
        "level": "detailed",
        "parent": "041",
        "label": "0413 Management and administration",
    }


@pytest.mark.django_db
def test_isced_filters_are_checked(api):
    assert set(_validation_errors(api.get(f"{BASE}/isced", {"level": "wide", "parent": "777"}))) == {
        "level",
        "parent",
    }


@pytest.mark.django_db
def test_isced_field(api):
    assert (
        api.get(f"{BASE}/isced/0613").json()["name"] == "Software and applications development and analysis"
    )
    assert _not_found_message(api.get(f"{BASE}/isced/0418")) == "'0418' is not an ISCED-F 2013 code."


@pytest.mark.django_db
def test_eqf_and_cefr(api):
    eqf = api.get(f"{BASE}/eqf").json()
    assert [level["level"] for level in eqf] == list(range(1, 9))
    assert eqf[6]["cycle"] == "Second cycle (master)"
    assert api.get(f"{BASE}/cefr").json()[3] == {"code": "B2", "name": "Vantage", "rank": 4}


@pytest.mark.django_db
def test_academic_years(api):
    years = api.get(f"{BASE}/academic-years", {"from": "2024/2025", "count": 3}).json()
    assert years == [
        {"label": "2024/2025", "start_year": 2024, "end_year": 2025},
        {"label": "2025/2026", "start_year": 2025, "end_year": 2026},
        {"label": "2026/2027", "start_year": 2026, "end_year": 2027},
    ]


@pytest.mark.django_db
def test_academic_years_start_with_the_current_one_by_default(api):
    years = api.get(f"{BASE}/academic-years").json()
    assert len(years) == 5
    assert years[0]["label"] == current_academic_year(timezone.localdate()).label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2024/2026"}, "from"),
        ({"from": "2024"}, "from"),
        ({"count": 0}, "count"),
        ({"count": 21}, "count"),
        ({"from": "9997/9998", "count": 5}, "count"),
    ],
)
def test_academic_year_parameters_are_checked(api, params, field):
    assert field in _validation_errors(api.get(f"{BASE}/academic-years", params))
