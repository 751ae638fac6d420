"""What the transcripts peer-to-peer test does inside node B, the receiving institution's node.

Run as ``main('step:arg')`` in B's step process, a ``manage.py shell`` with B's environment (see
``peer_harness.NodeB.step``); each step prints one JSON line. B was set up by
``peer.setup`` (A and B in its directory, B served, a coordinator of B).
"""

import json
from datetime import date

from django.utils import timezone

from accord.ewp.models import OutgoingNotification, RemoteMobility
from accord.ewp.tests.peer import A_HEI, B_HEI
from accord.mobilities import services
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import Mobility
from accord.organisations.models import Organisation
from accord.testing.factories import make_user

ENTRIES = [
    {"code": "BD1", "title": "Bases de datos", "credits": "6", "grade": "9", "term": "1/2"},
    {"code": "RD2", "title": "Redes", "credits": "4.5", "grade": "7", "term": "1/2"},
    {"code": "AL3", "title": "Álgebra", "credits": "5", "grade": "3", "term": "1/2"},
]


def copy(omobility_id: str) -> dict:
    """B's copy of A's mobility ``omobility_id``, at the end of the stay.

    Another part of the node creates copies from A's Outgoing Mobilities API; when it already did, its
    copy is used. Otherwise the copy is written here as that would write it (``source="ewp"`` and a
    RemoteMobility naming A's id), already completed: the stay itself is not what this test is about.
    """
    remote = RemoteMobility.objects.filter(sending_hei_id=A_HEI, omobility_id=omobility_id).first()
    if remote is None:
        mobility = Mobility.objects.create(
            participant=make_user("maria-at-b", first_name="Maria", last_name="Nowak"),
            mobility_type="long_term_physical",
            sending_organisation=Organisation.objects.get(schac_code=A_HEI),
            receiving_organisation=Organisation.objects.get(schac_code=B_HEI),
            academic_year="2026/2027",
            planned_start=date(2026, 9, 1),
            planned_end=date(2027, 1, 31),
            eqf_level=6,
            isced_code="0613",
            source=MobilitySource.EWP,
            status=MobilityStatus.COMPLETED,
        )
        RemoteMobility.objects.create(
            mobility=mobility, sending_hei_id=A_HEI, omobility_id=omobility_id, fetched_at=timezone.now()
        )
    else:
        mobility = remote.mobility
        Mobility.objects.filter(pk=mobility.pk).update(status=MobilityStatus.COMPLETED)
    return {"mobility": mobility.pk}


def record(grade_of_redes: str) -> dict:
    """B's coordinator records the transcript (Redes graded ``grade_of_redes``): the transcript service
    owes A a ToR CNR, which is sent when it commits (Celery runs eagerly), and A fetches the ToR."""
    b = Organisation.objects.get(schac_code=B_HEI)
    coordinator = b.memberships.get().user
    scale = services.scale_save(
        actor=coordinator,
        organisation=b,
        name="Escala 0-10",
        passing_grades="10,9,8,7,6,5",
        failing_grades="4,3,2,1,0",
    )
    mobility = Mobility.objects.get(ewp_remote__sending_hei_id=A_HEI)
    entries = [dict(entry, grade=grade_of_redes) if entry["code"] == "RD2" else entry for entry in ENTRIES]
    services.transcript_record(
        actor=coordinator, mobility=mobility, scale=scale, issued_on=date(2027, 2, 20), entries=entries
    )
    return {
        "outbox": sorted(
            f"{n.kind}:{n.status}:{n.iia_id}:{n.last_error}" for n in OutgoingNotification.objects.all()
        )
    }


def main(step: str) -> None:
    name, _colon, argument = step.partition(":")
    print(json.dumps({"copy": copy, "record": record}[name](argument)))
