"""What the peer-to-peer test does inside node B, a second Accord process with its own database.

Run as ``main('step')`` in B's step process (``peer_harness.serve_steps``, a ``manage.py shell`` with
B's environment); each step prints one JSON line for the test to read. Nothing here is imported by the
test process itself, which is node A.
"""

import json

from accord.accounts.choices import Role
from accord.agreements import selectors, services
from accord.agreements.models import Agreement
from accord.ewp.models import OutgoingNotification, ServedInstitution
from accord.testing.factories import make_organisation, make_user

A_HEI, B_HEI = "a.example.pl", "b.example.es"


def setup() -> dict:
    """B's directory knows A; B is the institution this node serves; B has a coordinator."""
    make_organisation(name="Uniwersytet A", schac_code=A_HEI, country_code="PL")
    b = make_organisation(name="Universidad B", schac_code=B_HEI, country_code="ES")
    ServedInstitution.objects.create(organisation=b)
    make_user("b-coordinator", organisation=b, role=Role.COORDINATOR)
    return {"ok": True}


def _ours() -> Agreement:
    return Agreement.objects.get(owner__schac_code=B_HEI)


def state() -> dict:
    """B's copy, A's copy as B received it, and how they compare."""
    agreements = list(Agreement.objects.filter(owner__schac_code=B_HEI))
    if not agreements:
        return {"agreements": 0}
    (agreement,) = agreements
    copy = agreement.partner_copies.get()
    coordinator = agreement.owner.memberships.get().user
    comparison = selectors.partner_copy_comparison(
        user=coordinator, agreement=agreement, organisation_id=copy.organisation_id
    )
    return {
        "agreements": 1,
        "id": agreement.pk,
        "status": agreement.status,
        "version": agreement.current_version.number,
        "mobilities_per_year": agreement.current_version.content["conditions"][0]["mobilities_per_year"],
        "approvals": sorted(
            approval.organisation.schac_code
            for approval in agreement.current_version.approvals.select_related("organisation")
        ),
        "copy_remote_id": copy.remote_id,
        "copy_remote_hash": copy.remote_hash,
        "copy_source": copy.source,
        "copy_approved_hash": copy.approved_hash,
        "same_conditions": comparison.same_conditions,
        "differences": len(comparison.lines),
        "outbox": sorted(f"{n.kind}:{n.status}" for n in OutgoingNotification.objects.all()),
    }


def approve() -> dict:
    """B's coordinator shares B's copy (B's own consent) and approves A's copy by the hash B verified."""
    agreement = _ours()
    user = agreement.owner.memberships.get().user
    if agreement.current_version.shared_at is None:
        services.agreement_share(
            actor=user, agreement=agreement, version_number=agreement.current_version.number
        )
    copy = agreement.partner_copies.get()
    services.partner_copy_approve(actor=user, copy=copy, remote_hash=copy.remote_hash)
    return state()


def main(step: str) -> None:
    print(json.dumps({"setup": setup, "state": state, "approve": approve}[step]()))
