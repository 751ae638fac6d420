"""The virtual exchange pages: publish with bad input, suggestions, invite and accept, the exchange
page, calls, the meeting planner, and query counts."""

import pytest
from django.urls import reverse

from accord.testing.factories import make_partnership
from accord.virtual_exchange import services
from accord.virtual_exchange.models import ClassProfile

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "title": "Water and cities",
        "isced_code": "0731",
        "eqf_level": "6",
        "term_start": "2027-02-22",
        "term_end": "2027-06-11",
        "time_zone": "Europe/Warsaw",
        "students": "20",
        "weeks_wished": "6",
        "mode": "synchronous",
        "visibility": "partners",
        "language_1": "en",
        "cefr_1": "B2",
        "slot_1_weekday": "1",
        "slot_1_start": "15:00",
        "slot_1_end": "17:00",
        "sdgs": ["sdg-6"],
    }
    data.update(overrides)
    return data


def test_publishing_with_bad_input_shows_each_field_error_and_saves_nothing(client, personas, world):
    client.force_login(world.home_teacher)
    answer = client.post(
        reverse("virtual_exchange:class-create"),
        form_data(
            organisation=personas.home.pk,
            term_end="2027-01-01",
            students="0",
            slot_2_weekday="1",
            slot_2_start="16:00",
            slot_2_end="18:00",
        ),
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Nothing was saved" in text
    assert "The term cannot end before it starts." in text
    assert "A class has at least one student." in text
    assert "overlap" in text
    assert not ClassProfile.objects.exists()


def test_a_published_class_lists_its_partner_with_reasons_and_invites_it(client, personas, world, boston):
    client.force_login(world.home_teacher)
    answer = client.post(reverse("virtual_exchange:class-create"), form_data(organisation=personas.home.pk))
    profile = ClassProfile.objects.get(title="Water and cities")
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "virtual_exchange:class-detail", args=[profile.pk]
    )
    page = client.get(answer["Location"]).content.decode()
    assert "Cities and climate" in page and "Shared languages: en." in page
    client.post(
        reverse("virtual_exchange:invite", args=[profile.pk]),
        {"to_profile": boston.pk, "message": "Shall we?"},
    )
    client.force_login(world.partner_teacher)
    home = client.get(reverse("virtual_exchange:home")).content.decode()
    assert "Shall we?" in home and "Accept the invitation" in home


def test_the_exchange_page_shows_both_local_times_and_the_calendars(
    client, world, exchange, django_assert_max_num_queries
):
    client.force_login(world.partner_teacher)
    url = reverse("virtual_exchange:exchange-detail", args=[exchange.pk])
    with django_assert_max_num_queries(30):
        page = client.get(url)
    text = page.content.decode()
    assert "15:00" in text and "09:00" in text
    ics = client.get(reverse("virtual_exchange:calendar", args=[exchange.pk, exchange.second_id]))
    assert ics.status_code == 200 and b"America/New_York" in ics.content
    answer = client.post(
        reverse("virtual_exchange:message-add", args=[exchange.pk]), {"body": "Hello from Boston"}
    )
    assert answer.status_code == 302
    assert "Hello from Boston" in client.get(url).content.decode()


def test_outsiders_do_not_find_classes_or_exchanges(client, personas, warsaw, exchange):
    client.force_login(personas.outsider)
    assert client.get(reverse("virtual_exchange:class-detail", args=[warsaw.pk])).status_code == 404
    assert client.get(reverse("virtual_exchange:exchange-detail", args=[exchange.pk])).status_code == 404


def test_the_class_list_answers_in_a_fixed_number_of_queries(
    client, personas, world, warsaw, boston, django_assert_max_num_queries
):
    from accord.testing.virtual_exchange import class_data

    for n in range(5):
        services.profile_create(
            actor=world.home_teacher, organisation=personas.home, data=class_data(title=f"Class {n}")
        )
    client.force_login(world.partner_teacher)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("virtual_exchange:class-list"))
    assert page.content.decode().count("Class ") >= 5


def test_a_call_page_pairs_its_classes(client, personas, world, warsaw, boston):
    call = services.call_create(actor=personas.coordinator, organiser=personas.home, title="Spring COIL")
    services.call_submit(actor=world.home_teacher, call=call, profile=warsaw)
    services.call_submit(actor=world.partner_teacher, call=call, profile=boston)
    client.force_login(personas.coordinator)
    client.post(reverse("virtual_exchange:call-match", args=[call.pk]))
    page = client.get(reverse("virtual_exchange:call-detail", args=[call.pk])).content.decode()
    assert "Sustainable cities ↔ Cities and climate" in page


def test_the_meeting_planner_finds_common_hours_and_offers_an_invitation(client, personas):
    personas.home.timezone = "Europe/Warsaw"
    personas.home.save(update_fields=["timezone"])
    personas.partner_org.timezone = "America/New_York"
    personas.partner_org.save(update_fields=["timezone"])
    partnership = make_partnership(personas.home, personas.partner_org)
    client.force_login(personas.coordinator)
    page = client.get(
        reverse("virtual_exchange:planner"),
        {
            "partnership": partnership.pk,
            "first_date": "2027-03-10",
            "days": "1",
            "day": "08:00-18:00",
            "minutes": "60",
        },
    ).content.decode()
    assert "13:00–17:00 UTC" in page
    ics = client.get(
        reverse("virtual_exchange:planner-invitation", args=[partnership.pk]),
        {"start": "2027-03-10T12:00:00+00:00"},
    )
    assert ics.status_code == 200 and b"DTSTART:20270310T120000Z" in ics.content
