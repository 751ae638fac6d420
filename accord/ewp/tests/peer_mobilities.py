"""What the mobility peer-to-peer tests do inside node B, the receiving institution's Accord.

Run as ``main('step')`` in B's step process, a ``manage.py shell`` with B's environment
(``NodeB.step(name, module="accord.ewp.tests.peer_mobilities")``); each step prints one JSON line.
B's ``setup`` step of ``peer.py`` has run: B serves B_HEI, knows A_HEI and has the coordinator
``b-coordinator``. Steps act as that coordinator would through B's mobility pages.
Other tests (learning agreements, transcripts) reuse :func:`mobility_state` and :func:`accept`.
"""

import json
from datetime import date

from accord.accounts.models import User
from accord.ewp.models import OutgoingNotification, RemoteMobility
from accord.mobilities import services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility

ARRIVAL = date(2026, 9, 3)


def _coordinator() -> User:
    return User.objects.get(username="b-coordinator")


def _copy() -> Mobility:
    return RemoteMobility.objects.select_related("mobility").latest("pk").mobility


def mobility_state() -> dict:
    """B's newest copy of a mobility A sends: its status, what A said last, the student, the dates."""
    remote = RemoteMobility.objects.select_related("mobility__participant__participant_details").last()
    state = {
        "copies": RemoteMobility.objects.count(),
        "outbox": sorted(f"{n.kind}:{n.status}" for n in OutgoingNotification.objects.all()),
    }
    if remote is None:
        return state
    mobility, participant = remote.mobility, remote.mobility.participant
    return state | {
        "id": mobility.pk,
        "omobility_id": remote.omobility_id,
        "sending_hei_id": remote.sending_hei_id,
        "source": mobility.source,
        "status": mobility.status,
        "remote_status": remote.remote_status,
        "receiving": mobility.receiving_organisation.schac_code,
        "academic_year": mobility.academic_year,
        "isced_code": mobility.isced_code,
        "student": f"{participant.first_name} {participant.last_name}",
        "email": participant.email,
        "can_sign_in": participant.has_usable_password(),
        "global_id": participant.participant_details.global_id,
        "actual_start": mobility.actual_start.isoformat() if mobility.actual_start else None,
        "transitions": [
            f"{t.from_status or '-'}>{t.to_status}:{t.actor.username if t.actor else ''}"
            for t in mobility.transitions.select_related("actor")
        ],
    }


def accept() -> dict:
    """B's coordinator accepts the nomination: A's node must say yes first."""
    services.mobility_transition(actor=_coordinator(), mobility=_copy(), to_status=MobilityStatus.ACCEPTED)
    return mobility_state()


def reject() -> dict:
    """B's coordinator rejects the nomination, with the reason A's coordinator will read."""
    services.mobility_transition(
        actor=_coordinator(),
        mobility=_copy(),
        to_status=MobilityStatus.CANCELLED,
        reason="No places left in physics this year.",
    )
    return mobility_state()


def record_arrival() -> dict:
    """B's coordinator records the student's arrival; B owes A an IMobility CNR."""
    services.mobility_record_dates(actor=_coordinator(), mobility=_copy(), actual_start=ARRIVAL)
    return mobility_state()


def main(step: str) -> None:
    steps = {
        "mobility_state": mobility_state,
        "accept": accept,
        "reject": reject,
        "record_arrival": record_arrival,
    }
    print(json.dumps(steps[step]()))
