"""Two Accord nodes exchange a transcript of records over real HTTP on loopback, with no stand-in.

Node A (this test process, the sending institution) has a mobility to B; node B (a second process,
the receiving institution) holds its copy under A's omobility-id. B records the transcript → B's outbox
sends A a ToR CNR v2 → A fetches the ToR from B's Incoming Mobility ToRs API (signed both ways), reads
the ELMO and records the transcript on its own mobility with the same grades and credits, in a scale of
B's it creates from B's grading scheme. B then changes a grade, and A follows. Finally A's hourly pull
(the safety net behind CNRs) changes nothing when nothing changed and repairs a stale transcript.
"""

from datetime import date
from decimal import Decimal

import pytest

from accord.ewp.models import ServedInstitution
from accord.ewp.pull.tors import pull_all_tors
from accord.ewp.tests.peer import A_HEI, B_HEI
from accord.ewp.tests.peer_transcripts import ENTRIES
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import GradingScale, Mobility, TranscriptEntry
from accord.testing.factories import make_organisation, make_user

pytestmark = pytest.mark.usefixtures("transactional_db")
STEPS = "accord.ewp.tests.peer_transcripts"


def test_a_transcript_recorded_at_the_receiver_reaches_the_sender(nodes):
    b = nodes
    a_org = make_organisation(name="Uniwersytet A", schac_code=A_HEI, country_code="PL")
    b_org = make_organisation(name="Universidad B", schac_code=B_HEI, country_code="ES")
    ServedInstitution.objects.create(organisation=a_org)
    coordinator = make_user("a-coordinator", organisation=a_org, role="coordinator")
    student = make_user("maria", organisation=a_org, role="student", first_name="Maria", last_name="Nowak")
    mobility = services.mobility_create(
        actor=coordinator,
        participant=student,
        mobility_type="long_term_physical",
        sending_organisation=a_org,
        receiving_organisation=b_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    # The stay itself (acceptance, learning agreement, arrival) is not what this test is about.
    Mobility.objects.filter(pk=mobility.pk).update(status=MobilityStatus.COMPLETED)

    b.step(f"copy:{mobility.pk}", module=STEPS)
    at_b = b.step("record:7", module=STEPS)
    assert any(line.startswith(f"tor:sent:{mobility.pk}:") for line in at_b["outbox"]), at_b

    mobility.refresh_from_db()
    transcript = mobility.transcript
    rows = [
        (e.code, e.title, e.credits, e.grade, e.term, e.passed) for e in transcript.entries.order_by("pk")
    ]
    assert rows == [
        ("BD1", "Bases de datos", Decimal("6"), "9", "1/2", True),
        ("RD2", "Redes", Decimal("4.5"), "7", "1/2", True),
        ("AL3", "Álgebra", Decimal("5"), "3", "1/2", False),
    ]
    assert [(e["code"], Decimal(e["credits"]), e["grade"]) for e in ENTRIES] == [
        (code, credits, grade) for code, _title, credits, grade, _term, _passed in rows
    ]
    assert transcript.issued_on == date(2027, 2, 20)
    assert transcript.recorded_by.username == f"ewp:{B_HEI}"
    scale = transcript.scale
    assert (scale.organisation, scale.name) == (b_org, "EWP: Escala 0-10")
    assert scale.failing_grades == ["3"]

    # B corrects a grade: A follows, in the same scale, which learns the new grade.
    b.step("record:8", module=STEPS)
    mobility.refresh_from_db()
    assert mobility.transcript.entries.get(code="RD2").grade == "8"
    assert GradingScale.objects.filter(organisation=b_org).count() == 1
    assert "8" in GradingScale.objects.get(organisation=b_org).passing_grades

    # The hourly pull finds nothing new when nothing changed, and repairs what a lost CNR left behind.
    assert pull_all_tors()[B_HEI].unchanged == [mobility.pk]
    TranscriptEntry.objects.filter(transcript__mobility=mobility, code="RD2").update(grade="5")
    assert pull_all_tors()[B_HEI].recorded == [mobility.pk]
    assert mobility.transcript.entries.get(code="RD2").grade == "8"
