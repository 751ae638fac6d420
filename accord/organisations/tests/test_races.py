"""Two people at once on the directory (PostgreSQL): nothing lost, nothing doubled.

The same contacts file imported twice at once yields its rows once; two edits of different fields of
one record both survive; two edits from the same version: the second is refused, not saved over.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.accounts.choices import Role
from accord.accounts.models import User
from accord.core.concurrency import StaleVersion
from accord.organisations import services
from accord.organisations.models import Contact, Organisation, OrganisationalUnit
from accord.organisations.transfer import ImportFailed, import_file
from accord.testing.factories import make_contact, make_organisation, make_unit, make_user
from accord.testing.races import race, require_parallel_database

pytestmark = pytest.mark.django_db(transaction=True)

TRIES = 30
CONTACT_HEADER = "organisation,given_name,family_name,email,phone,role,unit_code,visibility"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _contacts_file(schac: str, rows: int = 5) -> bytes:
    lines = [CONTACT_HEADER] + [
        f"{schac},Person,Number{row},person{row}@{schac},,,,public" for row in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def _organisation_with_coordinator(number: int, prefix: str):
    schac = f"{prefix}{number}.example.edu"
    organisation = make_organisation(name=f"{prefix} {number}", schac_code=schac)
    coordinator = make_user(f"{prefix}{number}", organisation=organisation, role=Role.COORDINATOR)
    return organisation, coordinator, schac


def _duplicated(organisation: Organisation) -> int:
    emails = list(Contact.objects.filter(organisation=organisation).values_list("email", flat=True))
    return len(emails) - len({email.lower() for email in emails})


def _import_twice(number: int, mode: str) -> tuple[Organisation, list]:
    organisation, coordinator, schac = _organisation_with_coordinator(number, f"twice-{mode}")
    data = _contacts_file(schac)
    outcomes = race(
        lambda: import_file(data, target="contacts", mode=mode, actor=coordinator),
        lambda: import_file(data, target="contacts", mode=mode, actor=coordinator),
    )
    return organisation, outcomes


def _import_twice_over_http(number: int) -> tuple[Organisation, list]:
    organisation, coordinator, schac = _organisation_with_coordinator(number, "http")
    data = _contacts_file(schac)

    def upload() -> int:
        client = Client()
        client.force_login(coordinator)
        upload = SimpleUploadedFile("contacts.csv", data, content_type="text/csv")
        return client.post("/api/v1/organisations/import", {"file": upload, "target": "contacts"}).status_code

    return organisation, race(upload, upload)


def test_the_same_contacts_file_imported_twice_at_once_yields_its_rows_once():
    require_parallel_database()
    doubled = 0
    for number in range(TRIES):
        organisation, outcomes = _import_twice(number, "create")
        if _duplicated(organisation):
            doubled += 1
            continue
        assert Contact.objects.filter(organisation=organisation).count() == 5
        assert sorted(outcome.ok for outcome in outcomes) == [False, True]
        refused = next(outcome.error for outcome in outcomes if not outcome.ok)
        assert isinstance(refused, ImportFailed), refused
        assert all("already has a contact" in problem.message for problem in refused.problems)
    assert doubled == 0, f"contacts were doubled in {doubled} of {TRIES} tries"


def test_the_same_contacts_file_upserted_twice_at_once_creates_once_and_updates_once():
    require_parallel_database()
    doubled = 0
    for number in range(TRIES):
        organisation, outcomes = _import_twice(number, "upsert")
        if _duplicated(organisation):
            doubled += 1
            continue
        assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
        counts = sorted((outcome.value.created, outcome.value.updated) for outcome in outcomes)
        assert counts == [(0, 5), (5, 0)]
    assert doubled == 0, f"contacts were doubled in {doubled} of {TRIES} tries"


def test_the_same_contacts_file_imported_twice_at_once_over_http_yields_its_rows_once():
    require_parallel_database()
    doubled = 0
    for number in range(TRIES):
        organisation, outcomes = _import_twice_over_http(number)
        assert all(outcome.ok and outcome.value == 202 for outcome in outcomes), outcomes
        if _duplicated(organisation):
            doubled += 1
        else:
            assert Contact.objects.filter(organisation=organisation).count() == 5
    assert doubled == 0, f"contacts were doubled in {doubled} of {TRIES} tries"


def _edit_contact(actor_id: int, contact_id: int, **data):
    actor = User.objects.get(pk=actor_id)
    contact = Contact.objects.get(pk=contact_id)
    return services.contact_update(actor=actor, contact=contact, **data)


def _edit_unit(actor_id: int, unit_id: int, **data):
    actor = User.objects.get(pk=actor_id)
    unit = OrganisationalUnit.objects.get(pk=unit_id)
    return services.unit_update(actor=actor, unit=unit, **data)


def _edit_organisation(actor_id: int, organisation_id: int, **data):
    actor = User.objects.get(pk=actor_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    return services.organisation_update(actor=actor, organisation=organisation, **data)


def _contact_fields_lost(organisation, coordinator, number: int) -> bool:
    contact = make_contact(organisation, position="Officer")
    outcomes = race(
        lambda: _edit_contact(coordinator.pk, contact.pk, position=f"Head {number}"),
        lambda: _edit_contact(coordinator.pk, contact.pk, phone="+48 22 123 45 67"),
    )
    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes]
    contact.refresh_from_db()
    return (contact.position, contact.phone) != (f"Head {number}", "+48221234567")


def test_two_edits_of_different_fields_of_one_contact_both_survive():
    require_parallel_database()
    organisation, coordinator, _schac = _organisation_with_coordinator(0, "fields")
    lost = sum(_contact_fields_lost(organisation, coordinator, number) for number in range(TRIES))
    assert lost == 0, f"an edit was lost in {lost} of {TRIES} tries"


def _unit_or_profile_fields_lost(organisation, coordinator, admin, number: int) -> bool:
    unit = make_unit(organisation, name=f"Faculty {number}")
    race(
        lambda: _edit_unit(coordinator.pk, unit.pk, code=f"F{number}"),
        lambda: _edit_unit(coordinator.pk, unit.pk, website="https://faculty.example.edu/"),
        lambda: _edit_organisation(admin.pk, organisation.pk, mission=f"Mission {number}"),
        lambda: _edit_organisation(admin.pk, organisation.pk, offers=f"Offers {number}"),
    )
    unit.refresh_from_db()
    organisation.refresh_from_db()
    return (unit.code, unit.website, organisation.mission, organisation.offers) != (
        f"F{number}",
        "https://faculty.example.edu/",
        f"Mission {number}",
        f"Offers {number}",
    )


def test_two_edits_of_different_fields_of_one_unit_and_one_profile_both_survive():
    require_parallel_database()
    organisation, coordinator, _schac = _organisation_with_coordinator(0, "units")
    admin = make_user("units-admin", organisation=organisation, role=Role.ADMIN)
    lost = sum(
        _unit_or_profile_fields_lost(organisation, coordinator, admin, number) for number in range(TRIES)
    )
    assert lost == 0, f"an edit was lost in {lost} of {TRIES} tries"


def _patch_contact(coordinator, contact, data: dict, if_match: str | None = None) -> int:
    client = Client()
    client.force_login(coordinator)
    headers = {"If-Match": if_match} if if_match else {}
    url = f"/api/v1/organisations/{contact.organisation_id}/contacts/{contact.pk}"
    return client.patch(url, data, content_type="application/json", headers=headers).status_code


def _patched_fields_lost(organisation, coordinator, number: int) -> bool:
    contact = make_contact(organisation, position="Officer")
    outcomes = race(
        lambda: _patch_contact(coordinator, contact, {"position": f"Head {number}"}),
        lambda: _patch_contact(coordinator, contact, {"given_name": "Grace"}),
    )
    assert [outcome.value for outcome in outcomes] == [200, 200], outcomes
    contact.refresh_from_db()
    return (contact.position, contact.given_name) != (f"Head {number}", "Grace")


def test_two_patches_of_different_fields_of_one_contact_over_http_both_survive():
    require_parallel_database()
    organisation, coordinator, _schac = _organisation_with_coordinator(0, "patch")
    lost = sum(_patched_fields_lost(organisation, coordinator, number) for number in range(TRIES))
    assert lost == 0, f"an edit was lost in {lost} of {TRIES} tries"


def _same_version_twice(organisation, coordinator) -> None:
    contact = make_contact(organisation, position="Officer")
    outcomes = race(
        lambda: _edit_contact(coordinator.pk, contact.pk, position="Mine", expected_version=1),
        lambda: _edit_contact(coordinator.pk, contact.pk, position="Theirs", expected_version=1),
    )
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    refused = next(outcome for outcome in outcomes if not outcome.ok).error
    assert isinstance(refused, StaleVersion)
    saved = next(outcome for outcome in outcomes if outcome.ok).value
    contact.refresh_from_db()
    assert (contact.position, contact.version) == (saved.position, 2)
    assert refused.theirs == {"position": saved.position}


def test_two_edits_from_the_same_version_save_one_and_refuse_the_other():
    require_parallel_database()
    organisation, coordinator, _schac = _organisation_with_coordinator(0, "stale")
    for _number in range(TRIES):
        _same_version_twice(organisation, coordinator)


def _same_etag_twice(organisation, coordinator) -> list:
    contact = make_contact(organisation, position="Officer")
    tag = f'"contact-{contact.pk}-v1"'
    outcomes = race(
        lambda: _patch_contact(coordinator, contact, {"position": "Mine"}, tag),
        lambda: _patch_contact(coordinator, contact, {"position": "Theirs"}, tag),
    )
    return sorted(outcome.value for outcome in outcomes)


def test_two_patches_with_the_same_etag_over_http_save_one_and_answer_412_to_the_other():
    require_parallel_database()
    organisation, coordinator, _schac = _organisation_with_coordinator(0, "etag")
    for _number in range(TRIES):
        assert _same_etag_twice(organisation, coordinator) == [200, 412]


def _organisations_file(number: int) -> bytes:
    lines = ["kind,name,schac_code,country_code"] + [
        f"hei,Twin University {number}-{row},twin{number}-{row}.example.edu,PL" for row in range(5)
    ]
    return ("\n".join(lines) + "\n").encode()


def _organisations_imported_twice(number: int, staff) -> list:
    data = _organisations_file(number)
    return race(
        lambda: import_file(data, target="organisations", actor=staff),
        lambda: import_file(data, target="organisations", actor=staff),
    )


def test_the_same_organisations_file_imported_twice_at_once_is_refused_with_a_report():
    require_parallel_database()
    staff = make_user("race-staff", is_staff=True)
    crashed = 0
    for number in range(TRIES):
        outcomes = _organisations_imported_twice(number, staff)
        assert Organisation.objects.filter(schac_code__startswith=f"twin{number}-").count() == 5
        assert sorted(outcome.ok for outcome in outcomes) == [False, True]
        refused = next(outcome.error for outcome in outcomes if not outcome.ok)
        if not isinstance(refused, ImportFailed):
            crashed += 1
    assert crashed == 0, f"the second import crashed instead of reporting in {crashed} of {TRIES} tries"
