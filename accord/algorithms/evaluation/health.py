"""Partnership health: warnings that explain themselves, a score and a suggestion.

A partnership's facts (gathered by ``accord.evaluation`` in a fixed number of queries for a whole
portfolio) go in; out come the warnings that apply, each with the figures its sentence needs, and a
score. The rules and their thresholds are data (:class:`HealthRules`), so an institution could set
its own. Domains that are not in this module (funding, surveys) hand in their warnings ready-made
through ``extra``; their rules live with their data.

Score: 100 less the weight of each warning (high 30, medium 15, low 5), never below 0.
Suggestion, for leadership: **grow** a healthy (score ≥ 80) and active partnership; **close or
renew** one that is both unhealthy (score < 50) and idle (no activity in the window); **fix** the rest
that carry warnings; **keep** a healthy one that is quiet.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from accord.algorithms.evaluation.arithmetic import share
from accord.algorithms.evaluation.reciprocity import PartnerFlow


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


WEIGHTS = {Severity.HIGH: 30, Severity.MEDIUM: 15, Severity.LOW: 5}


class WarningCode(StrEnum):
    UNBALANCED_FLOWS = "unbalanced_flows"
    UNUSED_QUOTAS = "unused_quotas"
    AGREEMENT_EXPIRING = "agreement_expiring"
    NO_RECENT_MEETING = "no_recent_meeting"
    OVERDUE_ACTIONS = "overdue_actions"
    LOW_RECOGNITION = "low_recognition"
    FUNDING_ENDING = "funding_ending"
    SURVEY_FALLING = "survey_falling"


class Suggestion(StrEnum):
    GROW = "grow"
    KEEP = "keep"
    FIX = "fix"
    CLOSE_OR_RENEW = "close_or_renew"


@dataclass(frozen=True)
class HealthWarning:
    code: str
    severity: Severity
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class HealthRules:
    balance_threshold: Decimal = Decimal("0.5")
    minimum_flow: int = 4
    unused_quota_share: Decimal = Decimal(50)
    """Warn when less than this percentage of the places agreed for past and current years was used."""
    expiry_days: int = 180
    meeting_months: int = 6
    low_recognition_share: Decimal = Decimal(80)
    minimum_recognition_credits: Decimal = Decimal(30)


@dataclass(frozen=True)
class ExpiringAgreement:
    title: str
    ends_on: date
    renewal_pending: bool
    """A newer version (a renewal or amendment) is being negotiated."""


@dataclass(frozen=True)
class HealthFacts:
    today: date
    flows: Sequence[PartnerFlow] = ()
    places_agreed: int = 0
    places_used: int = 0
    agreements: Sequence[ExpiringAgreement] = ()
    last_meeting: date | None = None
    started_on: date | None = None
    overdue_actions: int = 0
    planned_credits: Decimal = Decimal(0)
    recognised_credits: Decimal = Decimal(0)
    activity: int = 0
    """Mobilities, meetings, decisions and actions of the activity window: how alive it is."""
    extra: Sequence[HealthWarning] = ()


@dataclass(frozen=True)
class Assessment:
    score: int
    warnings: tuple[HealthWarning, ...]
    activity: int
    suggestion: Suggestion


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def warnings_for(facts: HealthFacts, rules: HealthRules = HealthRules()) -> list[HealthWarning]:
    found: list[HealthWarning] = []
    unbalanced = [f for f in facts.flows if f.unbalanced(rules.balance_threshold, rules.minimum_flow)]
    for flow in unbalanced:
        found.append(
            HealthWarning(
                WarningCode.UNBALANCED_FLOWS,
                Severity.MEDIUM,
                {"partner": flow.partner, "incoming": flow.incoming, "outgoing": flow.outgoing},
            )
        )
    used = share(facts.places_used, facts.places_agreed)
    if used is not None and used < rules.unused_quota_share:
        found.append(
            HealthWarning(
                WarningCode.UNUSED_QUOTAS,
                Severity.LOW,
                {"used": facts.places_used, "agreed": facts.places_agreed, "percent": int(used)},
            )
        )
    for agreement in facts.agreements:
        days = (agreement.ends_on - facts.today).days
        if 0 <= days <= rules.expiry_days and not agreement.renewal_pending:
            severity = Severity.HIGH if days <= rules.expiry_days // 2 else Severity.MEDIUM
            found.append(
                HealthWarning(
                    WarningCode.AGREEMENT_EXPIRING,
                    severity,
                    {"agreement": agreement.title, "ends_on": agreement.ends_on.isoformat(), "days": days},
                )
            )
    since = facts.last_meeting or facts.started_on
    if since is not None and _months_between(since, facts.today) >= rules.meeting_months:
        found.append(
            HealthWarning(
                WarningCode.NO_RECENT_MEETING,
                Severity.MEDIUM,
                {
                    "months": _months_between(since, facts.today),
                    "last": facts.last_meeting.isoformat() if facts.last_meeting else "",
                },
            )
        )
    if facts.overdue_actions:
        severity = Severity.MEDIUM if facts.overdue_actions >= 3 else Severity.LOW
        found.append(HealthWarning(WarningCode.OVERDUE_ACTIONS, severity, {"count": facts.overdue_actions}))
    if facts.planned_credits >= rules.minimum_recognition_credits:
        rate = share(facts.recognised_credits, facts.planned_credits)
        if rate is not None and rate < rules.low_recognition_share:
            found.append(HealthWarning(WarningCode.LOW_RECOGNITION, Severity.MEDIUM, {"percent": int(rate)}))
    found.extend(facts.extra)
    return found


def assess(facts: HealthFacts, rules: HealthRules = HealthRules()) -> Assessment:
    warnings = tuple(warnings_for(facts, rules))
    score = max(0, 100 - sum(WEIGHTS[w.severity] for w in warnings))
    if score >= 80:
        suggestion = Suggestion.GROW if facts.activity > 0 else Suggestion.KEEP
    elif score < 50 and facts.activity == 0:
        suggestion = Suggestion.CLOSE_OR_RENEW
    else:
        suggestion = Suggestion.FIX if warnings else Suggestion.KEEP
    return Assessment(score=score, warnings=warnings, activity=facts.activity, suggestion=suggestion)


def ranked(assessments: Sequence[tuple[int, Assessment]]) -> list[tuple[int, Assessment]]:
    """Healthiest and most active first; ties by the key (a partnership's id) for a stable order."""
    return sorted(assessments, key=lambda item: (-item[1].score, -item[1].activity, item[0]))
