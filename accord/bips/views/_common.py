"""What the BIP pages share: the page context and refusals shown on a form."""

from django.http import HttpRequest

from accord.bips import selectors
from accord.bips.choices import (
    ACTIVE_PARTICIPANT_STATUSES,
    ALLOWED_TRANSITIONS,
    EDITABLE_STATUSES,
    NOMINATING_STATUSES,
    BipStatus,
)
from accord.bips.models import Bip
from accord.bips.querysets import BipAction, bip_may, sees_all_participants


def page_context(request: HttpRequest, bip: Bip) -> dict:
    """Everything the BIP page shows, in a fixed number of queries whatever the participants."""
    user = request.user
    partners = selectors.partners_of(bip)
    components = selectors.components_of(bip)
    participants = list(selectors.participants_for(user=user, bip=bip))
    manage = bip_may(user, BipAction.MANAGE, bip)
    nominating = selectors.nominating_partners(user=user, bip=bip, partners=partners)
    accepted = [p for p in participants if p.status == "accepted"]
    attendance = selectors.attendance_of(accepted)
    sending = {partner.pk for partner in nominating}
    for participant in participants:
        participant.marks = [attendance.get((participant.pk, component.pk)) for component in components]
        participant.may_withdraw = (
            participant.partner_id in sending and participant.status in ACTIVE_PARTICIPANT_STATUSES
        )
    return {
        "bip": bip,
        "partners": partners,
        "components": components,
        "participants": participants,
        "funding": selectors.funding_of(bip),
        "rules": selectors.RULES,
        "sees_all": sees_all_participants(user, bip),
        "sending_partner_ids": sending,
        "can": {
            "manage": manage,
            "edit": manage and bip.status in EDITABLE_STATUSES,
            "nominate": bool(nominating) and bip.status in NOMINATING_STATUSES,
            "attendance": manage and bip.status in (BipStatus.RUNNING, BipStatus.COMPLETED),
        },
        "targets": [BipStatus(target) for target in ALLOWED_TRANSITIONS.targets(bip.status)]
        if manage
        else [],
        "transitions": list(bip.transitions.select_related("actor")),
    }
