"""Who sees, contributes to and changes a partnership, for every persona, through the API.

The partnership is coordinated by ``personas.home`` with ``personas.partner_org`` as partner.
Expectations are tables so that a change of policy shows up as a one-line diff.
"""

import datetime as dt

import pytest

from accord.partnerships import services
from accord.partnerships.models import ActionItem
from conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


EXPECTED = {
    #                 view   contribute  change
    "platform_admin": (True, True, True),
    "admin": (True, True, True),
    "coordinator": (True, True, True),
    "teacher": (True, False, False),
    "student": (False, False, False),
    "viewer": (True, False, False),
    "partner": (True, True, False),
    "outsider": (False, False, False),
}


def expected_status(persona: str, ok: int, action: int) -> int:
    """Not visible → 404 (existence does not leak); visible but not allowed → 403."""
    sees = EXPECTED[persona][0]
    if not sees:
        return 404
    return ok if EXPECTED[persona][action] else 403


@pytest.fixture
def logged_in(client, personas):
    def login(persona):
        client.force_login(personas.by_name(persona))
        return client

    return login


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_seeing_the_partnership(logged_in, partnership, persona):
    client = logged_in(persona)
    sees = EXPECTED[persona][0]
    base = f"/api/v1/partnerships/{partnership.pk}"
    listed = [p["id"] for p in client.get("/api/v1/partnerships/").json()["items"]]
    assert (partnership.pk in listed) is sees
    for suffix in (
        "",
        "/transitions",
        "/objectives",
        "/progress",
        "/meetings",
        "/decisions",
        "/action-items",
    ):
        assert client.get(base + suffix).status_code == (200 if sees else 404), suffix
    if sees:
        permissions = client.get(base).json()["permissions"]
        assert (permissions["contribute"], permissions["change"]) == EXPECTED[persona][1:]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_changing_the_partnership(logged_in, partnership, personas, persona):
    client = logged_in(persona)
    base = f"/api/v1/partnerships/{partnership.pk}"
    assert patch(client, base, {"title": "Renamed"}).status_code == expected_status(persona, 200, 2)
    transition = post(client, f"{base}/transitions", {"to_status": "negotiating"})
    assert transition.status_code == expected_status(persona, 201, 2)
    objective = post(client, f"{base}/objectives", {"title": "More mobility"})
    assert objective.status_code == expected_status(persona, 201, 2)
    member = post(
        client, f"{base}/members", {"organisation_id": personas.outsider_org.pk, "role": "associate_partner"}
    )
    assert member.status_code == expected_status(persona, 201, 2)
    partnership.refresh_from_db()
    assert (partnership.title == "Renamed") is EXPECTED[persona][2]
    assert (partnership.status == "negotiating") is EXPECTED[persona][2]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_contributing_to_the_log(logged_in, partnership, personas, persona):
    client = logged_in(persona)
    base = f"/api/v1/partnerships/{partnership.pk}"
    meeting = post(client, f"{base}/meetings", {"date": "2026-02-03", "title": "Kick-off", "mode": "video"})
    assert meeting.status_code == expected_status(persona, 201, 1)
    decision = post(client, f"{base}/decisions", {"text": "Hold a summer school."})
    assert decision.status_code == expected_status(persona, 201, 1)
    item = post(
        client,
        f"{base}/action-items",
        {"title": "Send the catalogue", "owner_id": personas.coordinator.pk, "due_date": "2026-04-01"},
    )
    assert item.status_code == expected_status(persona, 201, 1)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_log_entries_of_others_are_changed_only_by_the_coordinating_side(
    logged_in, partnership, personas, persona
):
    meeting = services.meeting_create(
        actor=personas.coordinator, partnership=partnership, date=dt.date(2026, 2, 3), title="Ours"
    )
    client = logged_in(persona)
    response = patch(
        client, f"/api/v1/partnerships/{partnership.pk}/meetings/{meeting.pk}", {"minutes": "Edited"}
    )
    assert response.status_code == expected_status(persona, 200, 2)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_overdue_items_are_scoped(logged_in, partnership, personas, persona):
    ActionItem.objects.create(
        partnership=partnership, owner=personas.teacher, title="Late", due_date=dt.date(2020, 1, 1)
    )
    titles = [i["title"] for i in logged_in(persona).get("/api/v1/partnerships/action-items/overdue").json()]
    assert ("Late" in titles) is EXPECTED[persona][0]


def test_anonymous_sees_nothing(client, partnership):
    response = client.get(f"/api/v1/partnerships/{partnership.pk}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_not_found_answer_is_the_same_for_missing_and_hidden(logged_in, partnership):
    client = logged_in("outsider")
    hidden = client.get(f"/api/v1/partnerships/{partnership.pk}")
    missing = client.get("/api/v1/partnerships/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"code": "not_found", "message": "No such partnership."}
