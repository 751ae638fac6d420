"""Background jobs: run on commit, report progress, keep their result or error, never run twice."""

import pytest

from accord.core.errors import ValidationFailed
from accord.core.jobs import job_enqueue, job_handler, job_run
from accord.core.models import Job
from accord.testing.factories import make_user

pytestmark = pytest.mark.django_db

seen_progress: list[int] = []


@job_handler("test.count")
def count_to(job, progress):
    total = job.payload["n"]
    for done in range(1, total + 1):
        progress.update(done, total, f"{done} of {total}")
        seen_progress.append(Job.objects.get(pk=job.pk).progress)
    return {"counted": total}


@job_handler("test.refuse")
def refuse(job, progress):
    raise ValidationFailed({"row 3": "bad value"})


@job_handler("test.crash")
def crash(job, progress):
    raise RuntimeError("database exploded")


def test_a_job_runs_when_the_transaction_commits_and_keeps_its_result(django_capture_on_commit_callbacks):
    owner = make_user()
    seen_progress.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(owner=owner, kind="test.count", label="Count", payload={"n": 4})
        assert Job.objects.get(pk=job.pk).status == Job.Status.PENDING
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 4}
    assert job.progress == 100
    assert seen_progress == [25, 50, 75, 100]
    assert job.finished_at is not None


def test_a_refused_job_keeps_the_domain_error_for_the_user(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(owner=make_user(), kind="test.refuse", label="Refuse", payload={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Row 3: bad value"
    assert job.result["errors"] == {"row 3": ["bad value"]}


def test_a_crash_is_logged_and_the_user_gets_a_plain_message(django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(owner=make_user(), kind="test.crash", label="Crash", payload={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "database exploded" not in job.message
    assert "database exploded" in caplog.text


def test_a_finished_job_is_not_run_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(owner=make_user(), kind="test.count", label="Count", payload={"n": 2})
    Job.objects.filter(pk=job.pk).update(result={"counted": "kept"})
    job_run(str(job.pk))
    assert Job.objects.get(pk=job.pk).result == {"counted": "kept"}


def test_unknown_job_kind_is_refused():
    with pytest.raises(ValueError, match="No job handler"):
        job_enqueue(owner=make_user(), kind="nope", label="x", payload={})


def test_job_page_is_private_to_its_owner(client, django_capture_on_commit_callbacks):
    owner, other = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(owner=owner, kind="test.count", label="Counting sheep", payload={"n": 1})
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(owner)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert "Counting sheep" in page.content.decode()
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'value="100"' in fragment
