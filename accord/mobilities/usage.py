"""What mobilities use of an agreement's quotas, for the agreements' quota view.

Counted: every mobility recorded against the agreement (with a condition key) that is not
cancelled, with its months and days (actual dates once known, planned ones before). The exchanges
app counts the places of active nominations; a mobility made from one of those
(``source="nomination"``) adds its months and days here but not a second place
(docs/decisions/0009-mobilities.md).
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from accord.agreements.usage import Usage, UsageKey
from accord.exchanges.choices import ACTIVE_NOMINATIONS
from accord.exchanges.models import Nomination
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility


def mobilities_usage(agreement) -> dict[UsageKey, Usage]:
    counted_as_nominations = Q(
        source=MobilitySource.NOMINATION,
        source_id__in=Nomination.objects.filter(status__in=ACTIVE_NOMINATIONS).values("pk"),
    )
    rows = (
        Mobility.objects.filter(agreement=agreement)
        .exclude(condition_key="")
        .exclude(status=MobilityStatus.CANCELLED)
        .values("condition_key", "academic_year")
        .annotate(
            count=Count("pk", filter=~counted_as_nominations),
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
