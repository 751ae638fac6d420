"""The staff journey can start from a call as well as from an invitation (issue 13, item 5): a
teacher applies to a staff teaching call, is allocated and nominated, and the partner's acceptance
starts the staff mobility, whose page asks the teacher for the mobility agreement next."""

import pytest

from accord.exchanges import services
from accord.exchanges.models import Nomination
from accord.exchanges.tests.conftest import application_fields, call_fields
from accord.mobilities.choices import MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility

pytestmark = pytest.mark.django_db


def test_a_staff_teaching_call_leads_to_the_staff_mobility_page(client, personas):
    call = services.call_create(
        actor=personas.coordinator,
        owner=personas.home,
        **call_fields(title="Teaching week at partners", mobility_type="staff_teaching"),
    )
    place = services.place_create(
        actor=personas.coordinator,
        call=call,
        receiving_organisation=personas.partner_org,
        name="Partner University: teaching week",
        capacity=1,
    )
    call = services.call_open(actor=personas.coordinator, call=call)
    application = services.application_create(
        actor=personas.teacher, call=call, choices=[place], **application_fields()
    )
    services.application_submit(actor=personas.teacher, application=application)
    services.call_close(actor=personas.coordinator, call=call)
    run = services.allocation_run(actor=personas.coordinator, call=call)
    services.run_publish(actor=personas.coordinator, run=run)

    nomination = Nomination.objects.get(application=application)
    services.nomination_accept(actor=personas.partner, nomination=nomination)

    mobility = Mobility.objects.get(participant=personas.teacher)
    assert mobility.mobility_type == MobilityType.STAFF_TEACHING
    assert (mobility.source, mobility.source_id) == (MobilitySource.NOMINATION, nomination.pk)
    assert mobility.status == MobilityStatus.ACCEPTED
    client.force_login(personas.teacher)
    page = client.get("/mobilities/staff/").content.decode()
    assert "Partner University" in page and "Draft the mobility agreement" in page
