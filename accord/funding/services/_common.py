"""What the funding services share: access checks and turning pure-core errors into field errors."""

from django.utils.translation import gettext as _

from accord.algorithms.funding.calculate import GrantError
from accord.algorithms.funding.rules import RuleSetError
from accord.algorithms.funding.shares import ShareError
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.funding.querysets import FundingAction, funding_may


def require(actor, action: str, organisation_id: int) -> None:
    if funding_may(actor, action, organisation_id):
        return
    if action == FundingAction.CONFIGURE:
        raise PermissionDenied(_("Only the institution's administrators can change grant rules."))
    raise PermissionDenied(_("Only the institution's admins and coordinators can change its funding."))


def rule_failed(error: RuleSetError | GrantError | ShareError, field: str) -> ValidationFailed:
    """The core's error as a sentence on ``field`` that names the rule at fault."""
    return ValidationFailed(
        {field: _("Rule %(rule)s: %(message)s") % {"rule": error.rule, "message": error.message}}
    )
