"""What the learning-agreement peer-to-peer test does inside node B, the receiving institution's Accord.

Run as ``main('step')`` in B's step process, a ``manage.py shell`` with B's environment
(``NodeB.step(name, module=...)``); each step prints one JSON line. B's ``setup``
step of ``peer.py`` has run, and ``peer_mobilities`` brought B's copy of A's mobility to *accepted*.
B's coordinator acts as through B's mobility page.
"""

import json

from accord.accounts.models import User
from accord.ewp.models import RemoteMobility
from accord.ewp.serve.omobility_las import proposal_id
from accord.mobilities import services
from accord.mobilities.choices import SignerRole
from accord.mobilities.models import AgreementVersion, Mobility


def _copy() -> Mobility:
    return RemoteMobility.objects.select_related("mobility").latest("pk").mobility


def _version(version: AgreementVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "status": version.status,
        "proposal_id": proposal_id(version),
        "titles": [component["title"] for component in version.components],
        "signed": sorted(version.signatures.values_list("role", flat=True)),
    }


def la_state() -> dict:
    """B's copy: its status and its learning agreement's current, approved and first versions."""
    mobility = _copy()
    agreement = getattr(mobility, "learning_agreement", None)
    state = {"status": mobility.status, "source": mobility.source, "versions": 0}
    if agreement is None:
        return state
    return state | {
        "versions": agreement.versions.count(),
        "current": _version(agreement.current_version),
        "approved": _version(agreement.approved_version),
        "first": _version(agreement.first_approved_version),
        "la_fetched": RemoteMobility.objects.get(mobility=mobility).la_fetched_at is not None,
    }


def approve() -> dict:
    """B's coordinator approves the proposal on the copy: A's node must record it first."""
    mobility = _copy()
    version = mobility.learning_agreement.current_version
    services.la_sign(
        actor=User.objects.get(username="b-coordinator"),
        mobility=mobility,
        version_number=version.number,
        components_hash=version.components_hash,
        role=SignerRole.RECEIVING,
        position="Coordinadora Erasmus",
    )
    return la_state()


def main(step: str) -> None:
    print(json.dumps({"la_state": la_state, "approve": approve}[step]()))
