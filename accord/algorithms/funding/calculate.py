"""A mobility's grant under a rule set, with a line for every amount (label, quantity, rate, amount).

Durations count the start and the end day; a month is 30 days and the days beyond whole months are
paid at 1/30 of the monthly rate. Each line's amount is rounded to the rule set's ``rounding``
quantum (half up), the one place the Erasmus+ rules round; rates and quantities are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from accord.algorithms.funding.rules import Activity, Component, Figure, RuleSet, Source

DAYS_PER_MONTH = 30
# Lines that depend on amounts claimed by the participant are not worth remembering.
_NOT_MEMOISED = frozenset({"actual_costs", "tuition_waiver"})
_RATE_DISPLAY = Decimal("0.0001")


class GrantError(ValueError):
    """A mobility the rule set cannot fund as described; ``rule`` names the rule or the input field."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


@dataclass(frozen=True, slots=True)
class MobilityInput:
    """What a grant depends on. ``distance_km`` is one way; ``country_group`` is the receiving
    country's group (long-term rates), ``destination_country`` its ISO code (rates by country)."""

    activity: str
    start: date
    end: date
    distance_km: int | None = None
    green_travel: bool = False
    fewer_opportunities: bool = False
    travel_days: int = 0
    country_group: str | None = None
    destination_country: str | None = None
    claimed_costs: Mapping[str, Decimal] = field(default_factory=dict)
    tuition: Decimal | None = None


_Memo = dict[tuple[object, ...], tuple[tuple["Line", ...], tuple[Figure, ...], Decimal | None]]


@dataclass(frozen=True, slots=True)
class Line:
    """One amount of a grant and how it was obtained; ``cash`` is False for what is waived, not paid."""

    label: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    component: str
    source: Source | None = None
    cash: bool = True


@dataclass(frozen=True, slots=True)
class Grant:
    currency: str
    days: int
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        """What is paid: the cash lines (a tuition waiver is shown but not paid)."""
        return sum((line.amount for line in self.lines if line.cash), Decimal(0))

    @property
    def in_kind(self) -> Decimal:
        return sum((line.amount for line in self.lines if not line.cash), Decimal(0))


def duration_days(start: date, end: date) -> int:
    """Days of a stay, the start and the end day included."""
    return (end - start).days + 1


class _Calculation:
    def __init__(
        self,
        rules: RuleSet,
        activity: Activity,
        mobility: MobilityInput,
        days: int,
        memo: _Memo | None = None,
    ) -> None:
        self.rules = rules
        self.activity = activity
        self.mobility = mobility
        self.days = days
        self.lines: list[Line] = []
        self.monthly_rate: Decimal | None = None
        self.memo = memo
        self.figures: list[Figure] = []
        # What holds of this mobility, for the components' conditions.
        self.facts = frozenset(
            fact
            for fact, holds in (
                ("fewer_opportunities", mobility.fewer_opportunities),
                ("green_travel", mobility.green_travel),
                ("traineeship", activity.key == "student-traineeship"),
            )
            if holds
        )

    def round(self, amount: Decimal) -> Decimal:
        return amount.quantize(self.rules.rounding, rounding=ROUND_HALF_UP)

    def applies(self, component: Component) -> bool:
        return component.requires <= self.facts and not component.excludes & self.facts

    def figure(self, component: Component, rule: str) -> Figure:
        figure: Figure | None
        if component.by == "group":
            group = self.mobility.country_group
            if group is None:
                raise GrantError(
                    "country_group", f"{component.label} depends on the receiving country's group."
                )
            figure = component.rates.get(str(group)) or component.rates.get("*")
            if figure is None:
                raise GrantError(rule, f"{component.label} has no rate for country group {group}.")
        elif component.by == "country":
            country = (self.mobility.destination_country or "").upper()
            figure = component.rates.get(country) or component.rates.get("*")
            if figure is None:
                raise GrantError(
                    rule, f"{component.label} has no rate for the destination country {country or '?'}."
                )
        else:
            figure = component.rate
            if figure is None:
                raise GrantError(rule, f"{component.label} has no rate.")
        if not figure.applies_on(self.mobility.start):
            raise GrantError(
                rule, f"{component.label} is not valid for a stay starting {self.mobility.start}."
            )
        self.figures.append(figure)
        return figure

    def add(
        self,
        label: str,
        quantity: int | Decimal,
        rate: Decimal,
        amount: Decimal,
        component: Component,
        source: Source | None,
    ) -> None:
        self.lines.append(
            Line(label, Decimal(quantity), rate, self.round(amount), component.type, source, component.cash)
        )

    def monthly(self, component: Component, rule: str) -> None:
        figure = self.figure(component, rule)
        rate = figure.amount
        if component.type == "monthly" and self.monthly_rate is None:
            self.monthly_rate = rate
        months, extra = divmod(self.days, DAYS_PER_MONTH)
        if months:
            self.add(
                f"{component.label} × {months} months", months, rate, rate * months, component, figure.source
            )
        if extra:
            daily = rate / DAYS_PER_MONTH
            self.add(
                f"{component.label}, {extra} extra days at 1/30 of the monthly rate",
                extra,
                daily.quantize(_RATE_DISPLAY),
                rate * extra / DAYS_PER_MONTH,
                component,
                figure.source,
            )

    def travel_days(self) -> int:
        component = next((c for c in self.activity.components if c.type == "travel_days"), None)
        requested = self.mobility.travel_days
        if requested < 0:
            raise GrantError("travel_days", "Travel days cannot be negative.")
        if component is None:
            if requested:
                raise GrantError("travel_days", "This activity funds no travel days.")
            return 0
        allowed = component.max_days_green if self.mobility.green_travel else component.max_days
        if requested > allowed:
            raise GrantError(
                f"activities.{self.activity.key}.travel_days",
                f"At most {component.max_days} travel days are funded "
                f"({component.max_days_green} with green travel).",
            )
        return requested

    def daily_tiers(self, component: Component, rule: str, travel_days: int) -> None:
        figure = self.figure(component, rule)
        funded = self.days + travel_days
        counted = 0
        for tier in component.tiers:
            days = max(0, min(tier.last, funded) - tier.first + 1)
            if not days:
                continue
            counted += days
            source = figure.source
            if tier.rate is not None:
                rate, source = tier.rate.amount, tier.rate.source
            else:
                rate = figure.amount * tier.factor
            label = f"{component.label}, days {tier.first}–{tier.first + days - 1}"
            if tier.factor != 1:
                label += f" at {(tier.factor * 100).normalize():f}%"
            if tier.first == 1 and travel_days:
                label += f" (including {travel_days} travel days)"
            self.add(label, days, rate, rate * days, component, source)
        if counted < funded:
            raise GrantError(
                f"{rule}.tiers", f"The daily rates stop at day {counted}, the stay is {funded} days."
            )

    def memo_key(self, component: Component, travel_days: int) -> tuple[object, ...]:
        """What a component's lines depend on besides the rules (its figures' validity is checked
        on every use)."""
        kind = component.type
        mobility = self.mobility
        if kind == "travel":
            return (id(component), mobility.distance_km, mobility.green_travel)
        if kind == "travel_days":
            return (id(component), self.monthly_rate, travel_days)
        by = mobility.country_group if component.by == "group" else None
        if component.by == "country":
            by = mobility.destination_country
        return (id(component), by, self.days, travel_days)

    def component(self, component: Component, rule: str, travel_days: int) -> None:
        """Add ``component``'s lines, reusing those of an identical earlier mobility of the batch."""
        if self.memo is None or component.type in _NOT_MEMOISED:
            self.compute(component, rule, travel_days)
            return
        key = self.memo_key(component, travel_days)
        hit = self.memo.get(key)
        if hit is not None and all(figure.applies_on(self.mobility.start) for figure in hit[1]):
            self.lines.extend(hit[0])
            self.figures.extend(hit[1])
            if hit[2] is not None and self.monthly_rate is None:
                self.monthly_rate = hit[2]
            return
        lines_before, figures_before = len(self.lines), len(self.figures)
        self.compute(component, rule, travel_days)
        monthly = self.monthly_rate if component.type == "monthly" else None
        self.memo[key] = (tuple(self.lines[lines_before:]), tuple(self.figures[figures_before:]), monthly)

    def compute(self, component: Component, rule: str, travel_days: int) -> None:
        kind = component.type
        if kind in ("monthly", "monthly_top_up"):
            self.monthly(component, rule)
        elif kind == "daily_tiers":
            self.daily_tiers(component, rule, travel_days)
        elif kind == "duration_top_up":
            for shortest, longest, figure in component.brackets:
                if shortest <= self.days <= longest:
                    label = f"{component.label} ({shortest}–{longest} days)"
                    self.add(label, 1, figure.amount, figure.amount, component, figure.source)
        elif kind in ("once", "fixed"):
            figure = self.figure(component, rule)
            self.add(component.label, 1, figure.amount, figure.amount, component, figure.source)
        elif kind == "travel":
            self.travel(component)
        elif kind == "travel_days" and travel_days and self.monthly_rate is not None:
            daily = self.monthly_rate / DAYS_PER_MONTH
            self.add(
                f"{component.label} at 1/30 of the monthly rate",
                travel_days,
                daily.quantize(_RATE_DISPLAY),
                self.monthly_rate * travel_days / DAYS_PER_MONTH,
                component,
                None,
            )
        elif kind == "actual_costs":
            self.actual_costs(component, rule)
        elif kind == "tuition_waiver":
            figure = self.figure(component, rule)
            amount = (
                figure.amount if self.mobility.tuition is None else min(self.mobility.tuition, figure.amount)
            )
            self.add(component.label, 1, amount, amount, component, figure.source)

    def travel(self, component: Component) -> None:
        km = self.mobility.distance_km
        if km is None:
            raise GrantError("distance_km", "Travel support needs the one-way distance (or the two cities).")
        if km < 0:
            raise GrantError("distance_km", "A distance cannot be negative.")
        band = self.rules.band_for(km)
        if band is None:
            self.add(
                f"{component.label}: {km} km is below the first distance band",
                1,
                Decimal(0),
                Decimal(0),
                component,
                None,
            )
            return
        green = self.mobility.green_travel and band.green is not None
        figure = band.green if green and band.green is not None else band.standard
        if not figure.applies_on(self.mobility.start):
            raise GrantError(
                "distance_bands", f"The {band.label} band is not valid for {self.mobility.start}."
            )
        self.figures.append(figure)
        label = f"{component.label}, {'green ' if green else ''}{band.label} ({km} km)"
        self.add(label, 1, figure.amount, figure.amount, component, figure.source)

    def actual_costs(self, component: Component, rule: str) -> None:
        unknown = set(self.mobility.claimed_costs) - set(component.caps)
        if unknown:
            raise GrantError(
                "claimed_costs", f"{', '.join(sorted(unknown))}: not a cost category of {component.label}."
            )
        for category, cap in component.caps.items():
            claimed = Decimal(self.mobility.claimed_costs.get(category, 0))
            if claimed < 0:
                raise GrantError("claimed_costs", f"The {category} costs cannot be negative.")
            self.add(
                f"{component.label}: {category} (up to the cap)",
                1,
                cap.amount,
                min(claimed, cap.amount),
                component,
                cap.source,
            )


def calculate(rules: RuleSet, mobility: MobilityInput, memo: _Memo | None = None) -> Grant:
    """The grant of ``mobility`` under ``rules``, or :class:`GrantError` naming what is wrong.

    ``memo`` (an empty dict shared by the calls of a batch, see :func:`calculate_many`) reuses the
    lines a component gave an earlier mobility with the same inputs."""
    activity = rules.activities.get(mobility.activity)
    if activity is None:
        raise GrantError("activity", f"{rules.key} has no rules for the activity {mobility.activity!r}.")
    if mobility.end < mobility.start:
        raise GrantError("end", "The end date is before the start date.")
    if rules.valid_from and mobility.start < rules.valid_from:
        raise GrantError("valid_from", f"{rules.key} applies to stays starting from {rules.valid_from}.")
    if rules.valid_until and mobility.start > rules.valid_until:
        raise GrantError("valid_until", f"{rules.key} applies to stays starting until {rules.valid_until}.")
    days = duration_days(mobility.start, mobility.end)
    if not activity.min_days <= days <= activity.max_days:
        raise GrantError(
            f"activities.{activity.key}.duration",
            f"A stay of {days} days is outside the programme's limits "
            f"({activity.min_days} to {activity.max_days} days).",
        )
    key: tuple[object, ...] | None = None
    if memo is not None and not mobility.claimed_costs and mobility.tuition is None:
        # The whole grant of an identical earlier mobility (same partner, same length of stay).
        key = (
            activity.key,
            days,
            mobility.distance_km,
            mobility.green_travel,
            mobility.fewer_opportunities,
            mobility.travel_days,
            mobility.country_group,
            mobility.destination_country,
        )
        hit = memo.get(key)
        if hit is not None and all(figure.applies_on(mobility.start) for figure in hit[1]):
            return Grant(rules.currency, days, hit[0])
    calculation = _Calculation(rules, activity, mobility, days, memo)
    travel_days = calculation.travel_days()
    for component in activity.components:
        if calculation.applies(component):
            calculation.component(component, component.path, travel_days)
    lines = tuple(calculation.lines)
    if key is not None and memo is not None:
        memo[key] = (lines, tuple(calculation.figures), None)
    return Grant(rules.currency, days, lines)


def calculate_many(rules: RuleSet, mobilities: Iterable[MobilityInput]) -> list[Grant | GrantError]:
    """Every mobility's grant, or the error that prevents it, in order. Mobilities of a batch share
    most of their inputs (an activity, a country group, a length of stay), so each component's
    lines are computed once per distinct input and reused."""
    memo: _Memo = {}
    results: list[Grant | GrantError] = []
    for mobility in mobilities:
        try:
            results.append(calculate(rules, mobility, memo))
        except GrantError as error:
            results.append(error)
    return results
