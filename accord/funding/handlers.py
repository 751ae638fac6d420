"""Funding's reactions to mobility events (subscribed in ``FundingConfig.ready``).

They run in the mobility's transaction: a recomputed grant commits with the dates that caused it."""

from django.utils.translation import gettext as _

from accord.funding.choices import GrantStatus
from accord.funding.models import Grant
from accord.funding.services import grant_cancel, grant_recalculate
from accord.mobilities.events import MobilityEvent, MobilityStatusChanged

CANCELLED = "cancelled"


def on_mobility_changed(event: MobilityEvent) -> None:
    grant = Grant.objects.filter(mobility_id=event.mobility.pk, status=GrantStatus.COMMITTED).first()
    if grant is None:
        return
    grant.mobility = event.mobility
    if isinstance(event, MobilityStatusChanged):
        if event.to_status == CANCELLED:
            grant_cancel(grant=grant, reason=_("The mobility was cancelled."))
        return
    grant_recalculate(grant=grant, reason=_("The mobility's dates changed."))
