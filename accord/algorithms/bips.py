"""Blended intensive programmes (BIPs): the design rules and the organisational support they earn.

Pure Python, no Django import (decision 1). The rules are data (:class:`BipRules`), so that a funding
app can keep one row per call year and pass the row in force; :data:`ERASMUS_2021_2027` holds the
figures of the Erasmus+ Programme Guide 2021-2027 (KA131, "Blended intensive programmes").

Documented rules
----------------
* A BIP is designed by at least ``minimum_partners`` higher education institutions (the coordinator
  included) from at least ``minimum_countries`` different countries; it awards at least
  ``minimum_ects`` ECTS credits; its physical part lasts from ``physical_days_min`` to
  ``physical_days_max`` days (both dates count) and a virtual component is mandatory (before, during
  or after the physical part).
* The organisational support is ``amount_per_participant`` for each *mobile* participant counted:
  participants of the coordinating or hosting institution who do not travel are not mobile, and so
  not counted. Fewer than ``minimum_participants`` mobile participants earn no support at all; more
  than ``maximum_participants`` are counted as that maximum (so at most 20 × 400 = 8,000 EUR).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = [
    "ERASMUS_2021_2027",
    "BipDesign",
    "BipRules",
    "DesignProblem",
    "Funding",
    "FundingLine",
    "FundingParticipant",
    "bip_design_problems",
    "bip_funding",
    "physical_days",
]


@dataclass(frozen=True, slots=True)
class BipRules:
    """The figures a call year sets for BIPs; amounts in ``currency``."""

    amount_per_participant: Decimal
    minimum_participants: int
    maximum_participants: int
    minimum_partners: int
    minimum_countries: int
    minimum_ects: Decimal
    physical_days_min: int
    physical_days_max: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if self.amount_per_participant < 0:
            raise ValueError("The amount per participant cannot be negative.")
        if not 0 <= self.minimum_participants <= self.maximum_participants:
            raise ValueError("The minimum of participants must lie between 0 and the maximum.")
        if not 1 <= self.physical_days_min <= self.physical_days_max:
            raise ValueError("The physical part's shortest length must lie between 1 and the longest.")

    @property
    def maximum_support(self) -> Decimal:
        return self.amount_per_participant * self.maximum_participants


ERASMUS_2021_2027 = BipRules(
    amount_per_participant=Decimal(400),
    minimum_participants=10,
    maximum_participants=20,
    minimum_partners=3,
    minimum_countries=3,
    minimum_ects=Decimal(3),
    physical_days_min=5,
    physical_days_max=30,
)


def physical_days(start: date, end: date) -> int:
    """The length of a physical part in days, both dates counted (Monday to Friday: five days)."""
    return (end - start).days + 1


@dataclass(frozen=True, slots=True)
class BipDesign:
    """What the rules check of a BIP before it opens for nominations.

    ``partner_countries`` holds one country code per partner institution, the coordinator included.
    ``physical`` is the physical part's (start, end), None when there is none yet."""

    partner_countries: Sequence[str]
    ects: Decimal
    virtual_components: int
    physical: tuple[date, date] | None


@dataclass(frozen=True, slots=True)
class DesignProblem:
    """One rule the design breaks: ``code`` names it, ``needed`` and ``found`` give the figures."""

    code: str
    needed: object
    found: object


def bip_design_problems(design: BipDesign, rules: BipRules) -> list[DesignProblem]:
    """Every rule of ``rules`` that ``design`` breaks, in a fixed order (none: it may open)."""
    problems = []
    partners = len(design.partner_countries)
    if partners < rules.minimum_partners:
        problems.append(DesignProblem("partners", rules.minimum_partners, partners))
    countries = len({code.upper() for code in design.partner_countries if code})
    if countries < rules.minimum_countries:
        problems.append(DesignProblem("countries", rules.minimum_countries, countries))
    if design.ects < rules.minimum_ects:
        problems.append(DesignProblem("ects", rules.minimum_ects, design.ects))
    if design.virtual_components < 1:
        problems.append(DesignProblem("virtual", 1, design.virtual_components))
    if design.physical is None:
        problems.append(DesignProblem("physical", (rules.physical_days_min, rules.physical_days_max), 0))
    else:
        days = physical_days(*design.physical)
        if not rules.physical_days_min <= days <= rules.physical_days_max:
            problems.append(
                DesignProblem("physical_days", (rules.physical_days_min, rules.physical_days_max), days)
            )
    return problems


@dataclass(frozen=True, slots=True)
class FundingParticipant:
    """An accepted participant: the institution that sends them and whether they travel."""

    institution: int
    travels: bool


@dataclass(frozen=True, slots=True)
class FundingLine:
    """One step of the computation, for the explanation the BIP page shows: ``code`` says which
    step, ``count`` and ``amount`` its figures."""

    code: str
    count: int
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Funding:
    accepted: int
    not_mobile: int
    mobile: int
    funded: int
    organisational_support: Decimal
    currency: str
    lines: tuple[FundingLine, ...] = field(default=())

    @property
    def below_minimum(self) -> bool:
        return self.mobile > 0 and self.funded == 0


def bip_funding(
    participants: Iterable[FundingParticipant], *, coordinator: int, host: int, rules: BipRules
) -> Funding:
    """The participants funded and the organisational support a BIP earns under ``rules``."""
    accepted = list(participants)
    home = {coordinator, host}
    not_mobile = sum(1 for p in accepted if p.institution in home and not p.travels)
    mobile = len(accepted) - not_mobile
    funded = 0 if mobile < rules.minimum_participants else min(mobile, rules.maximum_participants)
    support = rules.amount_per_participant * funded
    lines = [
        FundingLine("accepted", len(accepted)),
        FundingLine("not_mobile", not_mobile),
        FundingLine("mobile", mobile),
    ]
    if mobile < rules.minimum_participants:
        lines.append(FundingLine("below_minimum", rules.minimum_participants))
    elif mobile > rules.maximum_participants:
        lines.append(FundingLine("capped", rules.maximum_participants))
    lines.append(FundingLine("support", funded, support))
    return Funding(
        accepted=len(accepted),
        not_mobile=not_mobile,
        mobile=mobile,
        funded=funded,
        organisational_support=support,
        currency=rules.currency,
        lines=tuple(lines),
    )
