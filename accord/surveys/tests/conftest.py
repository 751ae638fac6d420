"""Fixtures for surveys: a partnership of the personas' institutions and a cohort of students who
take part in a programme (published through ``accord.core.participation``) and answer."""

import pytest
from django.db import transaction

from accord.accounts.choices import Role
from accord.core.events import publish
from accord.core.participation import ParticipationEnded, ParticipationStarted
from accord.surveys import services
from accord.surveys.bank import DEFAULT_ITEMS
from accord.surveys.choices import Audience, Phase
from accord.surveys.models import Invitation
from accord.testing.factories import make_partnership, make_user

PERIOD = "2026/2027"


@pytest.fixture
def partnership(personas):
    return make_partnership(personas.home, personas.partner_org)


def likert(phase: str, value: int) -> dict[str, int]:
    """The same answer to every rated question of the students' template of ``phase``."""
    return {code: value for code in DEFAULT_ITEMS[(Audience.STUDENT, phase)] if not code.startswith("open.")}


class Cohort:
    def __init__(self, personas, partnership):
        self.personas = personas
        self.partnership = partnership
        self.students = []

    def event(self, kind, student, index):
        return kind(
            source="programme",
            source_id=index,
            participant=student,
            organisation_id=self.personas.home.pk,
            partnership_id=self.partnership.pk,
            period=PERIOD,
        )

    def start(self, count: int):
        for _ in range(count):
            student = make_user(organisation=self.personas.home, role=Role.STUDENT)
            self.students.append(student)
            with transaction.atomic():
                publish(self.event(ParticipationStarted, student, len(self.students)))
        return self

    def end(self):
        for index, student in enumerate(self.students, start=1):
            publish(self.event(ParticipationEnded, student, index))
        return self

    def invitation(self, student, phase):
        return Invitation.objects.select_related("survey__template").get(
            user=student, survey__template__phase=phase
        )

    def answer(self, phase, values, texts=None):
        for student, value in zip(self.students, values, strict=False):
            services.response_submit(
                actor=student,
                invitation=self.invitation(student, phase),
                scores=likert(phase, value),
                texts=texts or {},
            )
        return self


@pytest.fixture
def cohort(personas, partnership):
    return Cohort(personas, partnership)


@pytest.fixture
def answered(cohort):
    """Six students answered before (2 to everything) and after (3 or 4)."""
    cohort.start(6).answer(Phase.PRE, [2] * 6).end().answer(Phase.POST, [3, 4, 3, 4, 3, 4])
    return cohort
