"""City data is loaded once per test process; the first test to search pays a few seconds."""

import zoneinfo

import pytest

from accord.reference.cities import City, find_city, get_city, search_cities
from accord.reference.countries import is_country

BERLIN = 2950159


def test_get_city():
    berlin = get_city(BERLIN)
    assert berlin == City(
        geonameid=BERLIN,
        name="Berlin",
        country_code="DE",
        latitude=pytest.approx(52.52, abs=0.01),
        longitude=pytest.approx(13.41, abs=0.01),
        timezone="Europe/Berlin",
        population=berlin.population,
        admin1_code="16",
    )
    assert berlin.population > 3_000_000


@pytest.mark.parametrize("geonameid", [0, -1, 1, str(BERLIN), True, None])
def test_get_city_of_an_unknown_id(geonameid):
    assert get_city(geonameid) is None


def test_towns_of_five_thousand_are_included():
    # Universities sit in small towns: Eichstätt (Catholic University), Vaduz (University of Liechtenstein).
    assert find_city("Eichstätt", "DE") is not None
    assert find_city("Vaduz", "LI") is not None


def test_timezones_are_valid_zoneinfo_names():
    available = zoneinfo.available_timezones()
    cities = [get_city(BERLIN), *search_cities("a", limit=100_000)]
    assert {city.timezone for city in cities} <= available


def test_every_city_is_in_a_known_country_kosovo_included():
    countries = {city.country_code for city in search_cities("s", limit=100_000)}
    assert "XK" in countries
    assert all(is_country(code) for code in countries)


@pytest.mark.parametrize("query", ["krak", "Krak", "KRAKÓW", "krakow", "Краков"])
def test_search_ignores_case_accents_and_script(query):
    assert search_cities(query)[0].name == "Kraków"


def test_search_ignores_punctuation():
    assert "Saint-Étienne" in [city.name for city in search_cities("saint e", country_code="FR")]
    assert "Saint-Étienne" in [city.name for city in search_cities("Saint-Et", country_code="FR")]


def test_search_matches_alternate_names():
    assert search_cities("München")[0].name == "Munich"
    assert search_cities("Warszaw")[0].name == "Warsaw"


def test_search_prefers_main_names_over_a_bigger_citys_exonym():
    # Caracas, far bigger, also has an alternate name starting with "krak".
    names = [city.name for city in search_cities("krak")]
    assert names.index("Kraków") < names.index("Caracas")


def test_search_orders_by_population():
    populations = [city.population for city in search_cities("london", limit=10)]
    assert search_cities("london")[0].country_code == "GB"
    assert populations[:2] == sorted(populations[:2], reverse=True)


def test_search_within_a_country_in_any_case():
    cities = search_cities("san", country_code="es", limit=50)
    assert cities
    assert {city.country_code for city in cities} == {"ES"}


def test_search_limit():
    assert len(search_cities("san", limit=5)) == 5
    assert search_cities("san", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "--", None])
def test_search_for_nothing_finds_nothing(query):
    assert search_cities(query) == []


def test_search_finds_nothing_for_a_made_up_name():
    assert search_cities("qqqxz") == []


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Krakow", "PL", "Kraków"),
        ("kraków", "pl", "Kraków"),
        ("München", "DE", "Munich"),
        ("Frankfurt", "DE", "Frankfurt am Main"),
        ("Newcastle", "GB", "Newcastle upon Tyne"),
        ("Saint Etienne", "FR", "Saint-Étienne"),
        ("Paris", "FR", "Paris"),
    ],
)
def test_find_city(name, country, expected):
    assert find_city(name, country).name == expected


def test_find_city_stays_in_the_country():
    paris_texas = find_city("Paris", "US")
    assert paris_texas.country_code == "US"
    assert paris_texas.population < 1_000_000


@pytest.mark.parametrize(
    ("name", "country"), [("Krak", "PL"), ("Kraków", "DE"), ("Kraków", ""), ("", "PL"), ("Nowhere", "PL")]
)
def test_find_city_needs_a_whole_name_in_that_country(name, country):
    assert find_city(name, country) is None
