"""The agreements' home-page panel: agreements awaiting my approval and those expiring soon, each
counted exactly as the agreement list filtered by "Needs me" shows them, never another institution's."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.agreements import services
from accord.agreements.dashboard import panel
from accord.agreements.models import Agreement
from accord.testing.factories import agreement_document, make_agreement, make_partnership

pytestmark = pytest.mark.django_db


def _shared(personas, title="Computer science", *, share=True):
    partnership = make_partnership(personas.home, personas.partner_org, title=f"{title} partnership")
    agreement = make_agreement(
        personas.coordinator,
        partnership,
        agreement_document(personas.home, personas.partner_org),
        title=title,
    )
    if share:
        services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    return agreement


def _counts(user) -> dict[str, int]:
    return {item.url: item.count for item in panel(user, timezone.localdate())}


def test_awaiting_my_approval_matches_the_filtered_list(client, personas):
    first = _shared(personas)
    _shared(personas, title="Mathematics")
    _shared(personas, title="Not shared yet", share=False)
    assert _counts(personas.partner) == {"/agreements/?todo=approve": 2}
    client.force_login(personas.partner)
    page = client.get("/agreements/?todo=approve").content.decode()
    assert "Computer science" in page and "Mathematics" in page and "Not shared yet" not in page

    version = first.current_version
    services.agreement_approve(
        actor=personas.partner, agreement=first, version_number=1, conditions_hash=version.conditions_hash
    )
    assert _counts(personas.partner) == {"/agreements/?todo=approve": 1}
    page = client.get("/agreements/?todo=approve").content.decode()
    assert "Computer science" not in page and "Mathematics" in page
    assert _counts(personas.outsider) == {}
    assert _counts(personas.student) == {}


def test_expiring_soon_matches_the_filtered_list(client, personas):
    agreement = _shared(personas)
    services.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=1,
        conditions_hash=agreement.current_version.conditions_hash,
    )
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=today + dt.timedelta(days=30))
    (item,) = panel(personas.coordinator, today)
    assert (item.label, item.url, item.deadline) == (
        "1 agreement expiring soon",
        "/agreements/?todo=expiring",
        today + dt.timedelta(days=30),
    )
    client.force_login(personas.coordinator)
    assert "Computer science" in client.get(item.url).content.decode()
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=today + dt.timedelta(days=400))
    assert panel(personas.coordinator, today) == []
    assert "Computer science" not in client.get(item.url).content.decode()
    assert panel(personas.outsider, today) == []
