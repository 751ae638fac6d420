"""Payments to participants: recorded, never edited, and never more than the grant."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accord.core.concurrency import lock
from accord.core.errors import ValidationFailed
from accord.funding.choices import GrantStatus
from accord.funding.models import Budget, Grant, Payment
from accord.funding.querysets import FundingAction
from accord.funding.services._common import require


@transaction.atomic
def payment_record(
    *,
    actor,
    grant: Grant,
    amount: Decimal,
    paid_on: date,
    label: str,
    reference: str = "",
    budget: Budget | None = None,
    currency: str | None = None,
) -> Payment:
    """Record money paid (negative: paid back). The grant is locked so that two payments recorded at
    once cannot together pass the grant."""
    require(actor, FundingAction.MANAGE, grant.organisation_id)
    lock(grant)
    errors = {}
    if currency and currency != grant.currency:
        errors["currency"] = _("The grant is paid in %(currency)s.") % {"currency": grant.currency}
    if amount == 0:
        errors["amount"] = _("A payment needs an amount.")
    if amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = _("An amount has at most two decimals.")
    budget = budget or grant.budget
    if budget.organisation_id != grant.organisation_id or not grant.shares.filter(budget=budget).exists():
        errors["budget"] = _("Pay from a budget that funds this grant.")
    if errors:
        raise ValidationFailed(errors)
    paid = grant.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if grant.status == GrantStatus.CANCELLED and amount > 0:
        raise ValidationFailed({"amount": _("The grant was cancelled: only a repayment can be recorded.")})
    if paid + amount > grant.total:
        raise ValidationFailed(
            {
                "amount": _(
                    "This payment would bring the payments to %(after)s %(currency)s, above the grant of "
                    "%(total)s %(currency)s (%(paid)s already paid): a payment cannot exceed the grant."
                )
                % {"after": paid + amount, "total": grant.total, "paid": paid, "currency": grant.currency}
            }
        )
    if paid + amount < 0:
        raise ValidationFailed({"amount": _("More cannot be paid back than was paid.")})
    return Payment.objects.create(
        grant=grant,
        budget=budget,
        label=label,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
