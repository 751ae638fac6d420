"""The optimistic-version convention of accord.core.concurrency, on a real versioned model."""

import pytest
from django.db import transaction

from accord.core.concurrency import StaleVersion, etag, lock, save_changes, version_from_if_match
from accord.core.errors import ValidationFailed
from accord.organisations.models import Organisation
from accord.testing.factories import make_organisation, make_unit

pytestmark = pytest.mark.django_db


def test_a_save_writes_only_what_changed_and_counts_the_version(personas):
    organisation = make_organisation(name="Before", website="https://before.example.org")
    stale_copy = Organisation.objects.get(pk=organisation.pk)
    with transaction.atomic():
        changed = save_changes(organisation, {"name": "After"}, actor=personas.admin)

    # A copy read before that write changes another field: the name it never read survives.
    with transaction.atomic():
        save_changes(stale_copy, {"website": "https://after.example.org"}, actor=personas.coordinator)

    saved = Organisation.objects.get(pk=organisation.pk)
    assert changed == ["name"]
    assert (saved.name, saved.website, saved.version) == ("After", "https://after.example.org", 3)
    assert saved.updated_by == personas.coordinator
    with transaction.atomic():
        assert save_changes(saved, {"name": "After"}, actor=personas.admin) == []
    assert Organisation.objects.get(pk=organisation.pk).version == 3


def test_a_stale_version_is_refused_with_who_changed_what_and_nothing_is_written(personas):
    organisation = make_organisation(name="Before")
    with transaction.atomic():
        save_changes(organisation, {"name": "Theirs"}, actor=personas.admin, expected_version=1)

    with pytest.raises(StaleVersion) as caught, transaction.atomic():
        save_changes(organisation, {"name": "Mine"}, actor=personas.coordinator, expected_version=1)

    assert caught.value.http_status == 412
    assert caught.value.theirs == {"name": "Theirs"}
    assert str(personas.admin) in caught.value.message
    assert caught.value.as_dict()["current_version"] == 2
    assert Organisation.objects.get(pk=organisation.pk).name == "Theirs"


def test_if_match_names_a_version_of_this_record_or_is_refused():
    organisation = make_organisation()
    current = etag(organisation)
    assert current == f'"organisation-{organisation.pk}-v1"'
    assert version_from_if_match(None, organisation) is None
    assert version_from_if_match("*", organisation) is None
    assert version_from_if_match(f"W/{current}", organisation) == 1
    assert version_from_if_match(f'"organisation-{organisation.pk}-v0", {current}', organisation) == 1
    organisation.version = 4
    assert version_from_if_match(current, organisation) == 1
    for malformed in ("v1", '"organisation-999999-v1"', '"organisation-1-vX"'):
        with pytest.raises(ValidationFailed) as caught:
            version_from_if_match(malformed, organisation)
        assert "If-Match" in caught.value.errors


def test_the_lock_reads_the_row_again_and_forgets_prefetched_relations():
    organisation = make_organisation(name="Read")
    make_unit(organisation, name="Old unit")
    loaded = Organisation.objects.prefetch_related("units").get(pk=organisation.pk)
    assert [unit.name for unit in loaded.units.all()] == ["Old unit"]
    Organisation.objects.filter(pk=organisation.pk).update(name="Committed meanwhile")
    make_unit(organisation, name="New unit")

    with transaction.atomic():
        lock(loaded)
        assert loaded.name == "Committed meanwhile"
        assert sorted(unit.name for unit in loaded.units.all()) == ["New unit", "Old unit"]
