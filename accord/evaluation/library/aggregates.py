"""The few aggregate queries the indicators share, each memoised on the context: whatever indicators
a page shows, each of these runs at most once (grouped in the database, never row by row)."""

from decimal import Decimal

from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Substr

from accord.agreements.models import Agreement
from accord.algorithms.agreements.model import content_from_dict
from accord.algorithms.agreements.years import quota_table
from accord.evaluation.library.scope import Context, ScopeKind, year_of
from accord.mobilities.choices import STAFF_TYPES, MobilityStatus
from accord.mobilities.models import Mobility, RecognisedComponent, TranscriptEntry
from accord.partnerships.models import PartnershipMember

ZERO = Decimal(0)


FACT_FIELDS = ("academic_year", "direction", "mobility_type", "eqf_level", "broad_field", "gender", "source")


def facts(ctx: Context) -> list[dict]:
    """One grouped query for the counts most indicators read: people, months and days per academic
    year, direction, type, level, broad field, gender and source. The groups are few (a handful per
    year and kind), however many mobilities there are; ``yearly`` and ``by_year_and`` fold them."""

    def run() -> list[dict]:
        rows = (
            ctx.mobilities()
            .annotate(
                broad_field=Substr("isced_code", 1, 2), gender=F("participant__participant_details__gender")
            )
            .values(*FACT_FIELDS)
            .annotate(people=Count("pk"), months=Sum("duration_months"), days=Sum("duration_days"))
        )
        return [{**row, "year": year_of(row["academic_year"])} for row in rows]

    return ctx.memo("facts", run)


def _fold(rows: list[dict], keys: tuple[str, ...], sums: tuple[str, ...]) -> list[dict]:
    totals: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        entry = totals.setdefault(key, {**dict(zip(keys, key, strict=True)), **{name: ZERO for name in sums}})
        for name in sums:
            entry[name] += row[name] or 0
    return list(totals.values())


def yearly(ctx: Context) -> list[dict]:
    """Per academic year and direction: people, months and days."""
    return ctx.memo(
        "yearly",
        lambda: _fold(facts(ctx), ("year", "academic_year", "direction"), ("people", "months", "days")),
    )


def by_year_and(ctx: Context, field: str) -> list[dict]:
    """Per academic year and value of ``field`` (one of ``FACT_FIELDS``): people."""
    return ctx.memo(
        f"by_year_and:{field}", lambda: _fold(facts(ctx), ("year", "academic_year", field), ("people",))
    )


def partners(ctx: Context) -> list[dict]:
    """Per partner institution (the other end of each mobility, seen from home) and direction: people
    and months, with the partner's name and country."""

    def run() -> list[dict]:
        incoming = Q(direction="in")
        return list(
            ctx.mobilities()
            .annotate(
                partner_id=Case(
                    When(incoming, then=F("sending_organisation_id")),
                    default=F("receiving_organisation_id"),
                    output_field=IntegerField(),
                ),
                partner_name=Case(
                    When(incoming, then=F("sending_organisation__name")),
                    default=F("receiving_organisation__name"),
                    output_field=CharField(),
                ),
                partner_country=Case(
                    When(incoming, then=F("sending_organisation__country_code")),
                    default=F("receiving_organisation__country_code"),
                    output_field=CharField(),
                ),
            )
            .values("partner_id", "partner_name", "partner_country", "direction")
            .annotate(people=Count("pk"), months=Coalesce(Sum("duration_months"), Value(ZERO)))
            .order_by("partner_name", "partner_id", "direction")
        )

    return ctx.memo("partners", run)


def country_flows(ctx: Context) -> list[dict]:
    """Per pair of sending and receiving countries: people."""

    def run() -> list[dict]:
        return list(
            ctx.mobilities()
            .values(
                origin=F("sending_organisation__country_code"),
                destination=F("receiving_organisation__country_code"),
            )
            .annotate(people=Count("pk"))
            .order_by("-people", "origin", "destination")
        )

    return ctx.memo("country_flows", run)


def recognition(ctx: Context) -> list[dict]:
    """Per academic year: the credits planned in the learning agreements of mobilities that ended
    (completed or recognised) and the credits recognised for them. Two grouped queries."""

    def run() -> list[dict]:
        ended = (
            ctx.mobilities()
            .filter(status__in=(MobilityStatus.COMPLETED, MobilityStatus.RECOGNISED))
            .exclude(mobility_type__in=STAFF_TYPES)
        )
        planned = {
            row["academic_year"]: row["credits"]
            for row in ended.values("academic_year").annotate(credits=Sum("planned_credits"))
        }
        recognised = {
            row["mobility__academic_year"]: row["credits"]
            for row in RecognisedComponent.objects.filter(mobility__in=ended.values("pk"))
            .order_by()
            .values("mobility__academic_year")
            .annotate(credits=Sum("credits"))
        }
        return [
            {"year": year_of(label), "planned": credits or ZERO, "recognised": recognised.get(label) or ZERO}
            for label, credits in planned.items()
        ]

    return ctx.memo("recognition", run)


def grades(ctx: Context) -> list[dict]:
    """Per academic year: transcript credits and the credits passed."""

    def run() -> list[dict]:
        rows = (
            TranscriptEntry.objects.filter(transcript__mobility__in=ctx.mobilities().values("pk"))
            .order_by()
            .values(academic_year=F("transcript__mobility__academic_year"))
            .annotate(
                total=Sum("credits"),
                passed_credits=Coalesce(Sum("credits", filter=Q(passed=True)), Value(ZERO)),
            )
        )
        return [{**row, "year": year_of(row["academic_year"])} for row in rows]

    return ctx.memo("grades", run)


def nationalities(ctx: Context) -> list[dict]:
    """Per academic year and nationality: incoming student mobilities (the people SDG 4.b.1 is about)."""

    def run() -> list[dict]:
        rows = (
            ctx.mobilities()
            .filter(direction__in=("in", "other"))
            .exclude(mobility_type__in=STAFF_TYPES)
            .values("academic_year", nationality=F("participant__participant_details__nationality"))
            .annotate(people=Count("pk"))
        )
        return [{**row, "year": year_of(row["academic_year"])} for row in rows]

    return ctx.memo("nationalities", run)


def bip_participants(ctx: Context) -> list[dict]:
    """Per academic year: the mobilities that acceptances into BIPs created."""
    return ctx.memo(
        "bip_participants",
        lambda: _fold([row for row in facts(ctx) if row["source"] == "bip"], ("year",), ("people",)),
    )


def quotas(ctx: Context) -> list[dict]:
    """Per academic year: the places agreed in the conditions of the agreements in effect in the scope,
    and the mobilities recorded against those conditions. Two queries; the conditions are read from
    each agreement's approved content by the pure agreements core."""

    def run() -> list[dict]:
        agreements = scope_agreements(ctx).filter(approved_version__isnull=False)
        contents = dict(agreements.values_list("pk", "approved_version__content"))
        labels = set(ctx.period.labels)
        agreed: dict[str, int] = {}
        for content in contents.values():
            for row in quota_table(content_from_dict(content)):
                if row.academic_year in labels:
                    agreed[row.academic_year] = agreed.get(row.academic_year, 0) + row.mobilities
        used = {
            row["academic_year"]: row["people"]
            for row in Mobility.objects.filter(agreement_id__in=list(contents), academic_year__in=labels)
            .exclude(condition_key="")
            .exclude(status=MobilityStatus.CANCELLED)
            .order_by()
            .values("academic_year")
            .annotate(people=Count("pk"))
        }
        return [
            {"year": year_of(label), "agreed": places, "used": used.get(label, 0)}
            for label, places in sorted(agreed.items())
        ]

    return ctx.memo("quotas", run)


def scope_agreements(ctx: Context) -> QuerySet[Agreement]:
    scope = ctx.scope
    agreements = Agreement.objects.order_by()
    if scope.kind == ScopeKind.INSTITUTION:
        return agreements.filter(party_links__organisation_id=scope.pk)
    if scope.kind == ScopeKind.PARTNERSHIP:
        return agreements.filter(partnership_id=scope.pk)
    if scope.kind == ScopeKind.PORTFOLIO:
        if scope.pk is None:
            return agreements
        return agreements.filter(
            partnership_id__in=PartnershipMember.objects.filter(organisation_id=scope.pk).values(
                "partnership_id"
            )
        )
    return agreements.none()
