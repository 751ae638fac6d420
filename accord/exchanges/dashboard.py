"""The exchanges' panel of the home page (see ``accord.core.dashboard``): nominations the partner
decides, applications waiting for a first review, and a student's own applications with their next step."""

from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.core.dashboard import DashboardItem, Urgency, urgency_of
from accord.exchanges import selectors
from accord.exchanges.choices import ApplicationStatus
from accord.exchanges.models import Application, Call, Review
from accord.exchanges.querysets import ExchangeAction

# A student follows at most a handful of applications; the page shows the latest ones.
MY_APPLICATIONS_SHOWN = 3


def applications_to_review(*, user) -> list[dict]:
    """Per call the user reviews: its submitted applications nobody has reviewed yet, exactly those
    its application list shows with the filters "Submitted" and "Not reviewed"."""
    return list(
        Application.objects.for_user(user)
        .filter(
            call__in=Call.objects.for_user(user, ExchangeAction.REVIEW),
            status=ApplicationStatus.SUBMITTED,
        )
        .filter(~Exists(Review.objects.filter(application=OuterRef("pk"))))
        .values("call_id", "call__title", "call__closes_at")
        .annotate(count=Count("pk"))
        .order_by("call__closes_at", "call_id")
    )


def _urgency(url: str) -> Urgency:
    """A step the student takes is soon; one they wait for is waiting."""
    return Urgency.SOON if url else Urgency.WAITING


def panel(user, today: date) -> list[DashboardItem]:
    items = []
    to_decide = selectors.nominations_to_decide(user=user).count()
    if to_decide:
        items.append(
            DashboardItem(
                ngettext("%(count)s nomination to decide", "%(count)s nominations to decide", to_decide)
                % {"count": to_decide},
                reverse("exchanges:nominations") + "?to_decide=1",
                count=to_decide,
                urgency=Urgency.SOON,
            )
        )
    for row in applications_to_review(user=user):
        query = urlencode({"status": ApplicationStatus.SUBMITTED, "reviewed": "no"})
        items.append(
            DashboardItem(
                ngettext(
                    "%(count)s application to review in %(call)s",
                    "%(count)s applications to review in %(call)s",
                    row["count"],
                )
                % {"count": row["count"], "call": row["call__title"]},
                f"{reverse('exchanges:applications', args=[row['call_id']])}?{query}",
                count=row["count"],
            )
        )
    for application in selectors.my_applications(user=user)[:MY_APPLICATIONS_SHOWN]:
        journey = selectors.application_journey(user=user, application=application)
        deadline = None
        if application.status == ApplicationStatus.DRAFT:
            deadline = application.call.closes_at.date()
        items.append(
            DashboardItem(
                _("Your application to %(call)s") % {"call": application.call.title},
                journey.next.url or reverse("exchanges:application", args=[application.pk]),
                deadline=deadline,
                urgency=urgency_of(deadline, today) if deadline else _urgency(journey.next.url),
                detail=journey.next.text,
            )
        )
    return items
