"""The demo funding: the home university's Erasmus+ KA131 call with its budget from the national agency
and a foundation co-funding travel, the grants of its mobilities (the demo student's semester at the
partner and the demo teacher's two staff stays), one recomputed after its dates changed, and payments.

Everything goes through the funding and mobilities services; found by the foundation's name, so a
second run leaves it (and whatever someone changed since) alone.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from accord.accounts.models import User
from accord.core.errors import ValidationFailed
from accord.demo.data import HOME_KEY, DemoUser
from accord.funding import services
from accord.funding.models import Funder, Grant
from accord.mobilities import services as mobilities
from accord.mobilities.models import Mobility
from accord.organisations.models import Organisation

FOUNDATION = "Aurora Alumni Foundation"
# The student whose semester the foundation co-funds (demo-student's own exchange is funded too, as it is).
FUNDED_STUDENT = DemoUser("demo-funded-student", "student", HOME_KEY, "Zofia", "Mazur")


def _override(home: Organisation, partner: Organisation) -> dict:
    """A distance given by hand when a demo institution has no city with coordinates."""
    if home.city_geonameid and partner.city_geonameid:
        return {}
    return {"distance_override_km": 2300, "distance_override_reason": "Kraków to Valencia by the map."}


def seed_funding(
    *,
    home: Organisation,
    partner: Organisation,
    users: dict[str, User],
    ensure: Callable[[DemoUser, Organisation | None], User],
) -> bool:
    """Create the demo funding unless it exists; return whether it was created. ``ensure`` finds or
    creates the funded student."""
    if Funder.objects.filter(organisation=home, name=FOUNDATION).exists():
        return False
    admin, coordinator = users["demo-admin"], users["demo-coordinator"]
    today = timezone.localdate()
    year = today.year if today.month >= 6 else today.year - 1
    agency = services.funder_create(
        actor=admin, organisation_id=home.pk, name="Erasmus+ national agency", kind="eu", country_code="PL"
    )
    foundation = services.funder_create(
        actor=admin, organisation_id=home.pk, name=FOUNDATION, kind="foundation", country_code="PL"
    )
    programme = services.programme_create(actor=admin, funder=agency, name="Erasmus+ KA131 higher education")
    services.programme_create(actor=admin, funder=foundation, name="Green travel scholarships")
    rules = services.rule_set_import_shipped(
        actor=admin, programme=programme, key="erasmus-ka131-2024", call_year=year
    ).rule_set
    budget = services.budget_create(
        actor=admin,
        funder=agency,
        programme=programme,
        name=f"KA131 call {year}",
        year=year,
        amount=Decimal("60000.00"),
        reference=f"{year}-1-PL01-KA131-HED-000012345",
        starts_on=dt.date(year, 6, 1),
        ends_on=dt.date(year + 2, 7, 31),
    )
    services.allocation_create(actor=admin, budget=budget, label="Student mobility", amount=Decimal("45000"))
    services.allocation_create(actor=admin, budget=budget, label="Staff mobility", amount=Decimal("15000"))
    travel = services.budget_create(
        actor=admin,
        funder=foundation,
        name="Travel scholarships",
        year=year,
        amount=Decimal("6000.00"),
        scope="cost_centre",
    )
    student = ensure(FUNDED_STUDENT, home)
    semester = mobilities.mobility_create(
        actor=coordinator,
        participant=student,
        mobility_type="long_term_physical",
        sending_organisation=home,
        receiving_organisation=partner,
        academic_year=f"{year + 1}/{year + 2}",
        planned_start=dt.date(year + 1, 9, 1),
        planned_end=dt.date(year + 2, 1, 31),
        eqf_level=6,
        isced_code="0710",
        language="es",
        cefr_level="B2",
    )
    grant = services.grant_create(
        actor=coordinator,
        mobility=semester,
        rule_set=rules,
        budget=budget,
        fewer_opportunities=True,
        co_funding=[
            {"budget": travel.pk, "kind": "components", "components": ["travel"]},
            {"budget": budget.pk, "kind": "remainder"},
        ],
        **_override(home, partner),
    )
    services.payment_record(
        actor=coordinator,
        grant=grant,
        amount=(grant.total * Decimal("0.8")).quantize(Decimal("0.01")),
        paid_on=today,
        label="Pre-financing before departure",
    )
    # The student will come back two weeks earlier: the grant follows, and shows what was overpaid.
    mobilities.mobility_update(
        actor=coordinator,
        mobility=Mobility.objects.get(pk=semester.pk),
        planned_start=semester.planned_start,
        planned_end=dt.date(year + 2, 1, 16),
        eqf_level=6,
        isced_code="0710",
        language="es",
        cefr_level="B2",
    )
    _fund_as_planned(users["demo-student"], home, rules, budget, coordinator)
    staff_stays = Mobility.objects.filter(
        participant=users["demo-teacher"], sending_organisation=home, grant__isnull=True
    ).order_by("planned_start")
    for stay in staff_stays:
        staff_grant = services.grant_create(
            actor=coordinator,
            mobility=stay,
            rule_set=rules,
            budget=budget,
            travel_days=2,
            **_override(home, stay.receiving_organisation),
        )
        done = stay.status == "completed"
        amount = staff_grant.total if done else (staff_grant.total * Decimal("0.8")).quantize(Decimal("0.01"))
        services.payment_record(
            actor=coordinator,
            grant=staff_grant,
            amount=amount,
            paid_on=stay.planned_start - dt.timedelta(days=10),
            label="Grant paid in full" if done else "Pre-financing before departure",
        )
    return Grant.objects.filter(organisation=home).exists()


def _fund_as_planned(student: User, home: Organisation, rules, budget, coordinator) -> None:
    """demo-student's exchange semester gets its grant, as planned (nothing paid yet)."""
    for stay in Mobility.objects.filter(participant=student, sending_organisation=home, grant__isnull=True):
        try:
            services.grant_create(
                actor=coordinator,
                mobility=stay,
                rule_set=rules,
                budget=budget,
                **_override(home, stay.receiving_organisation),
            )
        except ValidationFailed:
            continue  # a stay the rules cannot fund (too short, say) stays without a grant
