"""With a broker configured, jobs leave the web process and run on a Celery worker via Redis.

A real worker (in a thread) and the real Redis server on this machine: no mocks of the queue.
"""

import os
import socket
import time
import uuid
from urllib.parse import urlparse

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from accord.celery import app
from accord.core.jobs import job_enqueue, job_handler
from accord.core.models import Job
from accord.testing.factories import make_user

REDIS_URL = os.environ.get("ACCORD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
worker_threads: list[str] = []


def redis_reachable() -> bool:
    address = urlparse(REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@job_handler("test.on_worker")
def note_worker(job, progress):
    import threading

    worker_threads.append(threading.current_thread().name)
    progress.update(1, 2, "half way")
    return {"ran_on": threading.current_thread().name}


def forget_broker_connections() -> None:
    """Even eager calls open a producer, which caches the broker pool and queue routing of the
    configuration in force then; drop them so the next send uses the configuration set now."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.__dict__.pop("amqp", None)
    # kombu's process-wide producer pools would otherwise stay closed for every later test.
    kombu.pools.reset()


@pytest.fixture
def redis_broker():
    if not redis_reachable():
        pytest.skip(f"No Redis at {REDIS_URL}; set ACCORD_TEST_REDIS_URL to run this test.")
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    previous = {key: app.conf[key] for key in keys}
    # A queue of its own, so that concurrent test runs sharing this Redis never take each other's tasks.
    queue = f"accord-test-{uuid.uuid4().hex}"
    app.conf.update(
        broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False, task_default_queue=queue
    )
    forget_broker_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]):
            yield
    finally:
        app.conf.update(previous)
        forget_broker_connections()


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_on_a_worker_through_redis(redis_broker):
    import threading

    owner = make_user()
    with transaction.atomic():
        job = job_enqueue(owner=owner, kind="test.on_worker", label="Remote", payload={})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_done:
            break
        time.sleep(0.1)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["ran_on"] != threading.current_thread().name
    assert worker_threads
