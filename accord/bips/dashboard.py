"""The BIPs' panel of the home page (see ``accord.core.dashboard``): per programme the user organises,
the nominations waiting for their decision, linking to its participants."""

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from accord.bips.choices import DECIDING_STATUSES, ParticipantStatus
from accord.bips.models import Bip, BipParticipant
from accord.bips.querysets import BipAction
from accord.core.dashboard import DashboardItem, Urgency


def nominations_to_decide(*, user) -> list[dict]:
    """Per programme the user manages and still decides on, its nominations not decided yet."""
    return list(
        BipParticipant.objects.filter(
            bip__in=Bip.objects.for_user(user, BipAction.MANAGE).filter(status__in=DECIDING_STATUSES),
            status=ParticipantStatus.NOMINATED,
        )
        .values("bip_id", "bip__title")
        .annotate(count=Count("pk"))
        .order_by("bip_id")
    )


def panel(user, today: date) -> list[DashboardItem]:
    return [
        DashboardItem(
            ngettext(
                "%(count)s BIP nomination to decide in %(bip)s",
                "%(count)s BIP nominations to decide in %(bip)s",
                row["count"],
            )
            % {"count": row["count"], "bip": row["bip__title"]},
            reverse("bips:detail", args=[row["bip_id"]]) + "#participants",
            count=row["count"],
            urgency=Urgency.SOON,
        )
        for row in nominations_to_decide(user=user)
    ]
