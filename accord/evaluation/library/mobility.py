"""The indicators Accord computes from its own data: mobilities, agreements' quotas and BIPs."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accord.algorithms.evaluation.arithmetic import share, utilisation
from accord.algorithms.evaluation.flows import CountryFlow, by_region, south_south_count
from accord.algorithms.evaluation.reciprocity import balance, overall_balance, partner_flows
from accord.evaluation.library import aggregates
from accord.evaluation.library.registry import Definition, Domain, Figure, Row, register
from accord.evaluation.library.scope import Context, ScopeKind
from accord.mobilities.choices import MobilityType
from accord.mobilities.models import Gender
from accord.reference.countries import country_name
from accord.reference.dac import is_oda_recipient
from accord.reference.isced import isced_label

ZERO = Decimal(0)
VIRTUAL_OR_BLENDED = frozenset({MobilityType.VIRTUAL, MobilityType.BLENDED, MobilityType.BLENDED_INTENSIVE})
DIRECTION_LABELS = {"out": _("Outgoing"), "in": _("Incoming"), "other": _("Between partners")}
COUNTS_AT_START = _(
    "A mobility counts in the academic year it starts in (its academic year); cancelled ones never count."
)
FROM_MOBILITIES = _("Accord's mobility records (sending and receiving institutions, dates, types).")


def _sum_by_year(rows: Iterable[dict], key: str, keep: Callable[[dict], bool] = lambda row: True) -> dict:
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if keep(row):
            totals[row["year"]] += Decimal(row[key] or 0)
    return dict(sorted(totals.items()))


def _total(by_year: dict[int, Decimal]) -> Decimal | None:
    return sum(by_year.values(), ZERO) if by_year else None


def _people(keep: Callable[[dict], bool] = lambda row: True, key: str = "people"):
    def compute(ctx: Context) -> Figure:
        rows = aggregates.yearly(ctx)
        by_year = _sum_by_year(rows, key, keep)
        directions: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for row in rows:
            if keep(row):
                directions[row["direction"]] += Decimal(row[key] or 0)
        breakdown = tuple(
            Row(code, str(label), directions[code])
            for code, label in DIRECTION_LABELS.items()
            if code in directions
        )
        return Figure(_total(by_year), by_year, breakdown)

    return compute


def _breakdown(field: str, label_of: Callable[[object], str]):
    def compute(ctx: Context) -> Figure:
        rows = aggregates.by_year_and(ctx, field)
        by_year = _sum_by_year(rows, "people")
        totals: dict[object, Decimal] = defaultdict(lambda: ZERO)
        for row in rows:
            totals[row[field]] += row["people"]
        breakdown = tuple(
            Row(str(key if key not in (None, "") else "unknown"), label_of(key), value)
            for key, value in sorted(totals.items(), key=lambda item: (-item[1], str(item[0])))
        )
        return Figure(_total(by_year), by_year, breakdown)

    return compute


def _type_label(value: object) -> str:
    return str(MobilityType(value).label) if value in MobilityType.values else str(_("Not recorded"))


def _level_label(value: object) -> str:
    return str(_("EQF level %(level)s") % {"level": value}) if value else str(_("Not recorded"))


def _field_label(value: object) -> str:
    return isced_label(str(value)) if value else str(_("Not recorded"))


def _gender_label(value: object) -> str:
    return str(Gender(value).label) if value in Gender.values else str(_("Not recorded"))


def _share_of(field: str, match: Callable[[object], bool], known: Callable[[object], bool]):
    """The percentage of mobilities whose ``field`` matches, among those where it is known."""

    def compute(ctx: Context) -> Figure:
        rows = aggregates.by_year_and(ctx, field)
        matching = _sum_by_year(rows, "people", lambda row: match(row[field]))
        whole = _sum_by_year(rows, "people", lambda row: known(row[field]))
        by_year = {year: share(matching.get(year, ZERO), total) for year, total in whole.items()}
        value = share(sum(matching.values(), ZERO), sum(whole.values(), ZERO)) if whole else None
        base = _breakdown(field, _gender_label if field == "gender" else _type_label)(ctx)
        return Figure(value, by_year, base.breakdown)

    return compute


def reciprocity(months: bool):
    def compute(ctx: Context) -> Figure:
        flows = partner_flows(
            (f"{row['partner_name']}", row["direction"], row["people"], row["months"])
            for row in aggregates.partners(ctx)
            if row["direction"] in ("in", "out")
        )
        if months:
            value = balance(
                sum((f.incoming_months for f in flows), ZERO), sum((f.outgoing_months for f in flows), ZERO)
            )
        else:
            value = overall_balance(flows)
        yearly = aggregates.yearly(ctx)
        key = "months" if months else "people"
        incoming = _sum_by_year(yearly, key, lambda row: row["direction"] == "in")
        outgoing = _sum_by_year(yearly, key, lambda row: row["direction"] == "out")
        by_year = {
            year: balance(incoming.get(year, ZERO), outgoing.get(year, ZERO))
            for year in sorted({*incoming, *outgoing})
        }
        breakdown = tuple(
            Row(
                flow.partner,
                str(
                    _("%(partner)s: %(incoming)s in, %(outgoing)s out")
                    % {
                        "partner": flow.partner,
                        "incoming": flow.incoming_months if months else flow.incoming,
                        "outgoing": flow.outgoing_months if months else flow.outgoing,
                    }
                ),
                flow.months_balance if months else flow.balance,
            )
            for flow in flows
        )
        return Figure(value, by_year, breakdown)

    return compute


def _partner_countries(ctx: Context) -> Figure:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in aggregates.partners(ctx):
        totals[row["partner_country"] or ""] += row["people"]
    breakdown = tuple(
        Row(code or "unknown", country_name(code) if code else str(_("Not recorded")), value)
        for code, value in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    )
    return Figure(sum(totals.values(), ZERO) if totals else None, {}, breakdown)


def _partners_by_region(ctx: Context) -> Figure:
    partners = {(row["partner_id"], row["partner_country"] or "") for row in aggregates.partners(ctx)}
    regions = by_region((country, 1) for _pk, country in partners)
    breakdown = tuple(
        Row(region, region if region != "?" else str(_("Not recorded")), Decimal(n))
        for region, n in regions.items()
    )
    return Figure(Decimal(len(partners)) if partners else None, {}, breakdown)


def _south_south(ctx: Context) -> Figure:
    flows = [
        CountryFlow(row["origin"] or "", row["destination"] or "", row["people"])
        for row in aggregates.country_flows(ctx)
    ]
    south, total = south_south_count(flows)
    return Figure(
        share(south, total), {}, (Row("south_south", str(_("South–South mobilities")), Decimal(south)),)
    )


def _quota_utilisation(ctx: Context) -> Figure:
    rows = aggregates.quotas(ctx)
    by_year = {row["year"]: utilisation(row["used"], row["agreed"]) for row in rows}
    agreed = sum(row["agreed"] for row in rows)
    used = sum(row["used"] for row in rows)
    breakdown = tuple(
        Row(
            str(row["year"]),
            str(
                _("%(year)s: %(used)s of %(agreed)s places")
                % {**row, "year": f"{row['year']}/{row['year'] + 1}"}
            ),
            utilisation(row["used"], row["agreed"]),
        )
        for row in rows
    )
    return Figure(utilisation(used, agreed) if rows else None, by_year, breakdown)


def _ratio_by_year(rows: list[dict], part: str, whole: str) -> Figure:
    by_year = {row["year"]: share(row[part], row[whole]) for row in sorted(rows, key=lambda r: r["year"])}
    total_part = sum((row[part] for row in rows), ZERO)
    total_whole = sum((row[whole] for row in rows), ZERO)
    return Figure(share(total_part, total_whole) if rows else None, by_year)


def _dac_students(ctx: Context) -> Figure:
    rows = aggregates.nationalities(ctx)
    by_year = _sum_by_year(
        rows, "people", lambda row: bool(row["nationality"]) and is_oda_recipient(row["nationality"])
    )
    known = any(row["nationality"] for row in rows)
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row["nationality"] and is_oda_recipient(row["nationality"]):
            totals[row["nationality"]] += row["people"]
    breakdown = tuple(
        Row(code, country_name(code), value) for code, value in sorted(totals.items(), key=lambda i: -i[1])
    )
    return Figure(sum(by_year.values(), ZERO) if known else None, by_year, breakdown)


def _bip_participants(ctx: Context) -> Figure:
    by_year = _sum_by_year(aggregates.bip_participants(ctx), "people")
    return Figure(_total(by_year), by_year)


MOBILITIES_SCOPES = ScopeKind.ALL
people = _("people")
percent = _("%")

for definition in (
    Definition(
        "mobility.participants",
        _("Mobilities"),
        _("Every mobility of the scope: students and staff, physical, blended and virtual, both directions."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        ("4.3",),
        _people(),
    ),
    Definition(
        "mobility.outgoing",
        _("Outgoing mobilities"),
        _(
            "Mobilities sent by the home institution (of the institution, or the coordinator of a "
            "partnership or programme)."
        ),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        ("4.3",),
        _people(lambda row: row["direction"] == "out"),
    ),
    Definition(
        "mobility.incoming",
        _("Incoming mobilities"),
        _("Mobilities received by the home institution."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        ("4.3", "4.b"),
        _people(lambda row: row["direction"] == "in"),
    ),
    Definition(
        "mobility.months",
        _("Months of mobility"),
        _(
            "The length of every mobility in months (30-day months, actual dates once known, planned ones"
            " before)."
        ),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        _("months"),
        (),
        _people(key="months"),
    ),
    Definition(
        "mobility.days",
        _("Days of mobility"),
        _("The length of every mobility in days, both dates included."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        _("days"),
        (),
        _people(key="days"),
    ),
    Definition(
        "mobility.by_type",
        _("Mobilities by type"),
        _(
            "Mobilities by type: long-term physical, blended, short-term doctoral, BIP, virtual, staff "
            "teaching or training."
        ),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        (),
        _breakdown("mobility_type", _type_label),
        bindable=False,
    ),
    Definition(
        "mobility.by_level",
        _("Mobilities by level"),
        _("Mobilities by the EQF level (cycle) the participant studies at."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        (),
        _breakdown("eqf_level", _level_label),
        bindable=False,
    ),
    Definition(
        "mobility.by_field",
        _("Mobilities by field"),
        _("Mobilities by the broad field of education (ISCED-F 2013, first two digits)."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        (),
        _breakdown("broad_field", _field_label),
        bindable=False,
    ),
    Definition(
        "mobility.by_country",
        _("Mobilities by partner country"),
        _(
            "Mobilities by the country of the institution at the other end (the receiving one for "
            "outgoing mobilities, the sending one for incoming)."
        ),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        people,
        (),
        _partner_countries,
        bindable=False,
    ),
    Definition(
        "mobility.gender",
        _("Share of women"),
        _(
            "Women as a percentage of the participants whose gender is recorded (ISO/IEC 5218; not known "
            "and not applicable are left out)."
        ),
        COUNTS_AT_START,
        _("The participant details recorded for each mobility."),
        Domain.MOBILITIES,
        percent,
        ("4.5",),
        _share_of("gender", lambda g: g == Gender.FEMALE, lambda g: g in (Gender.FEMALE, Gender.MALE)),
    ),
    Definition(
        "mobility.virtual_blended",
        _("Virtual and blended participation"),
        _("Virtual, blended and blended-intensive mobilities as a percentage of all mobilities."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        percent,
        ("4.7",),
        _share_of("mobility_type", lambda t: t in VIRTUAL_OR_BLENDED, lambda t: True),
    ),
    Definition(
        "mobility.reciprocity",
        _("Reciprocity (people)"),
        _(
            "Incoming against outgoing people, per partner and overall: the smaller flow over the larger,"
            " 1 when balanced, 0 when one-way."
        ),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        _("ratio"),
        (),
        reciprocity(months=False),
        scopes=(ScopeKind.INSTITUTION, ScopeKind.PARTNERSHIP, ScopeKind.PORTFOLIO),
    ),
    Definition(
        "mobility.reciprocity_months",
        _("Reciprocity (months)"),
        _("Incoming against outgoing months of mobility, per partner and overall, as for people."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        _("ratio"),
        (),
        reciprocity(months=True),
        scopes=(ScopeKind.INSTITUTION, ScopeKind.PARTNERSHIP, ScopeKind.PORTFOLIO),
    ),
    Definition(
        "agreements.quota_utilisation",
        _("Quota utilisation"),
        _(
            "Mobilities recorded against the cooperation conditions of the agreements in effect, as a "
            "percentage of the places those conditions agree for the year."
        ),
        _(
            "A place counts in the academic year of the condition; a mobility in the academic year it "
            "starts in."
        ),
        _("The agreements in effect (their approved version) and the mobilities recorded against them."),
        Domain.AGREEMENTS,
        percent,
        (),
        _quota_utilisation,
        scopes=(ScopeKind.INSTITUTION, ScopeKind.PARTNERSHIP, ScopeKind.PORTFOLIO),
    ),
    Definition(
        "mobility.recognition_rate",
        _("Recognition rate"),
        _(
            "ECTS credits recognised by the sending institution as a percentage of the credits planned in"
            " the learning agreements of student mobilities that ended."
        ),
        _("A mobility counts in the academic year it starts in, once it is completed or recognised."),
        _("Learning agreements (approved credits) and recognition records."),
        Domain.MOBILITIES,
        percent,
        ("4.3",),
        lambda ctx: _ratio_by_year(aggregates.recognition(ctx), "recognised", "planned"),
    ),
    Definition(
        "mobility.grade_pass_rate",
        _("Credits passed abroad"),
        _(
            "ECTS credits passed as a percentage of all credits on the receiving institutions' "
            "transcripts of records."
        ),
        _("A transcript counts in the academic year its mobility starts in."),
        _("Transcripts of records."),
        Domain.MOBILITIES,
        percent,
        (),
        lambda ctx: _ratio_by_year(aggregates.grades(ctx), "passed_credits", "total"),
    ),
    Definition(
        "partners.by_region",
        _("Partners by world region"),
        _("Partner institutions at the other end of the scope's mobilities, by continent (GeoNames)."),
        COUNTS_AT_START,
        FROM_MOBILITIES,
        Domain.MOBILITIES,
        _("institutions"),
        ("4.7",),
        _partners_by_region,
        bindable=False,
    ),
    Definition(
        "flows.south_south",
        _("South–South flows"),
        _(
            "Mobilities between two countries on the OECD DAC list of ODA recipients, as a percentage of "
            "all mobilities whose countries are known."
        ),
        COUNTS_AT_START,
        _("Mobility records and the DAC List of ODA Recipients for 2024 and 2025 flows (OECD)."),
        Domain.MOBILITIES,
        percent,
        ("4.b",),
        _south_south,
    ),
    Definition(
        "scholarships.dac_students",
        _("Students from ODA-recipient countries"),
        _(
            "Incoming student mobilities of people whose nationality is on the OECD DAC list of ODA "
            "recipients: the people SDG indicator 4.b.1 is about."
        ),
        COUNTS_AT_START,
        _(
            "Participant details (nationality) and the DAC List of ODA Recipients for 2024 and 2025 flows"
            " (OECD)."
        ),
        Domain.MOBILITIES,
        people,
        ("4.b",),
        _dac_students,
        scopes=(ScopeKind.INSTITUTION, ScopeKind.PARTNERSHIP, ScopeKind.PROGRAMME, ScopeKind.PORTFOLIO),
    ),
    Definition(
        "bips.participants",
        _("BIP participants"),
        _(
            "Participants accepted into blended intensive programmes, counted through the mobility each "
            "acceptance creates."
        ),
        COUNTS_AT_START,
        _("Blended intensive programmes and their participants' mobilities."),
        Domain.BIPS,
        people,
        ("4.7",),
        _bip_participants,
    ),
):
    register(definition)
