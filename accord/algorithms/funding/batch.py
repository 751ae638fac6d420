"""Grants for a batch of mobilities given as JSON (``manage.py grant_calculate``): each entry checked
on its own, so one invalid entry is reported with its id and the others are still computed.

An entry is ``{"id", "activity", "start", "end", "distance_km" | "from"/"to": {"country", "city"},
"green_travel", "fewer_opportunities", "travel_days", "country_group"}``; the distance between two
cities is the great-circle distance of their GeoNames coordinates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from accord.algorithms.funding.calculate import GrantError, MobilityInput, calculate
from accord.algorithms.funding.distance import great_circle_km
from accord.algorithms.funding.rules import RuleSet
from accord.reference.cities import find_city


class EntryError(ValueError):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


def _date(entry: Mapping[str, Any], name: str) -> date:
    value = entry.get(name)
    if not isinstance(value, str):
        raise EntryError(name, "A date is required (YYYY-MM-DD).")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise EntryError(name, f"{value!r} is not a date (YYYY-MM-DD).") from None


def _flag(entry: Mapping[str, Any], name: str) -> bool:
    value = entry.get(name, False)
    if not isinstance(value, bool):
        raise EntryError(name, "Give true or false.")
    return value


def _whole(entry: Mapping[str, Any], name: str, default: int | None) -> int | None:
    value = entry.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 0:
        raise EntryError(name, "Give a whole number, zero or more.")
    return int(value)


def _place(entry: Mapping[str, Any], name: str) -> tuple[str, float, float]:
    place = entry.get(name)
    if not isinstance(place, Mapping) or not place.get("country") or not place.get("city"):
        raise EntryError(name, 'Give {"country": "FR", "city": "Lyon"}, or the distance_km.')
    country = str(place["country"]).upper()
    city = find_city(str(place["city"]), country)
    if city is None:
        raise EntryError(name, f"No city {place['city']!r} with coordinates is known in {country}.")
    return country, city.latitude, city.longitude


def entry_input(rules: RuleSet, entry: Mapping[str, Any]) -> MobilityInput:
    """The core's input for one entry, or :class:`EntryError` naming the field at fault."""
    activity = entry.get("activity")
    if activity not in rules.activities:
        raise EntryError(
            "activity", f"{activity!r} is not an activity of {rules.key}: {', '.join(rules.activities)}."
        )
    destination = None
    if "distance_km" in entry and entry["distance_km"] is not None:
        value = entry["distance_km"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise EntryError("distance_km", "Give the one-way distance in kilometres, zero or more.")
        distance: int | None = int(value)
        if "to" in entry:
            destination = _place(entry, "to")[0]
    elif "from" in entry or "to" in entry:
        _, lat1, lon1 = _place(entry, "from")
        destination, lat2, lon2 = _place(entry, "to")
        distance = great_circle_km(lat1, lon1, lat2, lon2)
    else:
        distance = None
    group = entry.get("country_group")
    if group is None and destination is not None:
        group = rules.group_of(destination) or "*"
    costs = entry.get("claimed_costs") or {}
    try:
        claimed = {str(key): Decimal(str(value)) for key, value in costs.items()}
        tuition = Decimal(str(entry["tuition"])) if entry.get("tuition") is not None else None
    except (InvalidOperation, AttributeError):
        raise EntryError("claimed_costs", "Give the claimed costs as numbers.") from None
    return MobilityInput(
        activity=str(activity),
        start=_date(entry, "start"),
        end=_date(entry, "end"),
        distance_km=distance,
        green_travel=_flag(entry, "green_travel"),
        fewer_opportunities=_flag(entry, "fewer_opportunities"),
        travel_days=_whole(entry, "travel_days", 0) or 0,
        country_group=None if group is None else str(group),
        destination_country=destination or entry.get("destination_country"),
        claimed_costs=claimed,
        tuition=tuition,
    )


def calculate_batch(rules: RuleSet, entries: Any) -> dict[str, dict[str, Any]]:
    """Per entry id, its total and lines (decimal strings), or its errors and nothing computed."""
    if not isinstance(entries, list):
        raise EntryError("file", "The file must hold a JSON list of mobilities.")
    results: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(entries):
        raw_id = entry.get("id") if isinstance(entry, Mapping) else None
        key = str(raw_id) if raw_id not in (None, "") else f"#{index + 1}"
        if not isinstance(entry, Mapping) or raw_id in (None, ""):
            results[key] = {"errors": [{"rule": "id", "message": "Every mobility needs an id."}]}
            continue
        if key in results:
            results[f"{key}#{index + 1}"] = {
                "errors": [{"rule": "id", "message": f"The id {key} is used twice."}]
            }
            continue
        try:
            result = calculate(rules, entry_input(rules, entry))
        except (EntryError, GrantError) as error:
            results[key] = {"errors": [{"rule": error.rule, "message": error.message}]}
            continue
        results[key] = {
            "total": str(result.total),
            "currency": result.currency,
            "days": result.days,
            "lines": [
                {
                    "label": line.label,
                    "quantity": str(line.quantity),
                    "rate": str(line.rate),
                    "amount": str(line.amount),
                }
                for line in result.lines
            ],
        }
    return results
