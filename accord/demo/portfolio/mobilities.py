"""The portfolio's student mobilities, one at each stage of the journey, outgoing and incoming:
a learning agreement drafted; signed by two of three; approved with a change pending; the
participant arrived; the transcript received; its grades converted; recognised. Written through the
mobility services in the order the people involved act, dated around the day of seeding so that
the ones in the past are over and the ones ahead are still to come.

Found by participant, so a second run leaves them (and whatever someone did since) alone."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accord.accounts.models import User
from accord.demo.portfolio.agreements import year
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import GradingScale, Mobility
from accord.organisations.models import Organisation

COMPONENTS = [
    {
        "ref": "a",
        "section": "studied",
        "title": "Marketing internacional",
        "code": "MI1",
        "credits": "6",
        "term": "1/2",
    },
    {
        "ref": "b",
        "section": "studied",
        "title": "Finanzas corporativas",
        "code": "FC2",
        "credits": "6",
        "term": "1/2",
    },
    {
        "ref": "c",
        "section": "studied",
        "title": "Gestión de proyectos",
        "code": "GP3",
        "credits": "18",
        "term": "1/2",
    },
    {
        "ref": "r",
        "section": "recognised",
        "title": "Semester abroad in business studies",
        "credits": "30",
        "term": "1/2",
    },
]
CHANGED = [
    *(component for component in COMPONENTS if component["ref"] != "b"),
    {
        "ref": "d",
        "section": "studied",
        "title": "Economía de la empresa",
        "code": "EE4",
        "credits": "6",
        "term": "1/2",
    },
]
REASONS = [
    {"ref": "b", "reason_code": "timetable-conflict"},
    {"ref": "d", "reason_code": "substituting-deleted"},
]
TRANSCRIPT = [
    {"code": "MI1", "title": "Marketing internacional", "credits": "6", "grade": "9"},
    {"code": "FC2", "title": "Finanzas corporativas", "credits": "6", "grade": "7"},
    {"code": "GP3", "title": "Gestión de proyectos", "credits": "18", "grade": "8"},
]
# The furthest stage each planned mobility reaches, in the order of the journey.
STAGES = ("drafted", "two_of_three", "change_pending", "arrived", "transcript", "converted", "recognised")


@dataclass(frozen=True)
class Side:
    organisation: Organisation
    coordinator: User


def _dates(stage: str) -> tuple[str, dt.date, dt.date]:
    """Past stays for the stages after departure, a current one for arrival, else next year's."""
    today = timezone.localdate()
    if stage in ("transcript", "converted", "recognised"):
        label = year(-1)
        start = dt.date(int(label[:4]), 9, 15)
        return label, start, dt.date(start.year + 1, 1, 31)
    if stage == "arrived":
        start = today - dt.timedelta(days=30)
        first = start.year if start.month >= 9 else start.year - 1
        return f"{first}/{first + 1}", start, today + dt.timedelta(days=90)
    label = year(1)
    start = dt.date(int(label[:4]), 9, 15)
    return label, start, dt.date(start.year + 1, 1, 31)


def _sign(mobility: Mobility, version, signers: list[User]) -> None:
    for signer in signers:
        services.la_sign(
            actor=signer,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )


def walk(
    *, student: User, sending: Side, receiving: Side, stage: str, scales: dict[int, GradingScale]
) -> Mobility:
    """Create ``student``'s mobility and take it to ``stage`` (one of ``STAGES``)."""
    reached = STAGES.index(stage)
    academic_year, start, end = _dates(stage)
    mobility = services.mobility_create(
        actor=sending.coordinator,
        participant=student,
        mobility_type="long_term_physical",
        sending_organisation=sending.organisation,
        receiving_organisation=receiving.organisation,
        academic_year=academic_year,
        planned_start=start,
        planned_end=end,
        eqf_level=6,
        isced_code="0413",
        language="es",
        cefr_level="B2",
    )
    services.mobility_transition(
        actor=receiving.coordinator, mobility=mobility, to_status=MobilityStatus.ACCEPTED
    )
    version = services.la_propose(actor=student, mobility=mobility, components=COMPONENTS)
    if reached == 0:
        return mobility
    _sign(mobility, version, [student, sending.coordinator])
    if reached == 1:
        return mobility
    _sign(mobility, version, [receiving.coordinator])
    if reached == 2:
        services.la_propose(
            actor=student,
            mobility=mobility,
            components=CHANGED,
            reasons=REASONS,
            summary="Finanzas corporativas clashes with a compulsory course; Economía de la empresa instead.",
        )
        return mobility
    mobility.refresh_from_db()
    if reached == 3:
        services.mobility_record_dates(actor=receiving.coordinator, mobility=mobility, actual_start=start)
        return mobility
    services.mobility_record_dates(
        actor=receiving.coordinator, mobility=mobility, actual_start=start, actual_end=end
    )
    mobility.refresh_from_db()
    transcript = services.transcript_record(
        actor=receiving.coordinator,
        mobility=mobility,
        scale=scales[receiving.organisation.pk],
        issued_on=end + dt.timedelta(days=20),
        entries=TRANSCRIPT,
    )
    if reached == 4:
        return mobility
    conversions = [
        services.grade_convert(actor=sending.coordinator, entry=entry)
        for entry in transcript.entries.order_by("pk")
    ]
    if reached == 5:
        return mobility
    mobility.refresh_from_db()
    services.recognition_record(
        actor=sending.coordinator,
        mobility=mobility,
        items=[
            {
                "title": "Semester abroad in business studies",
                "credits": str(conversion.entry.credits),
                "home_grade": conversion.home_grade,
                "entry_id": conversion.entry_id,
            }
            for conversion in conversions
        ],
        complete=True,
    )
    return mobility


def seed_mobilities(
    *,
    home: Side,
    partner: Side,
    outgoing: list[User],
    incoming: list[User],
) -> int:
    """Outgoing students at every stage, and incoming ones awaiting the home university's signature
    and arrived; create the missing ones and return how many were created."""
    scales = {
        scale.organisation_id: scale
        for scale in GradingScale.objects.filter(
            organisation__in=[home.organisation, partner.organisation]
        ).order_by("pk")
    }
    if partner.organisation.pk not in scales or home.organisation.pk not in scales:
        return 0
    plans = [(student, home, partner, stage) for student, stage in zip(outgoing, STAGES, strict=True)]
    plans += [
        (student, partner, home, stage)
        for student, stage in zip(incoming, ("two_of_three", "arrived"), strict=True)
    ]
    existing = set(
        Mobility.objects.filter(participant__in=[plan[0] for plan in plans]).values_list(
            "participant_id", flat=True
        )
    )
    created = 0
    for student, sending, receiving, stage in plans:
        if student.pk not in existing:
            walk(student=student, sending=sending, receiving=receiving, stage=stage, scales=scales)
            created += 1
    return created
