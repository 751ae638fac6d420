"""The agreements' panel of the home page (see ``accord.core.dashboard``): agreements awaiting the
approval of an institution the user manages, and those expiring soon, each linking to the agreement
list filtered to exactly those."""

from datetime import date

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from accord.agreements.selectors import agreement_list
from accord.core.dashboard import DashboardItem, Urgency, urgency_of


def panel(user, today: date) -> list[DashboardItem]:
    items = []
    awaiting = agreement_list(user=user, todo="approve", today=today).count()
    if awaiting:
        items.append(
            DashboardItem(
                ngettext(
                    "%(count)s agreement awaiting your approval",
                    "%(count)s agreements awaiting your approval",
                    awaiting,
                )
                % {"count": awaiting},
                reverse("agreements:list") + "?todo=approve",
                count=awaiting,
                urgency=Urgency.SOON,
            )
        )
    expiring = agreement_list(user=user, todo="expiring", today=today).aggregate(
        count=Count("pk"), first=Min("ends_on")
    )
    if expiring["count"]:
        items.append(
            DashboardItem(
                ngettext(
                    "%(count)s agreement expiring soon",
                    "%(count)s agreements expiring soon",
                    expiring["count"],
                )
                % {"count": expiring["count"]},
                reverse("agreements:list") + "?todo=expiring",
                count=expiring["count"],
                deadline=expiring["first"],
                urgency=urgency_of(expiring["first"], today, soon_days=60),
            )
        )
    return items
