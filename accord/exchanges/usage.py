"""What the exchanges use of an agreement's quotas: students nominated to the partner (awaiting the
partner's answer or accepted), per cooperation condition and academic year."""

from django.db.models import Count

from accord.agreements.usage import Usage, UsageKey
from accord.exchanges.choices import ACTIVE_NOMINATIONS
from accord.exchanges.models import Nomination


def nominations_usage(agreement) -> dict[UsageKey, Usage]:
    rows = (
        Nomination.objects.filter(place__agreement=agreement, status__in=ACTIVE_NOMINATIONS)
        .values("place__condition_key", "place__call__academic_year")
        .annotate(count=Count("pk"))
    )
    return {
        (row["place__condition_key"], row["place__call__academic_year"]): Usage(mobilities=row["count"])
        for row in rows
    }
