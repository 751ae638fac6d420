"""Funding's panel of the home page: budgets the user manages that are over-committed or nearly so."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from accord.core.dashboard import DashboardItem, Urgency
from accord.funding.selectors import budget_positions


def panel(user, today: date) -> list[DashboardItem]:
    items = []
    for position in budget_positions(user=user, action="manage"):
        if position.remaining < 0:
            urgency = Urgency.OVERDUE
            text = _("%(budget)s is over-committed by %(amount)s %(currency)s")
        elif position.amount and position.remaining < position.amount / 10:
            urgency = Urgency.SOON
            text = _("%(budget)s has %(amount)s %(currency)s left")
        else:
            continue
        items.append(
            DashboardItem(
                text
                % {
                    "budget": position.budget,
                    "amount": abs(position.remaining),
                    "currency": position.budget.currency,
                },
                reverse("funding:budget", args=[position.budget.pk]),
                urgency=urgency,
            )
        )
    return items
