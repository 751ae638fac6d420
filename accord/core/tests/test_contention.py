"""A write that lost a race to a concurrent one is a conflict with a sentence, never a server error."""

import pytest
from django.db import IntegrityError, OperationalError, transaction

from accord.core.contention import is_contention
from accord.core.models import IdempotentRequest

pytestmark = pytest.mark.django_db


def _error_of(action) -> Exception:
    try:
        with transaction.atomic():
            action()
    except (IntegrityError, OperationalError) as error:
        return error
    raise AssertionError("the database accepted it")


def _row(**fields):
    return IdempotentRequest.objects.create(
        **{"scope": "s", "key": "k", "method": "POST", "path": "/", "body_digest": "d", **fields}
    )


def test_a_duplicate_a_concurrent_insert_won_is_contention():
    _row()
    assert is_contention(_error_of(_row))


def test_other_integrity_errors_are_faults_not_conflicts():
    assert not is_contention(_error_of(lambda: _row(method=None)))


def test_api_answers_409_when_a_unique_constraint_refuses_the_write(client, personas, monkeypatch):
    from accord.partnerships import services

    def lost_the_race(**kwargs):
        _row()
        _row()

    monkeypatch.setattr(services, "partnership_create", lost_the_race)
    client.force_login(personas.coordinator)
    response = client.post(
        "/api/v1/partnerships/",
        {
            "title": "Race",
            "model": "double_degree",
            "members": [{"organisation_id": personas.home.pk, "role": "coordinator"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "message": "Someone saved a change to the same data at the same moment, so yours was not saved. "
        "Reload the page to see what is there now, then try again.",
    }
