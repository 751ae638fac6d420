"""Every partnership record a client may change can be read alone, with the ETag it must send back as
If-Match: objectives, indicators, targets, figures, meetings, decisions, action items and members."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/partnerships/"


def send(client, method, url, data=None, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


@pytest.fixture
def api(client, personas):
    client.force_login(personas.coordinator)
    return client


@pytest.fixture
def records(api, personas, partnership):
    """The address of one record of each kind, and a change to make to it."""
    base = f"{URL}{partnership.pk}"

    def create(path, data):
        response = send(api, "post", f"{base}/{path}", data)
        assert response.status_code == 201, response.content
        return response.json()["id"]

    objective = create("objectives", {"title": "Mobility"})
    indicator = create(f"objectives/{objective}/indicators", {"name": "Students", "unit": "people"})
    target = create(f"indicators/{indicator}/targets", {"year": 2027, "target_value": "10"})
    actual = create(f"indicators/{indicator}/actuals", {"year": 2025, "value": "4"})
    meeting = create("meetings", {"date": "2027-01-10", "title": "Kick-off"})
    decision = create("decisions", {"text": "Meet twice a year"})
    item = create("action-items", {"title": "Send the minutes", "owner_id": personas.coordinator.pk})
    member = next(m.pk for m in partnership.members.all() if m.organisation_id == personas.partner_org.pk)
    return {
        f"{base}/objectives/{objective}": {"title": "Balanced mobility"},
        f"{base}/indicators/{indicator}": {"name": "Outgoing students"},
        f"{base}/targets/{target}": {"target_value": "12"},
        f"{base}/actuals/{actual}": {"value": "5"},
        f"{base}/meetings/{meeting}": {"title": "Kick-off in Lisbon"},
        f"{base}/decisions/{decision}": {"text": "Meet three times a year"},
        f"{base}/action-items/{item}": {"title": "Send the minutes by Friday"},
        f"{base}/members/{member}": {"role": "associate_partner"},
    }


def test_each_record_is_read_with_the_etag_that_its_writes_check(api, records):
    for url, change in records.items():
        read = api.get(url)
        assert read.status_code == 200, (url, read.content)
        etag = read["ETag"]
        assert etag.endswith('-v1"'), (url, etag)
        assert read.json()["id"] == int(url.rsplit("/", 1)[1])

        saved = send(api, "patch", url, change, etag)
        assert saved.status_code == 200, (url, saved.content)
        assert api.get(url)["ETag"] == saved["ETag"] != etag

        stale = send(api, "patch", url, change, etag)
        assert stale.status_code == 412, url
        assert stale.json()["code"] == "stale_version"
        assert send(api, "delete", url, None, etag).status_code == 412, url


def test_outsiders_and_unknown_ids_get_404(client, personas, records):
    client.force_login(personas.outsider)
    url = next(iter(records))
    assert client.get(url).status_code == 404
    client.force_login(personas.coordinator)
    assert client.get(url.rsplit("/", 1)[0] + "/999999").status_code == 404
