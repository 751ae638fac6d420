"""What mobilities use of an agreement's quotas, for the agreements' quota view.

Counted: every mobility recorded against the agreement (with a condition key) that is not
cancelled, with its months and days (actual dates once known, planned ones before). A mobility made
from a nomination (``source="nomination"``) adds its months and days but never a place of its own:
the exchanges app counts the nomination's place while it is active, and a nomination that ends
(rejected, or cancelled by re-allocation) cancels its mobility with it
(docs/decisions/0009-mobilities.md).
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from accord.agreements.usage import Usage, UsageKey
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility


def mobilities_usage(agreement) -> dict[UsageKey, Usage]:
    rows = (
        Mobility.objects.filter(agreement=agreement)
        .exclude(condition_key="")
        .exclude(status=MobilityStatus.CANCELLED)
        .values("condition_key", "academic_year")
        .annotate(
            count=Count("pk", filter=~Q(source=MobilitySource.NOMINATION)),
            months=Sum("duration_months"),
            days=Sum("duration_days"),
        )
    )
    return {
        (row["condition_key"], row["academic_year"]): Usage(
            mobilities=row["count"], months=row["months"], days=Decimal(row["days"])
        )
        for row in rows
    }
