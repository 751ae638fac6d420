"""The surveys' panel of the home page: the surveys waiting for the user's own answers."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core.dashboard import DashboardItem, Urgency
from accord.surveys.models import Invitation


def panel(user, today: date) -> list[DashboardItem]:
    waiting = Invitation.objects.of(user).open().count()
    if not waiting:
        return []
    return [
        DashboardItem(
            ngettext(
                "%(count)s survey about your exchange waits for your answers",
                "%(count)s surveys about your exchange wait for your answers",
                waiting,
            )
            % {"count": waiting},
            reverse("surveys:mine"),
            urgency=Urgency.WAITING,
            detail=_("It takes about ten minutes, and your answers are kept apart from your name."),
        )
    ]
