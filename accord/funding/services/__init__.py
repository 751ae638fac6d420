"""Every write of funding: rule sets, funders and budgets, grants and payments (see the modules)."""

from accord.funding.services.budgets import (
    allocation_create,
    budget_create,
    budget_update,
    funder_create,
    programme_create,
)
from accord.funding.services.grants import (
    grant_cancel,
    grant_create,
    grant_recalculate,
    grant_update,
)
from accord.funding.services.payments import payment_record
from accord.funding.services.rule_sets import (
    rule_set_create,
    rule_set_import_shipped,
    rule_set_version_draft,
    rule_set_version_publish,
    rule_set_version_update,
)

__all__ = [
    "allocation_create",
    "budget_create",
    "budget_update",
    "funder_create",
    "grant_cancel",
    "grant_create",
    "grant_recalculate",
    "grant_update",
    "payment_record",
    "programme_create",
    "rule_set_create",
    "rule_set_import_shipped",
    "rule_set_version_draft",
    "rule_set_version_publish",
    "rule_set_version_update",
]
