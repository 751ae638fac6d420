"""The partnerships' panel of the home page (see ``accord.core.dashboard``): per partnership the user
sees, its action items past their due date, linking to its page, whose log marks them overdue."""

from datetime import date

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from accord.core.dashboard import DashboardItem, Urgency
from accord.partnerships.selectors import overdue_action_items


def panel(user, today: date) -> list[DashboardItem]:
    rows = (
        overdue_action_items(today=today, user=user)
        .values("partnership_id", "partnership__title")
        .annotate(count=Count("pk"), due=Min("due_date"))
        .order_by("due", "partnership_id")
    )
    return [
        DashboardItem(
            ngettext(
                "%(count)s overdue action item in %(partnership)s",
                "%(count)s overdue action items in %(partnership)s",
                row["count"],
            )
            % {"count": row["count"], "partnership": row["partnership__title"]},
            reverse("partnerships:detail", args=[row["partnership_id"]]) + "#actions-heading",
            count=row["count"],
            deadline=row["due"],
            urgency=Urgency.OVERDUE,
        )
        for row in rows
    ]
