"""The portfolio's partnerships: one of each common model, with partners in Africa, Asia and the
Americas, objectives with measured indicators, and a South–South partnership between two partners
that the home university is not part of. Written through the partnership services."""

import datetime as dt
from dataclasses import dataclass

from accord.accounts.models import User
from accord.organisations.models import Organisation
from accord.partnerships import services
from accord.partnerships.choices import MemberRole, PartnershipModel, PartnershipStatus
from accord.partnerships.models import Partnership

_PATH = {
    PartnershipStatus.EXPLORING: (),
    PartnershipStatus.NEGOTIATING: (PartnershipStatus.NEGOTIATING,),
    PartnershipStatus.ACTIVE: (PartnershipStatus.NEGOTIATING, PartnershipStatus.ACTIVE),
    PartnershipStatus.UNDER_REVIEW: (
        PartnershipStatus.NEGOTIATING,
        PartnershipStatus.ACTIVE,
        PartnershipStatus.UNDER_REVIEW,
    ),
}


@dataclass(frozen=True)
class PlannedPartnership:
    title: str
    coordinator_key: str
    partner_keys: tuple[str, ...]
    model: str
    status: str
    description: str
    objective: str
    # (indicator name, unit, baseline, {year: target}, {year: actual})
    indicators: tuple[tuple[str, str, int, dict[int, int], dict[int, int]], ...]


PLANNED = (
    PlannedPartnership(
        "Aurora–Savanna Capacity Building in Data Science",
        "aurora",
        ("savanna",),
        PartnershipModel.CAPACITY_BUILDING,
        PartnershipStatus.ACTIVE,
        "Co-designed data science courses and a shared computing laboratory in Nairobi.",
        "Teachers trained in data science",
        (("Teachers trained", "teachers", 0, {2025: 6, 2026: 12}, {2025: 7}),),
    ),
    PlannedPartnership(
        "Aurora–Sumida Double Degree in Computer Science",
        "aurora",
        ("sumida",),
        PartnershipModel.DOUBLE_DEGREE,
        PartnershipStatus.NEGOTIATING,
        "A two-year master's with one year in Warsaw and one in Tokyo, ending with both degrees.",
        "A double degree recognised by both ministries",
        (("Students enrolled", "students", 0, {2026: 4, 2027: 8}, {}),),
    ),
    PlannedPartnership(
        "Tietê–Table Bay–Aurora Virtual Exchange on Climate",
        "aurora",
        ("tiete", "table-bay"),
        PartnershipModel.VIRTUAL_EXCHANGE,
        PartnershipStatus.ACTIVE,
        "A co-taught online course on climate adaptation for students in São Paulo, Cape Town and Warsaw.",
        "Students who finish the virtual course",
        (("Students completing the course", "students", 20, {2025: 45, 2026: 60}, {2025: 38}),),
    ),
    PlannedPartnership(
        "Aurora–Ontario Research Alliance on Education",
        "aurora",
        ("ontario-lakes",),
        PartnershipModel.RESEARCH_ALLIANCE,
        PartnershipStatus.EXPLORING,
        "Joint research on teacher education, starting with two workshops a year.",
        "Joint publications",
        (("Joint publications", "articles", 1, {2026: 3}, {}),),
    ),
    PlannedPartnership(
        "Savanna–Tietê South–South Public Health Exchange",
        "savanna",
        ("tiete",),
        PartnershipModel.BILATERAL_EXCHANGE,
        PartnershipStatus.UNDER_REVIEW,
        "Semester exchange of public health students between Nairobi and São Paulo.",
        "Balanced exchange between Nairobi and São Paulo",
        (("Students exchanged", "students", 2, {2024: 4, 2025: 6}, {2024: 5, 2025: 4}),),
    ),
)


def seed_partnerships(*, organisations: dict[str, Organisation], coordinators: dict[str, User]) -> int:
    """Create the planned partnerships that are missing; return how many were created."""
    existing = set(
        Partnership.objects.filter(title__in=[p.title for p in PLANNED]).values_list("title", flat=True)
    )
    created = 0
    for plan in PLANNED:
        if plan.title in existing:
            continue
        actor = coordinators[plan.coordinator_key]
        partnership = services.partnership_create(
            actor=actor,
            members=[
                (organisations[plan.coordinator_key], MemberRole.COORDINATOR),
                *((organisations[key], MemberRole.PARTNER) for key in plan.partner_keys),
            ],
            title=plan.title,
            model=plan.model,
            description=plan.description,
            start_date=dt.date(2024, 9, 1),
            end_date=dt.date(2029, 8, 31),
        )
        for status in _PATH[plan.status]:
            services.partnership_transition(
                actor=actor,
                partnership=partnership,
                to_status=status,
                reason="Agreed at the partners' meeting.",
            )
        objective = services.objective_create(
            actor=actor, partnership=partnership, title=plan.objective, owner=actor
        )
        for name, unit, baseline, targets, actuals in plan.indicators:
            indicator = services.indicator_create(
                actor=actor,
                objective=objective,
                name=name,
                unit=unit,
                baseline_value=baseline,
                baseline_year=2023,
            )
            for year, value in targets.items():
                services.indicator_target_create(
                    actor=actor, indicator=indicator, year=year, target_value=value
                )
            for year, value in actuals.items():
                services.indicator_actual_record(actor=actor, indicator=indicator, year=year, value=value)
        created += 1
    return created
