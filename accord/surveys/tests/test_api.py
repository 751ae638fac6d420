"""The surveys API: ETag and If-Match on templates and schedules, aggregates only, and scoping."""

from accord.surveys import services
from accord.surveys.choices import Phase
from accord.surveys.models import Survey

API = "/api/v1/surveys"


def send(client, method: str, url: str, data=None, **headers):
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_a_template_is_read_with_an_etag_and_changed_with_if_match(client, personas):
    template = services.template_create(
        actor=personas.coordinator, organisation=personas.home, name="Ours", audience="staff", phase="post"
    )
    client.force_login(personas.coordinator)
    url = f"{API}/templates/{template.pk}"
    read = client.get(url)
    assert read.status_code == 200 and read["ETag"]
    changed = send(client, "patch", url, {"name": "Ours, v2"}, **{"If-Match": read["ETag"]})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = send(client, "patch", url, {"name": "Late"}, **{"If-Match": read["ETag"]})
    assert stale.status_code == 412
    assert stale.json()["current"]["name"] == "Ours, v2"
    bad = send(client, "patch", url, {"items": ["gc.nope"]})
    assert bad.status_code == 422 and "not questions of the bank" in bad.json()["message"]


def test_the_schedule_and_results_of_a_round(client, answered, personas):
    survey = Survey.objects.get(template__phase=Phase.POST)
    client.force_login(personas.coordinator)
    url = f"{API}/{survey.pk}"
    read = client.get(url)
    updated = send(client, "patch", url, {"max_reminders": 1}, **{"If-Match": read["ETag"]})
    assert updated.status_code == 200 and updated.json()["max_reminders"] == 1
    results = client.get(f"{url}/results").json()
    assert results["respondents"] == 6 and results["needed"] == 0
    assert results["cohort"]["dimensions"][0]["change"]["mean_change"] == 1.5
    assert "user" not in str(results) and answered.students[0].email not in str(results)
    cohort = client.get(f"{API}/cohort", {"partnership_id": answered.partnership.pk}).json()
    assert cohort["pairs"] == 6


def test_others_see_neither_rounds_nor_the_cohort(client, answered, personas):
    survey = Survey.objects.first()
    client.force_login(personas.outsider)
    assert client.get(f"{API}/{survey.pk}").status_code == 404
    assert client.get(f"{API}/{survey.pk}/results").status_code == 404
    assert client.get(f"{API}/").json() == []
    assert client.get(f"{API}/cohort").json()["pairs"] == 0
    client.force_login(personas.teacher)
    assert send(client, "patch", f"{API}/{survey.pk}", {"max_reminders": 0}).status_code == 404
