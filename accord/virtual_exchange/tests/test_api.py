"""The virtual exchange API end to end: bad input, ETag and If-Match, invitation to calendar."""

import pytest

from accord.testing.virtual_exchange import boston_data, class_data

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, data=None, **headers):
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def payload(organisation, **overrides) -> dict:
    data = class_data(**overrides)
    data["term_start"] = str(data["term_start"])
    data["term_end"] = str(data["term_end"])
    return {"organisation_id": organisation.pk, **data}


def test_bad_input_answers_with_field_errors_and_saves_nothing(client, personas, world):
    client.force_login(world.home_teacher)
    answer = send(
        client,
        "post",
        "/api/v1/virtual-exchange/classes",
        payload(
            personas.home,
            term_start="2027-06-01",
            term_end="2027-02-01",
            time_zone="Nowhere/City",
            students=0,
        ),
    )
    assert answer.status_code == 422, answer.json()
    errors = answer.json()["errors"]
    assert {"term_end", "time_zone", "students"} <= set(errors)
    assert (
        send(
            client, "post", "/api/v1/virtual-exchange/classes", {"organisation_id": personas.home.pk}
        ).status_code
        == 422
    )
    assert client.get("/api/v1/virtual-exchange/classes").json()["count"] == 0


def test_two_teachers_invite_accept_and_read_their_calendars(client, personas, world):
    client.force_login(world.home_teacher)
    created = send(client, "post", "/api/v1/virtual-exchange/classes", payload(personas.home))
    assert created.status_code == 201, created.json()
    warsaw_id = created.json()["id"]
    client.force_login(world.partner_teacher)
    boston = send(
        client,
        "post",
        "/api/v1/virtual-exchange/classes",
        {
            **payload(personas.partner_org),
            **{k: v for k, v in boston_data().items() if k not in ("term_start", "term_end")},
        },
    )
    assert boston.status_code == 201, boston.json()
    boston_id = boston.json()["id"]
    found = client.get(f"/api/v1/virtual-exchange/classes/{boston_id}/suggestions").json()
    assert [p["class_id"] for p in found["partners"]] == [warsaw_id]
    assert found["partners"][0]["reasons"]
    invited = send(
        client,
        "post",
        f"/api/v1/virtual-exchange/classes/{boston_id}/invitations",
        {"to_class_id": warsaw_id},
    )
    assert invited.status_code == 201, invited.json()
    proposal_url = f"/api/v1/virtual-exchange/proposals/{invited.json()['id']}"

    client.force_login(world.home_teacher)
    etag = client.get(proposal_url)["ETag"]
    accepted = send(client, "post", f"{proposal_url}/decision", {"accept": True}, **{"If-Match": etag})
    assert accepted.status_code == 200, accepted.json()
    exchange_url = f"/api/v1/virtual-exchange/exchanges/{accepted.json()['exchange_id']}"
    stale = send(
        client, "post", f"{proposal_url}/decision", {"accept": False, "reason": "x"}, **{"If-Match": etag}
    )
    assert stale.status_code == 412

    read = client.get(exchange_url)
    assert read.status_code == 200 and read.json()["sessions"]
    renamed = send(client, "patch", exchange_url, {"title": "Cities together"}, **{"If-Match": read["ETag"]})
    assert renamed.status_code == 200
    assert (
        send(client, "patch", exchange_url, {"title": "Late"}, **{"If-Match": read["ETag"]}).status_code
        == 412
    )
    ics = client.get(f"{exchange_url}/calendar.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"TZID=Europe/Warsaw" in ics.content
    theirs = client.get(f"{exchange_url}/calendar.ics?side={boston_id}")
    assert b"TZID=America/New_York" in theirs.content

    client.force_login(personas.outsider)
    assert client.get(exchange_url).status_code == 404


def test_common_hours_of_several_zones(client, personas):
    client.force_login(personas.teacher)
    answer = client.get(
        "/api/v1/virtual-exchange/common-hours?date=2026-03-10&zone=Europe/Paris&zone=America/New_York"
    )
    assert answer.status_code == 200, answer.json()
    assert [(i["start"][11:16], i["end"][11:16]) for i in answer.json()["intervals"]] == [("12:00", "17:00")]
    assert (
        client.get("/api/v1/virtual-exchange/common-hours?date=2026-03-10&zone=Mars/Base").status_code == 422
    )


def test_an_invitation_is_taken_back_and_a_class_withdrawn(client, world, warsaw, boston):
    client.force_login(world.home_teacher)
    invited = send(
        client,
        "post",
        f"/api/v1/virtual-exchange/classes/{warsaw.pk}/invitations",
        {"to_class_id": boston.pk},
    )
    url = f"/api/v1/virtual-exchange/proposals/{invited.json()['id']}/withdrawal"
    client.force_login(world.partner_teacher)
    assert send(client, "post", url).status_code == 403
    client.force_login(world.home_teacher)
    taken_back = send(client, "post", url, **{"If-Match": invited["ETag"]})
    assert taken_back.status_code == 200 and taken_back.json()["status"] == "withdrawn"
    withdrawn = send(client, "post", f"/api/v1/virtual-exchange/classes/{warsaw.pk}/withdrawal")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    client.force_login(world.partner_teacher)
    assert client.get(f"/api/v1/virtual-exchange/classes/{boston.pk}/suggestions").json()["partners"] == []
