"""The indicator library: every indicator Accord knows, with its written definition, and how it is
computed where Accord holds the data.

A :class:`Definition` says what is counted, when a mobility counts, where the figures come from and
which domain owns that data; ``compute`` turns a :class:`~accord.evaluation.library.scope.Context`
into a :class:`Figure`. A domain that is not installed yet (funding, virtual exchange, joint
programmes) has its indicators defined here all the same, without ``compute``: the pages show the
definition and say which domain it needs, never a zero. When that domain lands, it calls
:func:`provide` in its ``AppConfig.ready()`` with the function that computes it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accord.evaluation.library.scope import Context, ScopeKind
from accord.reference.sdg4 import is_target


class Domain:
    MOBILITIES = "mobilities"
    AGREEMENTS = "agreements"
    BIPS = "bips"
    FUNDING = "funding"
    VIRTUAL_EXCHANGE = "virtual_exchange"
    COURSES = "courses"
    SURVEYS = "surveys"
    MANUAL = "manual"


DOMAIN_NAMES: dict[str, Promise] = {
    Domain.MOBILITIES: _("mobilities"),
    Domain.AGREEMENTS: _("agreements"),
    Domain.BIPS: _("blended intensive programmes"),
    Domain.FUNDING: _("funding"),
    Domain.VIRTUAL_EXCHANGE: _("virtual exchange"),
    Domain.COURSES: _("joint programmes and courses"),
    Domain.SURVEYS: _("participant surveys"),
    Domain.MANUAL: _("entered by hand"),
}


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a stable ``key`` (for CSV and filters), its label and its value."""

    key: str
    label: str
    value: Decimal | None


@dataclass(frozen=True)
class Figure:
    """An indicator's value over the period, its value per academic year (by start year) where the
    indicator has one, and a breakdown. ``value`` None means *no data*, which is not zero."""

    value: Decimal | None
    by_year: dict[int, Decimal | None] = field(default_factory=dict)
    breakdown: tuple[Row, ...] = ()
    note: str = ""


Compute = Callable[[Context], Figure]


@dataclass(frozen=True)
class Definition:
    key: str
    name: Promise
    counted: Promise
    """What is counted, in a sentence."""
    counts_when: Promise
    """When a record counts (for mobilities: in the academic year they start)."""
    source: Promise
    domain: str
    unit: Promise
    sdg_targets: tuple[str, ...] = ()
    compute: Compute | None = None
    scopes: tuple[str, ...] = ScopeKind.ALL
    bindable: bool = True
    """Whether an objective's indicator may take its actuals from this definition (a single figure
    per year, as opposed to a breakdown only)."""

    @property
    def available(self) -> bool:
        return self.compute is not None

    @property
    def domain_name(self) -> Promise:
        return DOMAIN_NAMES[self.domain]

    def unavailable_reason(self) -> str:
        if self.domain == Domain.MANUAL:
            return str(_("Accord does not hold these figures; enter them by hand, with evidence."))
        return str(
            _("This indicator needs the %(domain)s domain, which this installation does not have yet.")
            % {"domain": self.domain_name}
        )


_LIBRARY: dict[str, Definition] = {}


def register(definition: Definition) -> Definition:
    if definition.key in _LIBRARY:
        raise ValueError(f"Indicator {definition.key!r} is already in the library.")
    unknown = [code for code in definition.sdg_targets if not is_target(code)]
    if unknown:
        raise ValueError(f"Indicator {definition.key!r} names SDG 4 targets that do not exist: {unknown}")
    _LIBRARY[definition.key] = definition
    return definition


def provide(key: str, compute: Compute) -> None:
    """Give a defined indicator its computation: what a domain app does in ``ready()`` when it lands."""
    _LIBRARY[key] = replace(_LIBRARY[key], compute=compute)


def get(key: str) -> Definition | None:
    return _LIBRARY.get(key)


def definitions() -> list[Definition]:
    return list(_LIBRARY.values())


def compute(definition: Definition, context: Context) -> Figure | None:
    """The figure, or None when the indicator's domain is not there to compute it."""
    if definition.compute is None or context.scope.kind not in definition.scopes:
        return None
    return definition.compute(context)
