"""What an indicator is computed over: a scope (an institution, a partnership, a programme or a
portfolio) and a period of academic years, and the mobilities they select.

**When a mobility counts.** A mobility counts in the academic year it starts in: its
``academic_year``, which is the year of its (planned, then actual) start. Cancelled mobilities never
count. **Direction** is seen from the scope's home institution: the institution itself, a
partnership's or a programme's coordinating institution, the portfolio's institution. A mobility
between two other members of a partnership is neither incoming nor outgoing ("between partners").
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Q, QuerySet, Value, When

from accord.bips.models import BipParticipant
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.filters import MobilityFilter
from accord.mobilities.models import Mobility
from accord.partnerships.models import PartnershipMember
from accord.reference.academic_years import AcademicYear


class ScopeKind:
    INSTITUTION = "institution"
    PARTNERSHIP = "partnership"
    PROGRAMME = "programme"
    PORTFOLIO = "portfolio"
    ALL = (INSTITUTION, PARTNERSHIP, PROGRAMME, PORTFOLIO)


@dataclass(frozen=True)
class Scope:
    """``pk`` is the institution's, partnership's, programme's (BIP's) or portfolio institution's id;
    a portfolio with ``pk=None`` is every partnership (platform staff). ``home`` is the institution
    directions are seen from."""

    kind: str
    pk: int | None
    home: int | None
    label: str = ""


@dataclass(frozen=True)
class Period:
    """Academic years by their start year, both included."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"The period ends ({self.last}) before it starts ({self.first}).")

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def labels(self) -> list[str]:
        return [AcademicYear(year).label for year in self.years]


def year_of(label: str) -> int:
    """The start year of an academic-year label ("2025/2026" → 2025)."""
    return int(label[:4])


@dataclass
class Context:
    """One computation: the scope, the period, the shared filters and a memo of aggregates, so that
    indicators reading the same aggregate (the yearly totals) share one query."""

    scope: Scope
    period: Period
    filters: MobilityFilter = field(default_factory=MobilityFilter)
    user: Any = None
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def scope_q(self) -> Q:
        return scope_filter(self.scope)

    def mobilities(self) -> QuerySet[Mobility]:
        """The scope's mobilities that count in the period, under the shared filters, each annotated
        with its ``direction`` ("in", "out" or "other")."""
        queryset = (
            Mobility.objects.filter(self.scope_q(), academic_year__in=self.period.labels)
            .exclude(status=MobilityStatus.CANCELLED)
            .order_by()
        )
        if self.filters.mobility_type:
            queryset = queryset.filter(mobility_type=self.filters.mobility_type)
        if self.filters.status:
            queryset = queryset.filter(status=self.filters.status)
        if self.filters.academic_year:
            queryset = queryset.filter(academic_year=self.filters.academic_year)
        return queryset.annotate(direction=direction_case(self.scope.home))


def direction_case(home: int | None) -> Case:
    if home is None:
        return Case(default=Value("other"), output_field=CharField())
    return Case(
        When(sending_organisation_id=home, then=Value("out")),
        When(receiving_organisation_id=home, then=Value("in")),
        default=Value("other"),
        output_field=CharField(),
    )


def scope_filter(scope: Scope) -> Q:
    if scope.kind == ScopeKind.INSTITUTION:
        return Q(sending_organisation_id=scope.pk) | Q(receiving_organisation_id=scope.pk)
    if scope.kind == ScopeKind.PARTNERSHIP:
        return Q(agreement__partnership_id=scope.pk)
    if scope.kind == ScopeKind.PROGRAMME:
        return Q(pk__in=BipParticipant.objects.filter(bip_id=scope.pk).values("mobility_id"))
    if scope.kind == ScopeKind.PORTFOLIO:
        if scope.pk is None:
            return Q(agreement__isnull=False)
        return Q(
            agreement__partnership_id__in=PartnershipMember.objects.filter(organisation_id=scope.pk).values(
                "partnership_id"
            )
        )
    raise ValueError(f"Unknown scope {scope.kind!r}")
