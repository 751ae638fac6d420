"""Five academic years of mobility history for the demo, so the evaluation dashboards and the health
view show real trends after ``make run``: the Aurora–Turia exchange both ways (growing outgoing,
lagging incoming), a few flows with other demo institutions, and the partnership's "Outgoing
students" indicator bound to the library.

Written with ``bulk_create`` (history is data, not a journey to walk: the services are exercised by
the other demo modules), so it adds well under a second. Found by its participants' usernames, so a
second run adds nothing.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accord.accounts.models import User
from accord.agreements.models import Agreement
from accord.demo.partnership import TITLE
from accord.evaluation.models import IndicatorBinding
from accord.mobilities.choices import MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Gender, Mobility, ParticipantDetails
from accord.organisations.models import Organisation
from accord.partnerships.models import Indicator
from accord.reference.academic_years import current_academic_year

PREFIX = "demo-history-"
YEARS = 5
TYPES = (
    MobilityType.LONG_TERM_PHYSICAL,
    MobilityType.LONG_TERM_PHYSICAL,
    MobilityType.BLENDED,
    MobilityType.VIRTUAL,
    MobilityType.STAFF_TEACHING,
)
FIELDS = ("0714", "0713", "0521", "0413", "0114")


def seed_evaluation(*, home: Organisation, partner: Organisation, users: dict[str, User]) -> int:
    """Add the history unless it is there; the number of mobilities added."""
    if User.objects.filter(username__startswith=PREFIX).exists():
        return 0
    agreement = Agreement.objects.filter(partnership__title=TITLE).order_by("pk").first()
    others = list(
        Organisation.objects.exclude(pk__in=[home.pk, partner.pk]).exclude(country_code="").order_by("pk")[:4]
    )
    current = current_academic_year(timezone.localdate()).start_year
    plan: list[tuple[int, Organisation, Organisation, Agreement | None]] = []
    for offset in range(YEARS):
        year = current - YEARS + 1 + offset
        plan += [(year, home, partner, agreement)] * (3 + offset)  # outgoing grows year on year
        plan += [(year, partner, home, agreement)] * (1 + offset // 2)  # incoming lags behind
        for index, other in enumerate(others):
            if (offset + index) % 2 == 0:
                plan.append((year, home, other, None))
                plan.append((year, other, home, None))
    password = make_password(None)  # unusable: history participants never sign in
    people = User.objects.bulk_create(
        [
            User(
                username=f"{PREFIX}{number:03d}", email=f"{PREFIX}{number:03d}@example.org", password=password
            )
            for number in range(len(plan))
        ]
    )
    people = list(User.objects.filter(username__startswith=PREFIX).order_by("username"))
    ParticipantDetails.objects.bulk_create(
        [
            ParticipantDetails(
                user=person,
                birth_date=dt.date(2001, 1, 1),
                nationality=sending.country_code or "PL",
                gender=Gender.FEMALE if number % 5 < 3 else Gender.MALE,
                global_id=f"urn:schac:personalUniqueCode:int:esi:demo:{number}",
            )
            for number, (person, (_year, sending, _receiving, _agreement)) in enumerate(
                zip(people, plan, strict=True)
            )
        ]
    )
    today = timezone.localdate()
    mobilities = []
    for number, (person, (year, sending, receiving, link)) in enumerate(zip(people, plan, strict=True)):
        kind = TYPES[number % len(TYPES)]
        start = dt.date(year, 10, 1)
        end = dt.date(year + 1, 2, 15) if kind != MobilityType.STAFF_TEACHING else dt.date(year, 10, 7)
        days = (end - start).days + 1
        mobilities.append(
            Mobility(
                participant=person,
                mobility_type=kind,
                sending_organisation=sending,
                receiving_organisation=receiving,
                agreement=link,
                condition_key="",
                academic_year=f"{year}/{year + 1}",
                planned_start=start,
                planned_end=end,
                duration_days=days,
                duration_months=(Decimal(days) / 30).quantize(Decimal("0.01")),
                eqf_level=None if kind == MobilityType.STAFF_TEACHING else 6 + number % 2,
                isced_code=FIELDS[number % len(FIELDS)],
                status=MobilityStatus.COMPLETED if end < today else MobilityStatus.ONGOING,
                planned_credits=Decimal(0 if kind == MobilityType.STAFF_TEACHING else 30),
                source=MobilitySource.MANUAL,
            )
        )
    Mobility.objects.bulk_create(mobilities)
    indicator = Indicator.objects.filter(
        objective__partnership__title=TITLE, name="Outgoing students"
    ).first()
    if indicator is not None and not IndicatorBinding.objects.filter(indicator=indicator).exists():
        IndicatorBinding.objects.create(
            indicator=indicator,
            definition="mobility.outgoing",
            first_year=current - YEARS + 1,
            last_year=current + 1,
        )
    return len(mobilities)
