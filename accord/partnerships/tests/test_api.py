"""The partnerships API as a client sees it: building a partnership, its objectives and its log."""

import pytest

from accord.organisations.choices import ContactVisibility
from accord.partnerships.models import Partnership
from accord.testing.factories import make_contact, make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


URL = "/api/v1/partnerships/"


@pytest.fixture
def api(client, personas):
    client.force_login(personas.coordinator)
    return client


def members(personas, *extra):
    return [
        {"organisation_id": personas.home.pk, "role": "coordinator"},
        {"organisation_id": personas.partner_org.pk, "role": "partner"},
        *extra,
    ]


def test_create_and_read_back(api, personas):
    # A partner's contact can be named only if the directory shows it to us: public ones.
    contact = make_contact(personas.partner_org, family_name="Garcia", visibility=ContactVisibility.PUBLIC)
    response = post(
        api,
        URL,
        {
            "title": "Iberian Double Degree",
            "model": "double_degree",
            "start_date": "2026-09-01",
            "end_date": "2030-08-31",
            "members": members(personas, {"organisation_id": personas.outsider_org.pk, "role": "funder"}),
            "responsible_contact_ids": [contact.pk],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "exploring"
    assert body["allowed_next_statuses"] == ["negotiating", "closed"]
    assert body["permissions"] == {"contribute": True, "change": True}
    assert [(m["organisation_name"], m["role"]) for m in body["members"]] == [
        ("Home University", "coordinator"),
        ("Partner University", "partner"),
        ("Outsider College", "funder"),
    ]
    assert [c["family_name"] for c in body["responsible_contacts"]] == ["Garcia"]
    assert api.get(f"{URL}{body['id']}").json() == body


@pytest.mark.parametrize(
    ("payload_members", "field", "message"),
    [
        (
            lambda p: [
                {"organisation_id": p.home.pk, "role": "coordinator"},
                {"organisation_id": p.home.pk, "role": "partner"},
            ],
            "members",
            "Members: Home University is listed twice: an organisation cannot partner with itself.",
        ),
        (
            lambda p: [{"organisation_id": p.home.pk, "role": "coordinator"}],
            "members",
            "Members: A partnership needs at least two different organisations.",
        ),
        (
            lambda p: [
                {"organisation_id": p.home.pk, "role": "coordinator"},
                {"organisation_id": 999999, "role": "partner"},
            ],
            "members",
            "Members: No organisation with id 999999.",
        ),
    ],
)
def test_bad_member_lists_answer_422_naming_the_field(api, personas, payload_members, field, message):
    response = post(api, URL, {"title": "Solo", "model": "other", "members": payload_members(personas)})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"], body["message"]) == ("validation_failed", field, message)
    assert not Partnership.objects.exists()


def test_edit_refusals_name_the_field(api, personas, partnership):
    response = patch(api, f"{URL}{partnership.pk}", {"start_date": "2027-01-01", "end_date": "2026-01-01"})
    assert (response.status_code, response.json()["field"]) == (422, "end_date")
    stranger = make_contact(personas.outsider_org, visibility=ContactVisibility.PUBLIC)
    response = patch(api, f"{URL}{partnership.pk}", {"responsible_contact_ids": [stranger.pk]})
    assert (response.status_code, response.json()["field"]) == (422, "responsible_contacts")
    assert "not a member of this partnership" in response.json()["message"]
    hidden = make_contact(personas.partner_org, visibility=ContactVisibility.MEMBERS)
    response = patch(api, f"{URL}{partnership.pk}", {"responsible_contact_ids": [hidden.pk]})
    assert response.json()["message"] == f"Responsible contacts: No contact with id {hidden.pk}."


def test_filters_and_pagination(api, personas, partnership, django_assert_max_num_queries):
    make_partnership(personas.home, personas.outsider_org, title="Summer School Network", model="consortium")
    make_partnership(personas.home, personas.partner_org, title="Closed one", status="closed")
    make_partnership(personas.outsider_org, make_organisation(), title="Not ours")

    def titles(**params):
        return [p["title"] for p in api.get(URL, params).json()["items"]]

    # Session, user, two-factor device and memberships; then count, page and members, whatever the size.
    with django_assert_max_num_queries(7):
        assert titles() == ["Closed one", "Summer School Network", "Vistula–Iberia Exchange"]
    assert titles(status="closed") == ["Closed one"]
    assert titles(model="consortium") == ["Summer School Network"]
    assert titles(organisation=personas.outsider_org.pk) == ["Summer School Network"]
    assert titles(q="outsider") == ["Summer School Network"]
    assert titles(q="iberia") == ["Vistula–Iberia Exchange"]
    page = api.get(URL, {"page": 1}).json()
    assert page["count"] == 3


def test_transitions_and_history(api, partnership):
    refused = post(api, f"{URL}{partnership.pk}/transitions", {"to_status": "active"})
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "conflict",
        "field": "to_status",
        "message": "A partnership that is exploring cannot move to active; "
        "allowed next statuses: negotiating, closed.",
    }
    closing = post(api, f"{URL}{partnership.pk}/transitions", {"to_status": "closed"})
    assert (closing.status_code, closing.json()["field"]) == (422, "reason")
    moved = post(
        api, f"{URL}{partnership.pk}/transitions", {"to_status": "negotiating", "reason": "Met in June"}
    )
    assert moved.status_code == 201
    history = api.get(f"{URL}{partnership.pk}/transitions").json()
    assert [(h["from_status"], h["to_status"], h["reason"], h["actor_name"]) for h in history] == [
        ("exploring", "negotiating", "Met in June", "coordinator")
    ]


def test_members_are_added_handed_over_and_removed(api, personas, partnership):
    added = post(api, f"{URL}{partnership.pk}/members", {"organisation_id": personas.outsider_org.pk})
    assert added.status_code == 201
    again = post(api, f"{URL}{partnership.pk}/members", {"organisation_id": personas.outsider_org.pk})
    assert (again.status_code, again.json()["field"]) == (422, "organisation")
    member_id = added.json()["id"]
    assert api.delete(f"{URL}{partnership.pk}/members/{member_id}").status_code == 204
    partner_member = partnership.members.get(organisation=personas.partner_org)
    handed = patch(api, f"{URL}{partnership.pk}/members/{partner_member.pk}", {"role": "coordinator"})
    assert handed.status_code == 200
    # The home coordinator no longer owns the record.
    assert patch(api, f"{URL}{partnership.pk}", {"title": "Mine?"}).status_code == 403


def test_build_objectives_and_read_progress(api, personas):
    partnership = make_partnership(personas.home, personas.partner_org, start_date="2020-01-01")
    base = f"{URL}{partnership.pk}"
    objective = post(
        api, f"{base}/objectives", {"title": "Balanced mobility", "owner_id": personas.teacher.pk}
    )
    assert objective.status_code == 201, objective.json()
    indicator = post(
        api,
        f"{base}/objectives/{objective.json()['id']}/indicators",
        {
            "name": "Drop-out rate",
            "unit": "%",
            "direction": "decrease",
            "baseline_value": "20",
            "baseline_year": 2020,
        },
    )
    assert indicator.status_code == 201, indicator.json()
    indicator_id = indicator.json()["id"]
    assert (
        post(api, f"{base}/indicators/{indicator_id}/targets", {"year": 2023, "target_value": 10}).status_code
        == 201
    )
    duplicate = post(api, f"{base}/indicators/{indicator_id}/targets", {"year": 2023, "target_value": 8})
    assert (duplicate.status_code, duplicate.json()["field"]) == (422, "year")
    not_a_number = post(api, f"{base}/indicators/{indicator_id}/actuals", {"year": 2023, "value": "lots"})
    assert (not_a_number.status_code, not_a_number.json()["field"]) == (422, "value")
    actual = post(api, f"{base}/indicators/{indicator_id}/actuals", {"year": 2023, "value": 15})
    assert actual.status_code == 201

    objectives = api.get(f"{base}/objectives").json()
    assert objectives[0]["indicators"][0]["targets"] == [
        {"id": objectives[0]["indicators"][0]["targets"][0]["id"], "year": 2023, "target_value": 10.0}
    ]
    progress = api.get(f"{base}/progress").json()
    assert progress[0]["years"] == [{"year": 2023, "target": 10.0, "actual": 15.0, "progress": 0.5}]

    stranger = post(api, f"{base}/objectives", {"title": "X", "owner_id": personas.outsider.pk})
    assert (stranger.status_code, stranger.json()["field"]) == (422, "owner_id")


def test_the_log_through_the_api(api, personas, partnership):
    base = f"{URL}{partnership.pk}"
    meeting = post(
        api,
        f"{base}/meetings",
        {
            "date": "2026-02-03",
            "title": "Kick-off",
            "attendee_ids": [personas.partner.pk, personas.teacher.pk],
        },
    )
    assert meeting.status_code == 201
    assert meeting.json()["attendee_ids"] == sorted([personas.partner.pk, personas.teacher.pk])
    meeting_id = meeting.json()["id"]
    decision = post(api, f"{base}/decisions", {"text": "Summer school in July.", "meeting_id": meeting_id})
    assert decision.json()["decided_on"] == "2026-02-03"
    item = post(
        api,
        f"{base}/action-items",
        {
            "title": "Book rooms",
            "owner_id": personas.teacher.pk,
            "due_date": "2026-01-01",
            "meeting_id": meeting_id,
        },
    )
    assert item.status_code == 201
    assert [i["title"] for i in api.get(f"{URL}action-items/overdue").json()] == ["Book rooms"]

    api.force_login(personas.teacher)
    done = patch(api, f"{base}/action-items/{item.json()['id']}", {"status": "done"})
    assert (done.status_code, done.json()["status"]) == (200, "done")
    assert api.get(f"{URL}action-items/overdue").json() == []
    assert [i["status"] for i in api.get(f"{base}/action-items", {"status": "done"}).json()] == ["done"]


def test_openapi_document_lists_the_operations(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/partnerships/{partnership_id}/transitions"])
    assert "/api/v1/partnerships/action-items/overdue" in paths
    assert "/api/v1/partnerships/{partnership_id}/progress" in paths
