"""The demo partnership: the home and partner universities' exchange, with objectives, figures,
a meeting, a decision and action items, all written through the partnership services.

It is found by its title, so a second run leaves it (and whatever someone changed in it) alone.
"""

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.organisations.models import Organisation
from accord.partnerships import services
from accord.partnerships.choices import MemberRole, PartnershipModel, PartnershipStatus
from accord.partnerships.models import Partnership

TITLE = "Aurora–Turia Student and Staff Exchange"


def seed_partnership(*, home: Organisation, partner: Organisation, users: dict[str, User]) -> bool:
    """Create the demo partnership unless it exists; return whether it was created."""
    if Partnership.objects.filter(title=TITLE).exists():
        return False
    coordinator, partner_coordinator = users["demo-coordinator"], users["demo-partner"]
    teacher = users["demo-teacher"]
    partnership = services.partnership_create(
        actor=coordinator,
        members=[(home, MemberRole.COORDINATOR), (partner, MemberRole.PARTNER)],
        title=TITLE,
        model=PartnershipModel.BILATERAL_EXCHANGE,
        description="Semester exchange of students in engineering and teaching visits of staff.",
        start_date=dt.date(2023, 9, 1),
        end_date=dt.date(2028, 8, 31),
    )
    for status, reason in (
        (PartnershipStatus.NEGOTIATING, "Both international offices want to go ahead."),
        (PartnershipStatus.ACTIVE, "The inter-institutional agreement is signed."),
    ):
        services.partnership_transition(
            actor=coordinator, partnership=partnership, to_status=status, reason=reason
        )

    objective = services.objective_create(
        actor=coordinator, partnership=partnership, title="Balanced student mobility", owner=coordinator
    )
    for name, baseline, targets, actuals in (
        ("Outgoing students", 2, {2024: 4, 2025: 6, 2026: 8}, {2024: 3, 2025: 5}),
        ("Incoming students", 1, {2024: 4, 2025: 6, 2026: 8}, {2024: 2}),
    ):
        indicator = services.indicator_create(
            actor=coordinator,
            objective=objective,
            name=name,
            unit="students",
            baseline_value=baseline,
            baseline_year=2023,
        )
        for year, value in targets.items():
            services.indicator_target_create(
                actor=coordinator, indicator=indicator, year=year, target_value=value
            )
        for year, value in actuals.items():
            services.indicator_actual_record(
                actor=partner_coordinator, indicator=indicator, year=year, value=value
            )

    meeting = services.meeting_create(
        actor=partner_coordinator,
        partnership=partnership,
        date=dt.date(2024, 10, 15),
        mode="video",
        title="Annual review of the exchange",
        attendees=[coordinator, partner_coordinator, teacher],
        minutes="Incoming numbers lag behind: the partner will promote the exchange at its spring fair.",
    )
    services.decision_create(
        actor=partner_coordinator,
        partnership=partnership,
        meeting=meeting,
        text="Offer two more places for engineering students from 2025.",
    )
    today = timezone.localdate()
    # Due dates relative to the day of seeding, so that the demo shows one overdue and one open item.
    for title, owner, due in (
        ("Send the updated course catalogue", teacher, today - dt.timedelta(days=14)),
        ("Promote the exchange at the spring fair", partner_coordinator, today + dt.timedelta(days=30)),
    ):
        services.action_item_create(
            actor=partner_coordinator,
            partnership=partnership,
            meeting=meeting,
            title=title,
            owner=owner,
            due_date=due,
        )
    return True
