"""The mobilities' panel of the home page (see ``accord.core.dashboard``): the learning and staff
mobility agreements waiting for the user's signature, the transcripts overdue, the staff mobilities
waiting for the user, and a participant's own mobilities with their next step."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core.dashboard import DashboardItem, Urgency
from accord.mobilities import selectors
from accord.mobilities.choices import STAFF_TYPES, MobilitySource, MobilityStatus
from accord.mobilities.journey import mobility_next
from accord.mobilities.models import Mobility

# A participant has one or two mobilities at a time; the page shows the latest ones.
MY_MOBILITIES_SHOWN = 3
FINISHED = (MobilityStatus.CANCELLED, MobilityStatus.RECOGNISED)


def _work(user, today: date) -> list[DashboardItem]:
    items = []
    to_sign = selectors.awaiting_my_signature(user=user)
    if to_sign:
        items.append(
            DashboardItem(
                ngettext(
                    "%(count)s learning or mobility agreement to sign",
                    "%(count)s learning or mobility agreements to sign",
                    len(to_sign),
                )
                % {"count": len(to_sign)},
                reverse("mobilities:list") + "#to-sign",
                count=len(to_sign),
                urgency=Urgency.SOON,
            )
        )
    overdue = selectors.transcripts_overdue(user=user, today=today)
    if overdue:
        items.append(
            DashboardItem(
                ngettext(
                    "%(count)s transcript of records overdue",
                    "%(count)s transcripts of records overdue",
                    len(overdue),
                )
                % {"count": len(overdue)},
                reverse("mobilities:list") + "#overdue",
                count=len(overdue),
                deadline=min(item.due for item in overdue),
                urgency=Urgency.OVERDUE,
            )
        )
    return items


def _staff(user) -> list[DashboardItem]:
    """Staff mobilities: the user's own, each with its next step, and a count of the others whose next
    step is the user's (their institution's) to take."""
    items = []
    waiting = 0
    for mobility, step in selectors.staff_mobilities(user=user):
        if mobility.participant_id == user.pk and mobility.status not in FINISHED:
            items.append(
                DashboardItem(
                    _("Your staff mobility to %(partner)s")
                    % {"partner": mobility.receiving_organisation.name},
                    reverse("mobilities:staff_detail", args=[mobility.pk]),
                    urgency=Urgency.SOON if step.yours else Urgency.WAITING,
                    detail=step.text,
                )
            )
        elif step.yours:
            waiting += 1
    if waiting:
        items.append(
            DashboardItem(
                ngettext(
                    "%(count)s staff mobility waiting for you",
                    "%(count)s staff mobilities waiting for you",
                    waiting,
                )
                % {"count": waiting},
                reverse("mobilities:staff"),
                count=waiting,
            )
        )
    return items


def _own_studies(user) -> list[DashboardItem]:
    """A student's mobilities that no application of theirs leads to (recorded by a coordinator or
    received from a partner): the exchanges panel tells the others through the application."""
    mine = (
        Mobility.objects.filter(participant=user)
        .exclude(mobility_type__in=STAFF_TYPES)
        .exclude(source=MobilitySource.NOMINATION)
        .exclude(status__in=FINISHED)
        .select_related("receiving_organisation")
        .order_by("-planned_start", "pk")[:MY_MOBILITIES_SHOWN]
    )
    items = []
    for mobility in mine:
        step = mobility_next(mobility, selectors.agreement_overview(user=user, mobility=mobility))
        items.append(
            DashboardItem(
                _("Your mobility to %(partner)s") % {"partner": mobility.receiving_organisation.name},
                step.url or reverse("mobilities:detail", args=[mobility.pk]),
                urgency=Urgency.SOON if step.url else Urgency.WAITING,
                detail=step.text,
            )
        )
    return items


def panel(user, today: date) -> list[DashboardItem]:
    return _work(user, today) + _staff(user) + _own_studies(user)
