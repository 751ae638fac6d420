"""What has been used of an agreement's quotas: filled by the apps that record mobilities.

The agreements app cannot know about mobilities without depending on the apps built on top of it, so
those apps register a provider here (in their ``AppConfig.ready``); the quota view adds up what every
provider reports for each cooperation condition and academic year.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Usage:
    mobilities: int = 0
    months: Decimal = Decimal(0)
    days: Decimal = Decimal(0)

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.mobilities + other.mobilities, self.months + other.months, self.days + other.days)


UsageKey = tuple[str, str]
"""A cooperation condition's key and an academic year label ("2026/2027")."""

UsageProvider = Callable[[object], Mapping[UsageKey, Usage]]

_providers: list[UsageProvider] = []


def register_usage_provider(provider: UsageProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def usage_for(agreement) -> dict[UsageKey, Usage]:
    totals: dict[UsageKey, Usage] = {}
    for provider in _providers:
        for key, usage in provider(agreement).items():
            totals[key] = totals.get(key, Usage()) + usage
    return totals
