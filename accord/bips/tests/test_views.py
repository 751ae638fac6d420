"""The BIP pages: the list and the programme page in a fixed number of queries, the forms, the
attendance grid and the participant list exports that never start a live formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from accord.accounts.choices import Role
from accord.bips import services
from accord.bips.choices import BipStatus, ParticipantStatus
from accord.testing.bips import make_bip_world
from accord.testing.factories import make_user

pytestmark = pytest.mark.django_db


def nominate_many(personas, world, count: int) -> list:
    participants = []
    for number in range(count):
        student = make_user(
            f"s{number}", organisation=personas.partner_org, role=Role.STUDENT, first_name=f"S{number}"
        )
        participant = services.participant_nominate(
            actor=personas.partner,
            bip=world.bip,
            partner=world.partner_of(personas.partner_org),
            person=student,
            kind="student",
            eqf_level=6,
        )
        services.participant_decide(actor=personas.coordinator, participant=participant, accept=True)
        participants.append(participant)
    return participants


@pytest.mark.parametrize("count", [1, 8])
def test_the_programme_page_costs_the_same_whatever_the_participants(
    client, personas, count, django_assert_max_num_queries
):
    world = make_bip_world(personas)
    nominate_many(personas, world, count)
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(f"/bips/{world.bip.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Green Chemistry Intensive" in page and "Organisational support" in page
    assert ("1 participant is accepted." if count == 1 else f"{count} participants are accepted.") in page


def test_the_list_costs_a_fixed_number_of_queries(client, personas, django_assert_max_num_queries):
    world = make_bip_world(personas)
    client.force_login(personas.partner)
    with django_assert_max_num_queries(8):
        response = client.get("/bips/")
    assert world.bip.title in response.content.decode()


def test_outsiders_get_404_and_partners_cannot_edit(client, personas):
    world = make_bip_world(personas)
    client.force_login(personas.outsider)
    assert client.get(f"/bips/{world.bip.pk}/").status_code == 404
    client.force_login(personas.partner)
    assert client.get(f"/bips/{world.bip.pk}/edit/").status_code == 403


def test_creating_a_programme_through_the_form(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        "/bips/new/",
        {
            "title": "Coastal Engineering Lab",
            "coordinator": personas.home.pk,
            "partners": [personas.partner_org.pk],
            "ects": "4",
            "capacity": "15",
            "isced_code": "0732",
            "language": "en",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Coastal Engineering Lab" in page and "Partner University" in page


def test_an_edit_from_a_stale_page_shows_both_values(client, personas):
    world = make_bip_world(personas)
    stale_version = world.bip.version
    services.bip_update(actor=personas.admin, bip=world.bip, title="Renamed by the admin")
    client.force_login(personas.coordinator)
    response = client.post(
        f"/bips/{world.bip.pk}/edit/",
        {
            "title": "Mine",
            "host": personas.home.pk,
            "ects": "3",
            "capacity": "20",
            "version": stale_version,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Renamed by the admin" in page and "Keep mine and save" in page


def test_nominating_and_deciding_through_the_pages(client, personas):
    world = make_bip_world(personas)
    client.force_login(personas.partner)
    form = client.get(f"/bips/{world.bip.pk}/nominate/").content.decode()
    assert "Pablo Ruiz" in form and "Marco" not in form
    partner = world.partner_of(personas.partner_org)
    response = client.post(
        f"/bips/{world.bip.pk}/nominate/",
        {"partner": partner.pk, "person": world.partner_student.pk, "kind": "student", "eqf_level": "6"},
    )
    assert response.status_code == 302
    participant = world.bip.participants.get()
    client.force_login(personas.coordinator)
    refused = client.post(
        f"/bips/{world.bip.pk}/participants/{participant.pk}/decide/",
        {"decision": "decline", "reason": "", "version": participant.version},
    )
    assert "Say why the nomination is declined" in refused.content.decode()
    client.post(
        f"/bips/{world.bip.pk}/participants/{participant.pk}/decide/",
        {"decision": "accept", "version": participant.version},
    )
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACCEPTED and participant.mobility is not None


def test_the_attendance_grid_saves_marks(client, personas):
    world = make_bip_world(personas)
    [participant] = nominate_many(personas, world, 1)
    services.bip_transition(actor=personas.coordinator, bip=world.bip, to_status=BipStatus.RUNNING)
    virtual, physical = world.bip.components.order_by("start")
    client.force_login(personas.coordinator)
    assert client.get(f"/bips/{world.bip.pk}/attendance/").status_code == 200
    response = client.post(
        f"/bips/{world.bip.pk}/attendance/",
        {f"a-{participant.pk}-{virtual.pk}": "1", f"a-{participant.pk}-{physical.pk}": "0"},
    )
    assert response.status_code == 302
    assert {a.component_id: a.attended for a in participant.attendance.all()} == {
        virtual.pk: True,
        physical.pk: False,
    }


def test_exports_never_start_a_live_formula(client, personas):
    world = make_bip_world(personas)
    evil = make_user(
        "evil",
        organisation=personas.partner_org,
        role=Role.STUDENT,
        first_name='=HYPERLINK("http://x")',
        last_name="",
    )
    services.participant_nominate(
        actor=personas.partner,
        bip=world.bip,
        partner=world.partner_of(personas.partner_org),
        person=evil,
        kind="student",
        eqf_level=6,
    )
    client.force_login(personas.coordinator)
    text = client.get(f"/bips/{world.bip.pk}/participants.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    workbook = load_workbook(io.BytesIO(client.get(f"/bips/{world.bip.pk}/participants.xlsx").content))
    cell = workbook.active.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert client.get(f"/bips/{world.bip.pk}/participants.pdf").status_code == 404


def test_a_partner_exports_only_its_own_participants(client, personas):
    world = make_bip_world(personas)
    services.participant_nominate(
        actor=world.third,
        bip=world.bip,
        partner=world.partner_of(world.third_org),
        person=world.third_student,
        kind="student",
        eqf_level=6,
    )
    client.force_login(personas.partner)
    assert "Bianchi" not in client.get(f"/bips/{world.bip.pk}/participants.csv").content.decode("utf-8-sig")


def test_an_edit_at_the_current_version_saves(client, personas):
    world = make_bip_world(personas)
    client.force_login(personas.coordinator)
    values = {"title": "Greener", "host": personas.home.pk, "ects": "4", "capacity": "18"}
    response = client.post(f"/bips/{world.bip.pk}/edit/", {**values, "version": world.bip.version})
    assert response.status_code == 302
    world.bip.refresh_from_db()
    assert (world.bip.title, world.bip.ects, world.bip.capacity) == ("Greener", 4, 18)


def test_the_sending_coordinator_withdraws_from_the_page_and_the_mobility_is_cancelled(client, personas):
    world = make_bip_world(personas)
    [participant] = nominate_many(personas, world, 1)
    client.force_login(personas.partner)
    page = client.get(f"/bips/{world.bip.pk}/").content.decode()
    assert "Withdraw…" in page and "Decline…" not in page
    response = client.post(
        f"/bips/{world.bip.pk}/participants/{participant.pk}/withdraw/",
        {"reason": "Visa refused.", "version": participant.version},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    participant.mobility.refresh_from_db()
    assert (participant.status, participant.mobility.status) == ("withdrawn", "cancelled")
