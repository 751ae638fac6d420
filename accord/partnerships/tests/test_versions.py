"""Versions on partnership records (issue 23): ETag and If-Match in the API, the version an edit form
carries and the conflict it shows, and what the services refuse when a record changed meanwhile."""

import pytest

from accord.core.concurrency import StaleVersion
from accord.partnerships import services
from accord.partnerships.models import Objective, Partnership

pytestmark = pytest.mark.django_db

URL = "/api/v1/partnerships/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def objective(personas, partnership):
    return services.objective_create(actor=personas.coordinator, partnership=partnership, title="Mobility")


@pytest.fixture
def api(client, personas):
    client.force_login(personas.coordinator)
    return client


def patch(client, url, data, **headers):
    return client.patch(url, data, content_type="application/json", headers=headers)


# --- the API -------------------------------------------------------------------------------------


def test_a_partnership_is_read_with_its_etag_and_written_with_if_match(api, partnership):
    url = f"{URL}{partnership.pk}"
    etag = api.get(url)["ETag"]
    assert etag == f'"partnership-{partnership.pk}-v1"'

    response = patch(api, url, {"title": "Renamed"}, **{"If-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] == f'"partnership-{partnership.pk}-v2"'

    stale = patch(api, url, {"title": "Renamed again"}, **{"If-Match": etag})
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_version" and body["current_version"] == 2
    assert body["current"] == {"title": "Renamed"} and body["changed_by"] == "coordinator"
    assert Partnership.objects.get().title == "Renamed"


def test_a_created_record_comes_with_the_etag_to_edit_it_by(api, partnership):
    created = api.post(
        f"{URL}{partnership.pk}/objectives", {"title": "Mobility"}, content_type="application/json"
    )
    assert created.status_code == 201
    url = f"{URL}{partnership.pk}/objectives/{created.json()['id']}"
    response = patch(api, url, {"title": "Balanced"}, **{"If-Match": created["ETag"]})
    assert response.status_code == 200 and response["ETag"].endswith('-v2"')


def test_a_malformed_if_match_is_refused_and_nothing_is_written(api, partnership, objective):
    url = f"{URL}{partnership.pk}/objectives/{objective.pk}"
    response = patch(api, url, {"title": "Renamed"}, **{"If-Match": "v1"})
    assert response.status_code == 422
    assert "ETag" in response.json()["message"] + str(response.json()["errors"])
    assert Objective.objects.get().title == "Mobility"


def test_a_patch_without_if_match_writes_only_what_it_sends(api, personas, partnership, objective):
    services.objective_update(actor=personas.admin, objective=objective, description="Both ways")
    response = patch(api, f"{URL}{partnership.pk}/objectives/{objective.pk}", {"title": "Balanced"})
    assert response.status_code == 200 and response["ETag"] == f'"objective-{objective.pk}-v3"'
    objective.refresh_from_db()
    assert (objective.title, objective.description, objective.updated_by) == (
        "Balanced",
        "Both ways",
        personas.coordinator,
    )


def test_a_stale_delete_is_refused(api, personas, partnership, objective):
    url = f"{URL}{partnership.pk}/objectives/{objective.pk}"
    services.objective_update(actor=personas.admin, objective=objective, title="Changed")
    assert api.delete(url, headers={"If-Match": f'"objective-{objective.pk}-v1"'}).status_code == 412
    assert Objective.objects.exists()
    assert api.delete(url, headers={"If-Match": f'"objective-{objective.pk}-v2"'}).status_code == 204
    assert not Objective.objects.exists()


def test_the_openapi_document_declares_if_match_etag_and_412(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    written = paths["/api/v1/partnerships/{partnership_id}/objectives/{objective_id}"]
    for method in ("patch", "delete"):
        assert "If-Match" in [parameter["name"] for parameter in written[method]["parameters"]]
        assert "412" in written[method]["responses"]
    assert "ETag" in written["patch"]["responses"]["200"]["headers"]
    assert "ETag" in paths["/api/v1/partnerships/{partnership_id}"]["get"]["responses"]["200"]["headers"]


# --- the services --------------------------------------------------------------------------------


def test_a_stale_edit_names_who_changed_what(personas, objective):
    services.objective_update(actor=personas.admin, objective=objective, title="Balanced")
    with pytest.raises(StaleVersion) as refused:
        services.objective_update(
            actor=personas.coordinator, objective=objective, expected_version=1, title="Mine"
        )
    assert refused.value.changed_by == "admin" and refused.value.theirs == {"title": "Balanced"}
    assert Objective.objects.get().title == "Balanced"


def test_an_edit_that_changes_nothing_keeps_the_version(personas, objective):
    services.objective_update(actor=personas.admin, objective=objective, title="Mobility")
    assert Objective.objects.get().version == 1


def test_moving_an_objective_to_a_taken_position_moves_the_others_on(personas, partnership):
    *_earlier, third = [
        services.objective_create(actor=personas.coordinator, partnership=partnership, title=title)
        for title in ("First", "Second", "Third")
    ]
    services.objective_update(actor=personas.coordinator, objective=third, order=0)
    assert list(partnership.objectives.values_list("title", "order", "version")) == [
        ("Third", 0, 2),
        ("First", 1, 2),
        ("Second", 2, 2),
    ]


# --- the pages -----------------------------------------------------------------------------------


def test_a_stale_objective_form_shows_both_versions_and_keeping_mine_saves_it(
    client, personas, partnership, objective
):
    url = f"/partnerships/{partnership.pk}/objectives/{objective.pk}/edit/"
    client.force_login(personas.coordinator)
    opened = client.get(url, **HTMX).content.decode()
    assert 'name="version" value="1"' in opened and "Version" not in opened
    services.objective_update(actor=personas.admin, objective=objective, title="Theirs")

    response = client.post(url, {"title": "Mine", "description": "", "version": 1}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'class="conflict"' in html
    assert "admin changed this" in html and "Mine" in html and "Theirs" in html
    assert 'name="version" value="2"' in html and 'hx-select="#objectives"' in html
    assert response["HX-Retarget"] == f"#objective-{objective.pk}-form-slot"
    assert Objective.objects.get().title == "Theirs"

    kept = client.post(url, {"title": "Mine", "description": "", "version": 2, "keep": "mine"}, **HTMX)
    assert "Objective saved." in kept.content.decode()
    assert Objective.objects.get().title == "Mine"


def test_a_form_that_lost_its_version_is_refused_with_a_sentence(client, personas, partnership, objective):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/partnerships/{partnership.pk}/objectives/{objective.pk}/edit/", {"title": "Mine"}, **HTMX
    )
    assert "no longer says which version" in response.content.decode()
    assert Objective.objects.get().title == "Mobility"


def test_a_stale_partnership_form_shows_the_conflict_without_saving(client, personas, partnership):
    client.force_login(personas.coordinator)
    services.partnership_update(actor=personas.admin, partnership=partnership, title="Theirs")
    response = client.post(
        f"/partnerships/{partnership.pk}/edit/", {"title": "Mine", "model": partnership.model, "version": 1}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'class="conflict"' in html and "Theirs" in html
    assert 'name="version" value="2"' in html
    assert Partnership.objects.get().title == "Theirs"


def test_a_stale_role_change_is_refused_with_a_sentence(client, personas, partnership):
    member = partnership.members.get(organisation=personas.partner_org)
    services.partnership_member_update(actor=personas.admin, member=member, role="funder")
    client.force_login(personas.coordinator)
    html = client.post(
        f"/partnerships/{partnership.pk}/members/{member.pk}/role/",
        {"role": "associate_partner", "version": 1},
        **HTMX,
    ).content.decode()
    assert 'role="alert"' in html and "admin changed this" in html
    member.refresh_from_db()
    assert (member.role, member.version) == ("funder", 2)
