"""Between the stored records and the pure core: a grant's inputs, its rules, the distance between
two institutions, and the explanation lines as stored and shown (decimal strings, never floats)."""

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from accord.algorithms.funding.calculate import Grant as ComputedGrant
from accord.algorithms.funding.calculate import Line, MobilityInput
from accord.algorithms.funding.distance import great_circle_km
from accord.algorithms.funding.rules import RuleSet, parse_rule_set
from accord.core.errors import ValidationFailed
from accord.reference.cities import get_city


@lru_cache(maxsize=64)
def _parsed(pk: int, version: int, data_key: str) -> RuleSet:
    from accord.funding.models import RuleSetVersion

    return parse_rule_set(RuleSetVersion.objects.get(pk=pk).data)


def rules_of(version) -> RuleSet:
    """The parsed rules of a stored version (parsed once per version and write)."""
    if version.pk is None:
        return parse_rule_set(version.data)
    return _parsed(version.pk, version.version, version.rule_set.key)


def activity_for(mobility) -> str:
    """The rule-set activity a mobility is funded as, by its type (a long-term stay counted against a
    traineeship condition is a traineeship)."""
    kind = mobility.mobility_type
    if kind == "staff_teaching":
        return "staff-teaching"
    if kind == "staff_training":
        return "staff-training"
    if kind == "long_term_physical":
        return "student-traineeship" if "traineeship" in (mobility.condition_key or "") else "student-studies"
    return "student-short-term"


def distance_between(sending, receiving) -> int:
    """Great-circle kilometres between two institutions' cities; a city without coordinates is an
    error on the distance, which an override with a reason then replaces."""
    ends = []
    for organisation in (sending, receiving):
        city = get_city(organisation.city_geonameid) if organisation.city_geonameid else None
        if city is None:
            raise ValidationFailed(
                {
                    "distance_override_km": _(
                        "%(organisation)s has no city with coordinates: give the distance and the reason."
                    )
                    % {"organisation": organisation}
                }
            )
        ends.append(city)
    return great_circle_km(ends[0].latitude, ends[0].longitude, ends[1].latitude, ends[1].longitude)


def mobility_dates(mobility) -> tuple[date, date]:
    """The dates a grant is computed on: the actual ones as far as they are known, else the planned."""
    return (mobility.actual_start or mobility.planned_start, mobility.actual_end or mobility.planned_end)


def input_for(grant, start: date, end: date, destination_country: str = "") -> MobilityInput:
    return MobilityInput(
        activity=grant.activity,
        start=start,
        end=end,
        distance_km=grant.distance_used,
        green_travel=grant.green_travel,
        fewer_opportunities=grant.fewer_opportunities,
        travel_days=grant.travel_days,
        country_group=grant.country_group or None,
        destination_country=destination_country or None,
    )


def lines_as_json(result: ComputedGrant) -> list[dict[str, Any]]:
    return [
        {
            "label": line.label,
            "quantity": str(line.quantity),
            "rate": str(line.rate),
            "amount": str(line.amount),
            "component": line.component,
            "cash": line.cash,
            "source": ({"document": line.source.document, "page": line.source.page} if line.source else None),
        }
        for line in result.lines
    ]


def total_of(lines: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(line["amount"]) for line in lines if line.get("cash", True)), Decimal(0))


def core_lines(lines: list[dict[str, Any]]) -> list[Line]:
    """Stored lines back as the core's (for sharing them between funders)."""
    return [
        Line(
            line["label"],
            Decimal(line["quantity"]),
            Decimal(line["rate"]),
            Decimal(line["amount"]),
            line.get("component", ""),
            None,
            line.get("cash", True),
        )
        for line in lines
    ]
