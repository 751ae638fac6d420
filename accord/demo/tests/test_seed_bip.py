"""The demo BIP after ``seed_demo``: four institutions from four countries, accepted participants from
three sending institutions with their mobilities, a nomination waiting, attendance recorded, and the
coordinator and partner personas both see it."""

import pytest

from accord.accounts.models import User
from accord.bips.choices import BipStatus, ParticipantStatus
from accord.bips.models import Bip, BipAttendance
from accord.demo.bips import TITLE
from accord.demo.seed import seed_demo
from accord.mobilities.choices import MobilitySource

pytestmark = pytest.mark.django_db


def test_the_demo_bip_runs_with_participants_mobilities_and_attendance(client):
    seed_demo()
    bip = Bip.objects.get(title=TITLE)
    assert bip.status == BipStatus.RUNNING
    assert len({partner.organisation.country_code for partner in bip.partners.all()}) == 4
    accepted = bip.participants.filter(status=ParticipantStatus.ACCEPTED)
    assert len({participant.partner_id for participant in accepted}) == 4
    travelling = accepted.exclude(partner__organisation=bip.host)
    assert all(p.mobility and p.mobility.source == MobilitySource.BIP for p in travelling)
    assert bip.participants.filter(status=ParticipantStatus.NOMINATED).count() == 1
    assert BipAttendance.objects.filter(participant__bip=bip, attended=False).count() == 1
    assert BipAttendance.objects.filter(participant__bip=bip).count() == 2 * accepted.count()

    for username in ("demo-coordinator", "demo-partner", "demo-bip-reno"):
        client.force_login(User.objects.get(username=username))
        page = client.get(f"/bips/{bip.pk}/")
        # Each reads it in their own language (demo-partner in Spanish): the funding section is there.
        assert page.status_code == 200 and 'id="funding"' in page.content.decode()

    assert seed_demo().users_created == 0
    assert Bip.objects.filter(title=TITLE).count() == 1
