"""What the funding pages share: running a service for a form, and the choices the forms offer."""

from collections.abc import Callable

from accord.core import errors, forms
from accord.funding import selectors
from accord.funding.querysets import FundingAction


def service_accepts(form, call: Callable[[], object]) -> bool:
    """Funding's forms also show a permission refusal on the form: an administrator's rule (a rule set
    in force is frozen) reads better there than as a page of its own."""
    return forms.service_accepts(form, call, shown=(errors.Conflict, errors.PermissionDenied))


def rule_set_choices(user, organisation_id: int | None = None) -> list[tuple[int, str]]:
    return [(r.pk, r.key) for r in selectors.active_rule_sets(user=user, organisation_id=organisation_id)]


def budget_choices(user, organisation_id: int | None = None) -> list[tuple[int, str]]:
    budgets = selectors.budgets_for(user=user, action=FundingAction.MANAGE)
    if organisation_id is not None:
        budgets = budgets.filter(organisation_id=organisation_id)
    return [(b.pk, f"{b.funder} — {b.name} ({b.year}, {b.currency})") for b in budgets]
