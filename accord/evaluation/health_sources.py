"""Warnings about a partnership that other domains compute: the hook for funding ("funding ending")
and surveys ("survey results falling").

A domain registers a source in its ``AppConfig.ready()``: a callable that takes the ids of the
partnerships being assessed and today's date and returns, per partnership id, the warnings it finds
(``algorithms.evaluation.health.HealthWarning`` with the codes ``funding_ending`` or
``survey_falling``). It must answer in a fixed number of queries for all the ids together. Until a
domain registers, the health page lists its check as pending (``PENDING_CHECKS``).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from django.utils.translation import gettext_lazy as _

from accord.algorithms.evaluation.health import HealthWarning, WarningCode

HealthSource = Callable[[Sequence[int], date], Mapping[int, Iterable[HealthWarning]]]

_SOURCES: dict[str, HealthSource] = {}

# The checks that other domains provide: code → (domain that owns it, how it reads while pending).
PENDING_CHECKS = {
    WarningCode.FUNDING_ENDING: (
        "funding",
        _("Funding ending: needs the funding domain, not installed yet."),
    ),
    WarningCode.SURVEY_FALLING: (
        "surveys",
        _("Survey results falling: needs the participant surveys domain, not installed yet."),
    ),
}


def register_health_source(code: str, source: HealthSource) -> None:
    _SOURCES[code] = source


def pending_checks() -> list[str]:
    return [str(text) for code, (_domain, text) in PENDING_CHECKS.items() if code not in _SOURCES]


def extra_warnings(partnership_ids: Sequence[int], today: date) -> dict[int, list[HealthWarning]]:
    found: dict[int, list[HealthWarning]] = {pk: [] for pk in partnership_ids}
    for source in _SOURCES.values():
        for pk, warnings in source(partnership_ids, today).items():
            found.setdefault(pk, []).extend(warnings)
    return found
