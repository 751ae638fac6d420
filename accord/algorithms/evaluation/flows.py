"""Flows between countries and world regions, and which of them are South–South.

"The South" here is the countries on the OECD DAC list of ODA recipients (``accord.reference.dac``),
the usual statistical stand-in; a flow is South–South when both its sending and its receiving country
are on that list.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from accord.reference.countries import continent_of, is_country
from accord.reference.dac import is_oda_recipient


@dataclass(frozen=True)
class CountryFlow:
    origin: str
    destination: str
    count: int

    @property
    def south_south(self) -> bool:
        return is_oda_recipient(self.origin) and is_oda_recipient(self.destination)


def region_of(country_code: str) -> str:
    """The continent (GeoNames) of a country, or "" when the code is unknown."""
    return continent_of(country_code) if is_country(country_code) else ""


def by_region(counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Fold per-country counts into per-region counts, regions sorted by name."""
    totals: dict[str, int] = {}
    for country, count in counts:
        region = region_of(country) or "?"
        totals[region] = totals.get(region, 0) + count
    return dict(sorted(totals.items()))


def south_south_count(flows: Iterable[CountryFlow]) -> tuple[int, int]:
    """(South–South mobilities, all mobilities with both countries known)."""
    south = total = 0
    for flow in flows:
        if flow.origin and flow.destination:
            total += flow.count
            south += flow.count if flow.south_south else 0
    return south, total
