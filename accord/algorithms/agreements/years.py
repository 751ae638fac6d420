"""Academic years of cooperation conditions: per-year quotas and renewal for a new range of years.

Pure Python, no Django import; re-exported by :mod:`accord.algorithms.agreements.content`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

from accord.algorithms.agreements.model import (
    AgreementContent,
    AgreementContentError,
    CooperationCondition,
    content_to_dict,
)
from accord.algorithms.agreements.parse import parse_content
from accord.reference.academic_years import academic_year_range, parse_academic_year

__all__ = ["QuotaRow", "condition_years", "quota_table", "renew_content"]


@dataclasses.dataclass(frozen=True, slots=True)
class QuotaRow:
    """What one condition allows in one academic year: people, and months (students) or days (staff)."""

    condition_key: str
    academic_year: str
    mobilities: int
    months: Decimal | None
    days: Decimal | None


def condition_years(condition: CooperationCondition) -> list[str]:
    """The labels of every academic year the condition covers, first to last, both included."""
    first = parse_academic_year(condition.first_academic_year)
    last = parse_academic_year(condition.last_academic_year)
    return [year.label for year in academic_year_range(first, last)]


def quota_table(content: AgreementContent) -> list[QuotaRow]:
    """The agreed quota of each condition for each of its years, in condition order, then year order.

    EWP quotas are per year, so each year repeats the condition's figures; the Django layer sets what
    was used against each row.
    """
    return [
        QuotaRow(
            condition_key=condition.key,
            academic_year=year,
            mobilities=condition.mobilities_per_year,
            months=condition.total_months_per_year,
            days=condition.total_days_per_year,
        )
        for condition in content.conditions
        for year in condition_years(condition)
    ]


def renew_content(
    content: AgreementContent,
    first_academic_year: str,
    last_academic_year: str,
    *,
    new_key: Callable[[CooperationCondition], str],
) -> AgreementContent:
    """A copy of ``content`` whose conditions run from ``first_academic_year`` to ``last_academic_year``.

    Each condition gets the key ``new_key(old_condition)`` returns, so that the module stays
    deterministic and the caller decides (a UUID, or one derived from the old key). Signing dates are
    cleared: they date the approval of the old version, which the renewed one has not had; contacts,
    partner agreement ids and codes, and terms are kept. Compare the two with
    ``diff_contents(old, renewed, match="content")``, since the keys differ.

    Raises :class:`AgreementContentError` for a bad range (under ``first_academic_year`` or
    ``last_academic_year``) or when the result is not valid, such as when ``new_key`` repeats a key.
    """
    errors: dict[str, list[str]] = {}
    years = {}
    for name, text in (
        ("first_academic_year", first_academic_year),
        ("last_academic_year", last_academic_year),
    ):
        try:
            years[name] = parse_academic_year(text)
        except ValueError as error:
            errors[name] = [str(error)]
    if not errors and years["last_academic_year"] < years["first_academic_year"]:
        errors["last_academic_year"] = [
            f"{years['last_academic_year'].label} is before the first academic year, "
            f"{years['first_academic_year'].label}."
        ]
    if errors:
        raise AgreementContentError(errors)
    renewed = AgreementContent(
        partners=tuple(dataclasses.replace(partner, signing_date=None) for partner in content.partners),
        conditions=tuple(
            dataclasses.replace(
                condition,
                key=new_key(condition),
                first_academic_year=years["first_academic_year"].label,
                last_academic_year=years["last_academic_year"].label,
            )
            for condition in content.conditions
        ),
        terms=content.terms,
    )
    # Through the parser, so that the renewal is exactly as valid (and as normalised) as a stored version.
    return parse_content(content_to_dict(renewed))
