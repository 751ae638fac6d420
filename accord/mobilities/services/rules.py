"""The credit rules a sending institution sets on its learning and staff mobility agreements."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.mobilities.choices import CreditRuleKind, RuleScope
from accord.mobilities.models import CreditRule

MAX_VALUE = Decimal(999)


def _require(actor, organisation) -> None:
    if not (
        is_platform_staff(actor) or organisation.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(
            _("Only admins and coordinators of this institution can change its credit rules.")
        )


@transaction.atomic
def credit_rule_save(
    *, actor, organisation, scope: str, kind: str, value, blocking: bool = True
) -> CreditRule:
    """Set one rule (a rule of the same scope and kind is replaced)."""
    _require(actor, organisation)
    errors = {}
    if scope not in RuleScope.values:
        errors["scope"] = _("Unknown scope.")
    if kind not in CreditRuleKind.values:
        errors["kind"] = _("Unknown rule.")
    try:
        number = Decimal(str(value).replace(",", "."))
        if not number.is_finite() or number < 0 or number > MAX_VALUE:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["value"] = _("Give a number from 0 to %(max)s.") % {"max": MAX_VALUE}
        number = Decimal(0)
    if errors:
        raise ValidationFailed(errors)
    rule, _created = CreditRule.objects.update_or_create(
        organisation=organisation, scope=scope, kind=kind, defaults={"value": number, "blocking": blocking}
    )
    return rule


@transaction.atomic
def credit_rule_delete(*, actor, rule: CreditRule) -> None:
    _require(actor, rule.organisation)
    rule.delete()
