"""Rule sets: figures with their source and validity, country groups, distance bands and the
components each activity's grant is made of, parsed from JSON and validated.

Every error names the rule it breaks (``RuleSetError.rule``), so an administrator editing a draft
sees which figure or band is wrong, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

ACTIVITIES = (
    "student-studies",
    "student-traineeship",
    "student-short-term",
    "staff-teaching",
    "staff-training",
)
CONDITIONS = ("always", "fewer_opportunities", "green_travel", "traineeship")
# A condition may be negated ("not:fewer_opportunities"); a component applies when all of its hold.
COMPONENT_TYPES = (
    "monthly",
    "monthly_top_up",
    "daily_tiers",
    "duration_top_up",
    "once",
    "travel",
    "travel_days",
    "fixed",
    "actual_costs",
    "tuition_waiver",
)


class RuleSetError(ValueError):
    """A rule set that cannot be used; ``rule`` names the part at fault (``distance_bands[2]``)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure comes from: the funder's document and the page that states it."""

    document: str
    page: int | None


@dataclass(frozen=True, slots=True)
class Figure:
    """One amount of a rule set, with its source and the mobility start dates it applies to."""

    amount: Decimal
    source: Source
    valid_from: date | None = None
    valid_until: date | None = None

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True, slots=True)
class DistanceBand:
    """One-way distances from ``min_km`` to ``max_km`` (whole kilometres, both included; ``None``:
    no upper limit) and the travel support for them, standard and green (``None``: no green rate)."""

    min_km: int
    max_km: int | None
    standard: Figure
    green: Figure | None

    def contains(self, km: int) -> bool:
        return km >= self.min_km and (self.max_km is None or km <= self.max_km)

    @property
    def label(self) -> str:
        return f"{self.min_km}–{self.max_km} km" if self.max_km is not None else f"{self.min_km} km or more"


@dataclass(frozen=True, slots=True)
class Tier:
    """Days ``first`` to ``last`` of a stay paid at ``factor`` times the component's rate, or at
    their own ``rate`` when the funder states one (79 EUR for days 1–14, 56 EUR for days 15–30)."""

    first: int
    last: int
    factor: Decimal
    rate: Figure | None = None


@dataclass(frozen=True, slots=True)
class Component:
    """One part of an activity's grant (see ``COMPONENT_TYPES``); which fields it uses depends on
    its ``type``: ``rates`` by country group or destination country, ``rate``/``amount`` when flat,
    ``tiers`` (first day, last day, factor) for daily rates, ``brackets`` (shortest, longest stay in
    days, amount) for duration top-ups, ``caps`` per cost category for actual costs."""

    type: str
    label: str
    when: tuple[str, ...] = ("always",)
    by: str = "flat"
    rate: Figure | None = None
    rates: Mapping[str, Figure] = field(default_factory=dict)
    tiers: tuple[Tier, ...] = ()
    brackets: tuple[tuple[int, int, Figure], ...] = ()
    caps: Mapping[str, Figure] = field(default_factory=dict)
    max_days: int = 0
    max_days_green: int = 0
    cash: bool = True
    # Where the component sits in the rule set (for errors), and its conditions split in two sets
    # (all of ``requires`` hold, none of ``excludes``), derived from ``when`` when parsed.
    path: str = ""
    requires: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Activity:
    """What one kind of mobility is funded with, and the durations the programme allows."""

    key: str
    label: str
    min_days: int
    max_days: int
    components: tuple[Component, ...]


@dataclass(frozen=True, slots=True)
class Instalment:
    label: str
    percent: Decimal
    when: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A funder's grant rules for one programme and call (``erasmus-ka131-2024``)."""

    key: str
    name: str
    programme: str
    currency: str
    document: str
    valid_from: date | None
    valid_until: date | None
    rounding: Decimal
    country_groups: Mapping[str, str]
    distance_bands: tuple[DistanceBand, ...]
    activities: Mapping[str, Activity]
    payment_schedule: tuple[Instalment, ...]
    organisational_support: tuple[tuple[int | None, Figure], ...] = ()
    # Blended intensive programmes: the rate per participant, and the fewest and most participants
    # the Guide funds (none: the rule set does not fund BIPs).
    bip_organisational_support: tuple[Figure, int, int] | None = None
    checked_against: tuple[str, ...] = ()

    def group_of(self, country_code: str) -> str | None:
        return self.country_groups.get(country_code.upper())

    def band_for(self, km: int) -> DistanceBand | None:
        return next((band for band in self.distance_bands if band.contains(km)), None)


def _decimal(value: Any, rule: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RuleSetError(rule, f"{value!r} is not a number.") from None
    if not number.is_finite():
        raise RuleSetError(rule, f"{value!r} is not a number.")
    return number


def _date(value: Any, rule: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleSetError(rule, f"{value!r} is not a date (YYYY-MM-DD).") from None


def _int(value: Any, rule: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleSetError(rule, f"{value!r} is not a whole number.")
    return int(value)


class _Parser:
    """Reads the JSON form of a rule set; figures inherit the document and validity of the set."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.document = str(data.get("document") or "")
        self.valid_from = _date(data.get("valid_from"), "valid_from")
        self.valid_until = _date(data.get("valid_until"), "valid_until")

    def figure(self, raw: Any, rule: str) -> Figure:
        if not isinstance(raw, Mapping):
            raw = {"amount": raw}
        if "amount" not in raw:
            raise RuleSetError(rule, "The figure has no amount.")
        amount = _decimal(raw["amount"], f"{rule}.amount")
        if amount < 0:
            raise RuleSetError(rule, "An amount cannot be negative.")
        document = str(raw.get("document") or self.document)
        if not document:
            raise RuleSetError(rule, "The figure names no source document.")
        page = raw.get("page")
        if page is not None:
            page = _int(page, f"{rule}.page")
        valid_from = _date(raw.get("valid_from"), f"{rule}.valid_from") or self.valid_from
        valid_until = _date(raw.get("valid_until"), f"{rule}.valid_until") or self.valid_until
        return Figure(amount, Source(document, page), valid_from, valid_until)

    def bands(self) -> tuple[DistanceBand, ...]:
        raw_bands = self.data.get("distance_bands") or []
        bands = []
        for index, raw in enumerate(raw_bands):
            rule = f"distance_bands[{index}]"
            if "standard" not in raw:
                raise RuleSetError(rule, "The band has no standard travel amount.")
            max_km = raw.get("max_km")
            band = DistanceBand(
                min_km=_int(raw.get("min_km"), f"{rule}.min_km"),
                max_km=None if max_km is None else _int(max_km, f"{rule}.max_km"),
                standard=self.figure(raw["standard"], f"{rule}.standard"),
                green=self.figure(raw["green"], f"{rule}.green") if raw.get("green") is not None else None,
            )
            if band.max_km is not None and band.max_km < band.min_km:
                raise RuleSetError(rule, "The band ends before it starts.")
            bands.append(band)
        check_bands(bands)
        return tuple(bands)

    def tier(self, raw: Mapping[str, Any], rule: str) -> Tier:
        if not isinstance(raw, Mapping):
            raise RuleSetError(rule, "A tier is an object with first, last and a factor or a rate.")
        rate = self.figure(raw["rate"], f"{rule}.rate") if raw.get("rate") is not None else None
        return Tier(
            _int(raw.get("first"), f"{rule}.first"),
            _int(raw.get("last"), f"{rule}.last"),
            _decimal(raw.get("factor", 1), f"{rule}.factor"),
            rate,
        )

    def component(self, raw: Mapping[str, Any], rule: str) -> Component:
        kind = raw.get("type")
        if kind not in COMPONENT_TYPES:
            raise RuleSetError(f"{rule}.type", f"{kind!r} is not a component type.")
        raw_when = raw.get("when", "always")
        when = (raw_when,) if isinstance(raw_when, str) else tuple(raw_when)
        for condition in when:
            if condition.removeprefix("not:") not in CONDITIONS:
                raise RuleSetError(f"{rule}.when", f"{condition!r} is not a condition.")
        rates = {
            str(key): self.figure(value, f"{rule}.rates.{key}")
            for key, value in (raw.get("rates") or {}).items()
        }
        tiers = tuple(
            self.tier(tier, f"{rule}.tiers[{index}]") for index, tier in enumerate(raw.get("tiers") or ())
        )
        brackets = tuple(
            (
                _int(item[0], f"{rule}.brackets[{index}]"),
                _int(item[1], f"{rule}.brackets[{index}]"),
                self.figure(item[2], f"{rule}.brackets[{index}]"),
            )
            for index, item in enumerate(raw.get("brackets") or ())
        )
        component = Component(
            type=kind,
            label=str(raw.get("label") or kind),
            when=when,
            by=str(raw.get("by", "flat")),
            rate=self.figure(raw["rate"], f"{rule}.rate") if raw.get("rate") is not None else None,
            rates=rates,
            tiers=tiers,
            brackets=brackets,
            caps={
                str(key): self.figure(value, f"{rule}.caps.{key}")
                for key, value in (raw.get("caps") or {}).items()
            },
            max_days=_int(raw.get("max_days", 0), f"{rule}.max_days"),
            max_days_green=_int(raw.get("max_days_green", 0), f"{rule}.max_days_green"),
            cash=bool(raw.get("cash", kind != "tuition_waiver")),
            path=rule,
            requires=frozenset(c for c in when if not c.startswith("not:")) - {"always"},
            excludes=frozenset(c.removeprefix("not:") for c in when if c.startswith("not:")),
        )
        _check_component(component, rule)
        return component


def _check_component(component: Component, rule: str) -> None:
    needs_rate = {"monthly", "monthly_top_up", "daily_tiers", "once", "fixed", "tuition_waiver"}
    if component.type in needs_rate and component.rate is None and not component.rates:
        raise RuleSetError(rule, f"A {component.type} component needs a rate.")
    if component.by not in ("flat", "group", "country"):
        raise RuleSetError(f"{rule}.by", f"{component.by!r} is not flat, group or country.")
    if component.by != "flat" and not component.rates:
        raise RuleSetError(f"{rule}.rates", "Rates by group or country need at least one rate.")
    if component.type == "daily_tiers":
        expected_first = 1
        for index, tier in enumerate(component.tiers):
            if tier.first != expected_first or tier.last < tier.first:
                raise RuleSetError(
                    f"{rule}.tiers[{index}]",
                    f"The tiers must follow each other without a gap from day {expected_first}.",
                )
            if tier.factor <= 0:
                raise RuleSetError(f"{rule}.tiers[{index}]", "A tier's factor must be positive.")
            expected_first = tier.last + 1
        if not component.tiers:
            raise RuleSetError(f"{rule}.tiers", "Daily rates need at least one tier.")
    if component.type == "duration_top_up" and not component.brackets:
        raise RuleSetError(f"{rule}.brackets", "A duration top-up needs at least one bracket.")
    if component.type == "actual_costs" and not component.caps:
        raise RuleSetError(f"{rule}.caps", "Actual costs need a cap per cost category.")


def check_bands(bands: list[DistanceBand]) -> None:
    """Distance bands must cover every distance from the first band's start without a gap or an
    overlap, in order, the last one open-ended."""
    if not bands:
        return
    for index, (band, following) in enumerate(pairwise(bands)):
        rule = f"distance_bands[{index + 1}]"
        if band.max_km is None:
            raise RuleSetError(f"distance_bands[{index}]", "Only the last band may be open-ended.")
        if following.min_km <= band.max_km:
            raise RuleSetError(rule, f"The band overlaps the one before it (up to {band.max_km} km).")
        if following.min_km > band.max_km + 1:
            raise RuleSetError(
                rule, f"There is a gap between {band.max_km} km and {following.min_km} km: a band is missing."
            )
    if bands[-1].max_km is not None:
        raise RuleSetError(
            f"distance_bands[{len(bands) - 1}]",
            f"No band covers distances above {bands[-1].max_km} km: the last band must be open-ended.",
        )


def parse_rule_set(data: Mapping[str, Any]) -> RuleSet:
    """The rule set that ``data`` (its JSON form) describes, or :class:`RuleSetError`."""
    if not isinstance(data, Mapping):
        raise RuleSetError("rule set", "A rule set is a JSON object.")
    parser = _Parser(data)
    for required in ("key", "name", "currency"):
        if not data.get(required):
            raise RuleSetError(required, "This field is required.")
    currency = str(data["currency"]).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise RuleSetError("currency", f"{currency!r} is not an ISO 4217 currency code.")
    groups: dict[str, str] = {}
    for group, countries in (data.get("country_groups") or {}).items():
        for code in countries:
            if code.upper() in groups:
                raise RuleSetError(
                    f"country_groups.{group}", f"{code} is already in group {groups[code.upper()]}."
                )
            groups[code.upper()] = str(group)
    activities = {}
    for key, raw in (data.get("activities") or {}).items():
        rule = f"activities.{key}"
        min_days = _int(raw.get("min_days", 1), f"{rule}.min_days")
        max_days = _int(raw.get("max_days", 366), f"{rule}.max_days")
        if not 1 <= min_days <= max_days:
            raise RuleSetError(
                rule, "The shortest stay must be at least one day and not longer than the longest."
            )
        components = tuple(
            parser.component(component, f"{rule}.components[{index}]")
            for index, component in enumerate(raw.get("components") or ())
        )
        if not components:
            raise RuleSetError(f"{rule}.components", "An activity needs at least one component.")
        activities[key] = Activity(str(key), str(raw.get("label") or key), min_days, max_days, components)
    bands = parser.bands()
    if not bands and any(c.type == "travel" for a in activities.values() for c in a.components):
        raise RuleSetError("distance_bands", "Travel support needs distance bands.")
    schedule = tuple(
        Instalment(
            str(item["label"]), _decimal(item["percent"], f"payment_schedule[{index}]"), str(item["when"])
        )
        for index, item in enumerate(
            data.get("payment_schedule")
            or ({"label": "Payment", "percent": 100, "when": "before_departure"},)
        )
    )
    if sum((item.percent for item in schedule), Decimal(0)) != 100:
        raise RuleSetError("payment_schedule", "The instalments must add up to 100%.")
    organisational = tuple(
        (
            None if item.get("up_to") is None else _int(item["up_to"], f"organisational_support[{index}]"),
            parser.figure(item["rate"], f"organisational_support[{index}].rate"),
        )
        for index, item in enumerate(data.get("organisational_support") or ())
    )
    bip = data.get("bip_organisational_support")
    bip_support = None
    if bip:
        fewest = _int(bip.get("min_participants", 1), "bip_organisational_support.min_participants")
        most = _int(
            bip.get("max_funded_participants", fewest), "bip_organisational_support.max_funded_participants"
        )
        if most < fewest:
            raise RuleSetError(
                "bip_organisational_support", "The most participants funded is below the fewest."
            )
        bip_support = (parser.figure(bip.get("rate"), "bip_organisational_support.rate"), fewest, most)
    return RuleSet(
        key=str(data["key"]),
        name=str(data["name"]),
        programme=str(data.get("programme") or ""),
        currency=currency,
        document=parser.document,
        valid_from=parser.valid_from,
        valid_until=parser.valid_until,
        rounding=_decimal(data.get("rounding", "0.01"), "rounding"),
        country_groups=groups,
        distance_bands=bands,
        activities=activities,
        payment_schedule=schedule,
        organisational_support=organisational,
        bip_organisational_support=bip_support,
        checked_against=tuple(str(url) for url in data.get("checked_against") or ()),
    )
