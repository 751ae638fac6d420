"""The demo home university runs its EWP node in Accord: it is served, and its EWP page shows each state
an officer meets (a notification given up with the partner's answer, one retrying, the last pulls).

No key is created and no registry is configured: creating the key is the admin's first step on the
page, and `make ewp-demo` is where two nodes really talk (README, "A local EWP network").
"""

from datetime import timedelta

from django.utils import timezone

from accord.ewp.models import (
    IiaPull,
    MobilityPull,
    NotificationKind,
    NotificationStatus,
    OutgoingNotification,
    ServedInstitution,
)
from accord.organisations.models import Organisation


def seed_ewp(*, home: Organisation, partner: Organisation) -> bool:
    """Serve ``home`` over EWP with a little history; True when it was seeded now."""
    _, created = ServedInstitution.objects.get_or_create(organisation=home)
    if not created:
        return False
    now = timezone.now()
    sender, receiver = home.schac_code or "", (partner.schac_code or "").lower()
    OutgoingNotification.objects.create(
        kind=NotificationKind.IIA_APPROVAL,
        sender_hei_id=sender,
        partner_hei_id=receiver,
        iia_id="TURIA-IIA-2026-07",
        status=NotificationStatus.FAILED,
        attempts=1,
        next_attempt_at=now - timedelta(hours=3),
        expires_at=now + timedelta(hours=21),
        last_status_code=400,
        last_error="The partner answered 400: Unknown iia_id TURIA-IIA-2026-07.",
    )
    OutgoingNotification.objects.create(
        kind=NotificationKind.IIA,
        sender_hei_id=sender,
        partner_hei_id=receiver,
        iia_id="1",
        status=NotificationStatus.PENDING,
        attempts=3,
        next_attempt_at=now + timedelta(minutes=4),
        expires_at=now + timedelta(hours=20),
        last_status_code=503,
        last_error="The partner's node answered 503 Service Unavailable.",
    )
    IiaPull.objects.get_or_create(
        partner_hei_id=receiver,
        defaults={
            "pulled_at": now - timedelta(hours=1),
            "attempted_at": now - timedelta(hours=1),
            "received": 1,
        },
    )
    MobilityPull.objects.get_or_create(
        partner_hei_id=receiver,
        defaults={
            "attempted_at": now - timedelta(hours=1),
            "error": "The partner's node could not be reached.",
        },
    )
    return True
