"""Virtual exchange's panel of the home page (see ``accord.core.dashboard``): the invitations waiting
for the user's answer, in one query."""

from datetime import date

from django.urls import reverse
from django.utils.translation import ngettext

from accord.core.dashboard import DashboardItem, Urgency
from accord.virtual_exchange.selectors import invitations_for


def panel(user, today: date) -> list[DashboardItem]:
    count = invitations_for(user=user).count()
    if not count:
        return []
    return [
        DashboardItem(
            ngettext(
                "%(count)s virtual exchange invitation to answer",
                "%(count)s virtual exchange invitations to answer",
                count,
            )
            % {"count": count},
            reverse("virtual_exchange:home") + "#invitations",
            count=count,
            urgency=Urgency.SOON,
        )
    ]
