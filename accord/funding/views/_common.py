"""What the funding pages share: running a service for a form, and the choices the forms offer."""

from collections.abc import Callable

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import add_domain_errors
from accord.funding import selectors
from accord.funding.querysets import FundingAction


def service_accepts(form, call: Callable[[], object]) -> bool:
    """Call the service a valid form is for; a refusal is put on the form and answers False."""
    try:
        call()
    except StaleVersion:
        raise
    except errors.ValidationFailed as exc:
        add_domain_errors(form, exc)
    except (errors.Conflict, errors.PermissionDenied) as exc:
        form.add_error(None, exc.message)
    else:
        return True
    return False


def rule_set_choices(user, organisation_id: int | None = None) -> list[tuple[int, str]]:
    return [(r.pk, r.key) for r in selectors.active_rule_sets(user=user, organisation_id=organisation_id)]


def budget_choices(user, organisation_id: int | None = None) -> list[tuple[int, str]]:
    budgets = selectors.budgets_for(user=user, action=FundingAction.MANAGE)
    if organisation_id is not None:
        budgets = budgets.filter(organisation_id=organisation_id)
    return [(b.pk, f"{b.funder} — {b.name} ({b.year}, {b.currency})") for b in budgets]
