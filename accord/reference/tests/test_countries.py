import pytest

from accord.reference._text import fold
from accord.reference.countries import (
    CONTINENTS,
    Country,
    all_countries,
    continent_of,
    country_name,
    flag_emoji,
    get_country,
    is_country,
)


def test_get_country_by_code_in_any_case():
    france = Country(code="FR", name="France", official_name="French Republic", flag="🇫🇷")
    assert get_country("FR") == france
    assert get_country("fr") == france
    assert get_country(" Fr ") == france


@pytest.mark.parametrize("code", ["XX", "", "F", "FRA", "XKX", None, 250])
def test_get_country_refuses_what_is_not_an_alpha_2_code(code):
    assert get_country(code) is None
    assert not is_country(code)


def test_kosovo_is_a_country_under_the_code_the_eu_and_ewp_use():
    kosovo = get_country("xk")
    assert (kosovo.code, kosovo.name, kosovo.official_name) == ("XK", "Kosovo", "Republic of Kosovo")
    assert continent_of("XK") == "Europe"
    assert "Kosovo" in [country.name for country in all_countries()]


def test_common_name_is_shown_and_official_name_kept():
    bolivia = get_country("BO")
    assert bolivia.name == "Bolivia"
    assert bolivia.official_name == "Plurinational State of Bolivia"
    assert get_country("KR").name == "South Korea"
    assert get_country("AW").official_name is None


def test_flag_is_drawn_from_the_code():
    assert flag_emoji("pl") == "🇵🇱"
    assert all(country.flag == flag_emoji(country.code) for country in all_countries())


def test_all_countries_are_every_iso_country_and_kosovo_sorted_by_name_ignoring_accents():
    countries = all_countries()
    assert len(countries) == 249 + 1  # ISO 3166-1 and Kosovo
    assert [fold(country.name) for country in countries] == sorted(
        fold(country.name) for country in countries
    )
    names = [country.name for country in countries]
    assert names.index("Åland Islands") < names.index("Albania")


def test_all_countries_hands_out_a_list_callers_may_change():
    all_countries().clear()
    assert len(all_countries()) == 250


def test_country_name_falls_back_to_the_code():
    assert country_name("de") == "Germany"
    assert country_name("XX") == "XX"


@pytest.mark.parametrize(
    ("code", "continent"),
    [
        ("FR", "Europe"),
        ("eg", "Africa"),
        ("JP", "Asia"),
        ("US", "North America"),
        ("MX", "North America"),
        ("BR", "South America"),
        ("AU", "Oceania"),
        ("AQ", "Antarctica"),
    ],
)
def test_continent_of(code, continent):
    assert continent_of(code) == continent


def test_every_country_has_one_of_the_seven_continents():
    assert {continent_of(country.code) for country in all_countries()} == set(CONTINENTS)


def test_continent_of_an_unknown_code_is_an_error():
    with pytest.raises(ValueError, match="'XX' is not an ISO 3166-1 country code"):
        continent_of("XX")
