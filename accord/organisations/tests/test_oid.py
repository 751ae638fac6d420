"""The Erasmus+ Organisation ID (OID): optional, validated, normalised, unique, and shown on the profile."""

import pytest

from accord.core.errors import ValidationFailed
from accord.organisations import services
from accord.organisations.identifiers import normalise_oid
from accord.testing.factories import make_organisation


@pytest.mark.parametrize(("typed", "stored"), [("E10208529", "E10208529"), (" e 1020 8529 ", "E10208529")])
def test_an_oid_is_normalised(typed, stored):
    assert normalise_oid(typed) == stored


@pytest.mark.parametrize("typed", ["10208529", "E1020852", "E102085290", "F10208529"])
def test_anything_else_is_refused_with_the_expected_shape(typed):
    with pytest.raises(ValueError, match="E and eight digits"):
        normalise_oid(typed)


@pytest.mark.django_db
def test_the_profile_shows_the_oid_and_a_wrong_one_is_named(client, personas):
    organisation = personas.home
    services.organisation_update(
        actor=personas.admin,
        organisation=organisation,
        oid="e10208529",
        expected_version=organisation.version,
    )
    organisation.refresh_from_db()
    assert organisation.oid == "E10208529"
    with pytest.raises(ValidationFailed) as caught:
        services.organisation_update(
            actor=personas.admin, organisation=organisation, oid="123", expected_version=organisation.version
        )
    assert "oid" in caught.value.errors
    client.force_login(personas.viewer)
    assert "E10208529" in client.get(f"/organisations/{organisation.pk}/").content.decode()
    assert make_organisation().oid is None
