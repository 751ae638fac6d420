"""The health of partnerships, for one partnership or a whole portfolio, in a fixed number of queries:
each fact (flows, quotas, agreements, meetings, overdue actions, recognition) is one grouped query for
all the partnerships together, then ``algorithms.evaluation.health`` judges each."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from accord.agreements.choices import AgreementStatus
from accord.agreements.models import Agreement
from accord.algorithms.agreements.model import content_from_dict
from accord.algorithms.agreements.years import quota_table
from accord.algorithms.evaluation.health import Assessment, ExpiringAgreement, HealthFacts, assess, ranked
from accord.algorithms.evaluation.reciprocity import partner_flows
from accord.evaluation.health_sources import extra_warnings
from accord.mobilities.choices import STAFF_TYPES, MobilityStatus
from accord.mobilities.models import Mobility, RecognisedComponent
from accord.organisations.models import Organisation
from accord.partnerships.choices import ActionItemStatus, MemberRole, PartnershipStatus
from accord.partnerships.models import ActionItem, Decision, Meeting, Partnership, PartnershipMember
from accord.reference.academic_years import current_academic_year

WINDOW_YEARS = 3
"""Flows, quotas and recognition are judged over the current academic year and the two before it."""


@dataclass(frozen=True)
class PartnershipHealth:
    partnership: Partnership
    assessment: Assessment


def _labels(today: date) -> list[str]:
    current = current_academic_year(today)
    return [
        f"{year}/{year + 1}" for year in range(current.start_year - WINDOW_YEARS + 1, current.start_year + 1)
    ]


def health_of(*, partnerships: list[Partnership], today: date) -> list[PartnershipHealth]:
    """Each partnership's assessment, healthiest and most active first."""
    ids = [p.pk for p in partnerships]
    if not ids:
        return []
    labels = _labels(today)
    coordinators = dict(
        PartnershipMember.objects.filter(partnership_id__in=ids, role=MemberRole.COORDINATOR).values_list(
            "partnership_id", "organisation_id"
        )
    )
    counted = Mobility.objects.filter(agreement__partnership_id__in=ids, academic_year__in=labels).exclude(
        status=MobilityStatus.CANCELLED
    )
    pairs = (
        counted.order_by()
        .values("agreement__partnership_id", "sending_organisation_id", "receiving_organisation_id")
        .annotate(people=Count("pk"), months=Sum("duration_months"))
    )
    names = {}
    flow_rows: dict[int, list] = defaultdict(list)
    activity: dict[int, int] = defaultdict(int)
    pair_rows = list(pairs)
    organisation_ids = {r["sending_organisation_id"] for r in pair_rows} | {
        r["receiving_organisation_id"] for r in pair_rows
    }
    if organisation_ids:
        names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    for row in pair_rows:
        pk = row["agreement__partnership_id"]
        home = coordinators.get(pk)
        activity[pk] += row["people"]
        if row["sending_organisation_id"] == home:
            flow_rows[pk].append(
                (names[row["receiving_organisation_id"]], "out", row["people"], row["months"] or Decimal(0))
            )
        elif row["receiving_organisation_id"] == home:
            flow_rows[pk].append(
                (names[row["sending_organisation_id"]], "in", row["people"], row["months"] or Decimal(0))
            )

    agreed: dict[int, int] = defaultdict(int)
    expiring: dict[int, list[ExpiringAgreement]] = defaultdict(list)
    agreements = Agreement.objects.filter(partnership_id__in=ids, status=AgreementStatus.IN_EFFECT).values(
        "pk",
        "partnership_id",
        "title",
        "ends_on",
        "approved_version_id",
        "current_version_id",
        "approved_version__content",
    )
    agreement_partnership = {}
    for agreement in agreements:
        pk = agreement["partnership_id"]
        agreement_partnership[agreement["pk"]] = pk
        if agreement["ends_on"]:
            expiring[pk].append(
                ExpiringAgreement(
                    agreement["title"],
                    agreement["ends_on"],
                    renewal_pending=agreement["current_version_id"] != agreement["approved_version_id"],
                )
            )
        if agreement["approved_version__content"]:
            for row in quota_table(content_from_dict(agreement["approved_version__content"])):
                if row.academic_year in labels:
                    agreed[pk] += row.mobilities
    used: dict[int, int] = defaultdict(int)
    for row in (
        counted.filter(agreement_id__in=list(agreement_partnership))
        .exclude(condition_key="")
        .order_by()
        .values("agreement_id")
        .annotate(people=Count("pk"))
    ):
        used[agreement_partnership[row["agreement_id"]]] += row["people"]

    year_ago = today - timedelta(days=365)
    meetings = {
        row["partnership_id"]: row
        for row in Meeting.objects.filter(partnership_id__in=ids, date__lte=today)
        .order_by()
        .values("partnership_id")
        .annotate(last=Max("date"), recent=Count("pk", filter=Q(date__gte=year_ago)))
    }
    decisions = dict(
        Decision.objects.filter(partnership_id__in=ids, decided_on__gte=year_ago)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    overdue = dict(
        ActionItem.objects.filter(partnership_id__in=ids, status=ActionItemStatus.OPEN, due_date__lt=today)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    ended = counted.filter(status__in=(MobilityStatus.COMPLETED, MobilityStatus.RECOGNISED)).exclude(
        mobility_type__in=STAFF_TYPES
    )
    planned = dict(
        ended.order_by()
        .values("agreement__partnership_id")
        .annotate(c=Sum("planned_credits"))
        .values_list("agreement__partnership_id", "c")
    )
    recognised = dict(
        RecognisedComponent.objects.filter(mobility__in=ended.values("pk"))
        .order_by()
        .values("mobility__agreement__partnership_id")
        .annotate(c=Sum("credits"))
        .values_list("mobility__agreement__partnership_id", "c")
    )
    extra = extra_warnings(ids, today)
    assessed = []
    for partnership in partnerships:
        pk = partnership.pk
        meeting = meetings.get(pk, {})
        facts = HealthFacts(
            today=today,
            flows=partner_flows(flow_rows[pk]),
            places_agreed=agreed[pk],
            places_used=used[pk],
            agreements=expiring[pk],
            last_meeting=meeting.get("last"),
            started_on=partnership.start_date or partnership.created_at.date(),
            overdue_actions=overdue.get(pk, 0),
            planned_credits=planned.get(pk) or Decimal(0),
            recognised_credits=recognised.get(pk) or Decimal(0),
            activity=activity[pk] + meeting.get("recent", 0) + decisions.get(pk, 0),
            extra=extra.get(pk, []),
        )
        assessed.append((pk, assess(facts)))
    by_pk = {p.pk: p for p in partnerships}
    return [PartnershipHealth(by_pk[pk], assessment) for pk, assessment in ranked(assessed)]


def portfolio_partnerships(*, user, scope) -> list[Partnership]:
    """The partnerships of a portfolio the user may see: the institution's (or, for platform staff,
    every one), closed ones left out."""
    queryset = Partnership.objects.for_user(user).exclude(status=PartnershipStatus.CLOSED)
    if scope.pk is not None:
        queryset = queryset.filter(
            pk__in=PartnershipMember.objects.filter(organisation_id=scope.pk).values("partnership_id")
        )
    return list(queryset.order_by("title", "pk"))
