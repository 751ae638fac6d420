"""Who sees which money: the institution's staff see its budgets and grants, a participant their own
grant, other institutions nothing; only admins and coordinators manage, only admins configure rules."""

import pytest

from accord.funding import selectors
from accord.funding.querysets import FundingAction, funding_may


@pytest.mark.parametrize(
    ("persona", "budgets", "grants", "manages", "configures"),
    [
        ("platform_admin", True, True, True, True),
        ("admin", True, True, True, True),
        ("coordinator", True, True, True, False),
        ("teacher", True, True, False, False),
        ("viewer", True, True, False, False),
        ("student", False, True, False, False),
        ("partner", False, False, False, False),
        ("outsider", False, False, False, False),
    ],
)
def test_each_persona_sees_and_does_what_their_role_allows(
    personas, funding, grant, persona, budgets, grants, manages, configures
):
    user = personas.by_name(persona)
    assert selectors.budgets_for(user=user).exists() is budgets
    assert selectors.grants_for(user=user).exists() is grants
    assert funding_may(user, FundingAction.MANAGE, personas.home.pk) is manages
    assert funding_may(user, FundingAction.CONFIGURE, personas.home.pk) is configures
    assert selectors.rule_sets_for(user=user).exists() is budgets
