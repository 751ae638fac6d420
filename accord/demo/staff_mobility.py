"""The demo staff mobilities: Magdalena Zielińska (demo-teacher) teaching at the partner university this
week, agreement signed by all three and arrival confirmed, and her training visit of last month,
completed with its certificate of attendance. Written through the mobility services, dated around
the day of seeding so that one is always under way and the other done.

Found by participant and type, so a second run leaves them (and whatever someone did since) alone.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accord.accounts.models import User
from accord.algorithms.mobility.staff import Programme, StaffActivity
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus, MobilityType
from accord.mobilities.models import Mobility
from accord.organisations.models import Organisation


def _academic_year(day: dt.date) -> str:
    first = day.year if day.month >= settings.ACCORD_ACADEMIC_YEAR_START_MONTH else day.year - 1
    return f"{first}/{first + 1}"


def _programme(activity, start, end, hours, texts, coordinator, partner) -> Programme:
    objectives, activities, outcomes = texts
    return Programme(
        activity=activity,
        objectives=objectives,
        activities=activities,
        outcomes=outcomes,
        planned_start=start,
        planned_end=end,
        teaching_hours=hours,
        sending_contact_name=str(coordinator),
        sending_contact_email=coordinator.email,
        receiving_contact_name=str(partner),
        receiving_contact_email=partner.email,
    )


def _signed(*, mobility_type, activity, start, end, hours, texts, home, partner_org, users) -> Mobility:
    teacher, coordinator, partner = users["demo-teacher"], users["demo-coordinator"], users["demo-partner"]
    mobility = services.staff_mobility_invite(
        actor=coordinator,
        participant=teacher,
        mobility_type=mobility_type,
        sending_organisation=home,
        receiving_organisation=partner_org,
        academic_year=_academic_year(start),
        planned_start=start,
        planned_end=end,
    )
    services.mobility_transition(actor=partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    programme = _programme(activity, start, end, hours, texts, coordinator, partner)
    version = services.staff_agreement_propose(actor=teacher, mobility=mobility, programme=programme)
    for signer in (teacher, coordinator, partner):
        services.la_sign(
            actor=signer,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )
    services.mobility_record_dates(actor=partner, mobility=mobility, actual_start=start)
    return mobility


def seed_staff_mobilities(*, home: Organisation, partner: Organisation, users: dict[str, User]) -> int:
    """Create the two demo staff mobilities that are missing; return how many were created."""
    teacher = users["demo-teacher"]
    existing = set(
        Mobility.objects.filter(participant=teacher, sending_organisation=home).values_list(
            "mobility_type", flat=True
        )
    )
    today = timezone.localdate()
    created = 0
    if MobilityType.STAFF_TEACHING not in existing:
        _signed(
            mobility_type=MobilityType.STAFF_TEACHING,
            activity=StaffActivity.TEACHING,
            start=today - dt.timedelta(days=2),
            end=today + dt.timedelta(days=2),
            hours=Decimal(10),
            texts=(
                "Bring the home university's project-based course on data engineering to Turia's "
                "computer science master students, and compare how both universities assess group work.",
                "Five lectures and three laboratory sessions on data pipelines (10 teaching hours); a "
                "meeting with the master programme's board on a joint summer school.",
                "Students at Turia meet a new teaching approach; both programmes agree a shared "
                "assessment rubric and a date for the summer school.",
            ),
            home=home,
            partner_org=partner,
            users=users,
        )
        created += 1
    if MobilityType.STAFF_TRAINING not in existing:
        start, end = today - dt.timedelta(days=40), today - dt.timedelta(days=36)
        mobility = _signed(
            mobility_type=MobilityType.STAFF_TRAINING,
            activity=StaffActivity.TRAINING,
            start=start,
            end=end,
            hours=None,
            texts=(
                "Learn how Turia's international office runs Erasmus Without Paper and online "
                "learning agreements.",
                "Job shadowing at the international office; a workshop on digital learning agreements.",
                "A plan to move the home university's learning agreements online before next year's call.",
            ),
            home=home,
            partner_org=partner,
            users=users,
        )
        services.staff_certificate_issue(
            actor=users["demo-partner"],
            mobility=mobility,
            actual_start=start,
            actual_end=end,
            signer_position="Head of the international relations office",
        )
        created += 1
    return created
