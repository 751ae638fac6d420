"""Lists are cacheable (RFC 9110): the key list endpoints answer with an ETag of what this user sees on
the page, and 304 Not Modified to an If-None-Match that still holds."""

import pytest

from accord.organisations import services as organisation_services
from accord.partnerships import services as partnership_services
from accord.testing.factories import make_partnership

pytestmark = pytest.mark.django_db

LISTS = (
    "/api/v1/partnerships/",
    "/api/v1/agreements/",
    "/api/v1/organisations/",
    "/api/v1/exchanges/calls",
)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_read_again_unchanged_is_not_modified(client, personas, url):
    make_partnership(personas.home, personas.partner_org)
    client.force_login(personas.coordinator)
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"list-')
    assert "private" in first["Cache-Control"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    assert client.get(url, headers={"If-None-Match": 'W/"list-other"'}).status_code == 200


def test_a_change_to_a_row_or_to_a_record_shown_in_it_changes_the_etag(client, personas):
    partnership = make_partnership(personas.home, personas.partner_org, title="Vistula–Iberia")
    client.force_login(personas.coordinator)
    url = "/api/v1/partnerships/"
    etag = client.get(url)["ETag"]

    partnership_services.partnership_update(
        actor=personas.coordinator, partnership=partnership, title="Renamed"
    )
    renamed = client.get(url, headers={"If-None-Match": etag})
    assert renamed.status_code == 200
    assert renamed.json()["items"][0]["title"] == "Renamed"

    # The partner's name appears in each row's members: renaming the organisation is a change too.
    etag = renamed["ETag"]
    organisation_services.organisation_update(
        actor=personas.platform_admin, organisation=personas.partner_org, name="Universidad Renamed"
    )
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_the_etag_differs_between_people_and_between_queries(client, personas):
    make_partnership(personas.home, personas.partner_org)
    url = "/api/v1/partnerships/"
    client.force_login(personas.coordinator)
    coordinator_tag = client.get(url)["ETag"]
    filtered_tag = client.get(url, {"q": "nothing matches this"})["ETag"]
    client.force_login(personas.outsider)
    outsider = client.get(url, headers={"If-None-Match": coordinator_tag})
    assert outsider.status_code == 200
    assert outsider.json()["count"] == 0
    assert len({coordinator_tag, filtered_tag, outsider["ETag"]}) == 3


def test_errors_carry_no_list_etag(client, personas):
    client.force_login(personas.coordinator)
    response = client.get("/api/v1/partnerships/", {"page": 0})
    assert response.status_code == 422
    assert not response.has_header("ETag")
