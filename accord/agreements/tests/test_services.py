"""The agreement lifecycle through the services: versions, sharing, approvals bound to hashes,
optimistic locking, renewal, termination, expiry, partner copies and notifications."""

import datetime as dt

import pytest

from accord.agreements import selectors, services
from accord.agreements.choices import AgreementStatus, EventKind
from accord.agreements.models import Agreement, AgreementApproval, AgreementVersion
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.testing.factories import agreement_document, make_contact, make_partnership, make_unit


@pytest.fixture
def partnership(personas):
    return make_partnership(personas.home, personas.partner_org)


@pytest.fixture
def contacts(personas):
    return [
        make_contact(personas.home, email="io@home.example.edu"),
        make_contact(personas.partner_org, email="io@partner.example.edu"),
    ]


@pytest.fixture
def agreement(personas, partnership, contacts):
    return services.agreement_create(
        actor=personas.coordinator,
        partnership=partnership,
        title="Computer science exchange",
        content=agreement_document(personas.home, personas.partner_org),
        contacts=contacts,
    )


def share_and_approve(personas, agreement):
    version = agreement.current_version
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=version.number)
    return services.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
    )


def test_create_writes_version_one_with_hashes_parties_and_event(personas, agreement):
    version = agreement.current_version
    assert version.number == 1
    assert len(version.conditions_hash) == 64
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.owner == personas.home
    assert [link.organisation for link in agreement.party_links.all()] == [
        personas.home,
        personas.partner_org,
    ]
    # hei-ids come from the directory when the document leaves them out.
    assert [partner["hei_id"] for partner in version.content["partners"]] == [
        "home.example.edu",
        "partner.example.edu",
    ]
    assert list(agreement.events.values_list("kind", flat=True)) == [EventKind.CREATED]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"subject_areas": [{"isced_code": "0199"}]}, "conditions[0].subject_areas[0].isced_code"),
        ({"eqf_levels": [9]}, "conditions[0].eqf_levels"),
        (
            {"language_skills": [{"language": "en", "cefr_level": "D1"}]},
            "conditions[0].language_skills[0].cefr_level",
        ),
        ({"mobilities_per_year": 0}, "conditions[0].mobilities_per_year"),
        ({"mobilities_per_year": -2}, "conditions[0].mobilities_per_year"),
        ({"last_academic_year": "2025/2026"}, "conditions[0].last_academic_year"),
    ],
)
def test_bad_conditions_name_the_field_and_save_nothing(personas, partnership, override, field):
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(
            actor=personas.coordinator,
            partnership=partnership,
            title="Bad",
            content=agreement_document(personas.home, personas.partner_org, **override),
        )
    assert field in refused.value.errors
    assert not Agreement.objects.exists()
    assert not AgreementVersion.objects.exists()


def test_an_organisation_cannot_partner_with_itself(personas, partnership):
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(
            actor=personas.coordinator,
            partnership=partnership,
            title="Self",
            content=agreement_document(personas.home, personas.home),
        )
    assert any(path.startswith("partners") for path in refused.value.errors)
    assert not Agreement.objects.exists()


def test_partners_must_be_partnership_members_and_units_their_own(personas, partnership):
    document = agreement_document(personas.home, personas.outsider_org)
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(
            actor=personas.coordinator, partnership=partnership, title="X", content=document
        )
    assert "partners[1].organisation_ref" in refused.value.errors

    foreign_unit = make_unit(personas.partner_org, name="Informatics")
    document = agreement_document(personas.home, personas.partner_org, sending_unit_ref=str(foreign_unit.pk))
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(
            actor=personas.coordinator, partnership=partnership, title="X", content=document
        )
    assert "conditions[0].sending_unit_ref" in refused.value.errors


def test_only_managers_of_a_member_draft(personas, partnership):
    for actor in (personas.teacher, personas.viewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.agreement_create(
                actor=actor,
                partnership=partnership,
                title="X",
                content=agreement_document(personas.home, personas.partner_org),
            )


def test_edit_makes_a_new_version_and_logs_the_changes(personas, agreement):
    document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=3)
    version = services.agreement_update(
        actor=personas.coordinator,
        agreement=agreement,
        content=document,
        base_version=1,
        summary="One more place",
    )
    assert version.number == 2
    assert agreement.current_version == version
    event = agreement.events.get(kind=EventKind.EDITED)
    assert [(change["path"], change["old"], change["new"]) for change in event.changes] == [
        ("conditions[0].mobilities_per_year", 2, 3)
    ]


def test_saving_the_same_content_makes_no_version(personas, agreement):
    document = agreement_document(personas.home, personas.partner_org)
    assert (
        services.agreement_update(actor=personas.coordinator, agreement=agreement, content=document) is None
    )
    assert agreement.versions.count() == 1


def test_second_save_from_a_stale_version_is_refused_with_what_changed(personas, agreement):
    services.agreement_update(
        actor=personas.admin,
        agreement=agreement,
        content=agreement_document(personas.home, personas.partner_org, mobilities_per_year=4),
        base_version=1,
    )
    with pytest.raises(Conflict) as refused:
        services.agreement_update(
            actor=personas.coordinator,
            agreement=agreement,
            content=agreement_document(personas.home, personas.partner_org, total_months_per_year="12"),
            base_version=1,
        )
    assert refused.value.code == "stale_version"
    assert "mobilities per year: 2 → 4" in refused.value.message
    assert "admin" in refused.value.message
    assert agreement.versions.count() == 2


def test_share_counts_as_owner_approval_and_partner_approval_brings_it_into_effect(
    personas, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    assert agreement.status == AgreementStatus.SHARED
    assert [message.to for message in mailoutbox] == [["io@partner.example.edu"]]
    assert agreement.current_version.conditions_hash in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_approve(
            actor=personas.partner,
            agreement=agreement,
            version_number=1,
            conditions_hash=agreement.current_version.conditions_hash.upper(),
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_EFFECT
    assert agreement.approved_version.number == 1
    assert agreement.ends_on == dt.date(2029, 8, 31)
    assert sorted(mailoutbox[-1].to + mailoutbox[-2].to) == ["io@home.example.edu", "io@partner.example.edu"]


def test_amendment_outdates_approvals_and_stale_approval_is_refused(personas, agreement):
    share_and_approve(personas, agreement)
    old_hash = agreement.current_version.conditions_hash
    services.agreement_update(
        actor=personas.coordinator,
        agreement=agreement,
        content=agreement_document(personas.home, personas.partner_org, eqf_levels=[7]),
        base_version=1,
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_EFFECT
    assert agreement.amendment_pending
    new_hash = agreement.current_version.conditions_hash
    assert new_hash != old_hash

    with pytest.raises(Conflict) as refused:
        services.agreement_approve(
            actor=personas.partner, agreement=agreement, version_number=2, conditions_hash=new_hash
        )
    assert refused.value.code == "not_shared"
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=2)
    with pytest.raises(Conflict) as refused:
        services.agreement_approve(
            actor=personas.partner, agreement=agreement, version_number=1, conditions_hash=old_hash
        )
    assert refused.value.code == "stale_version"
    with pytest.raises(Conflict) as refused:
        services.agreement_approve(
            actor=personas.partner, agreement=agreement, version_number=2, conditions_hash=old_hash
        )
    assert refused.value.code == "hash_mismatch"

    state = {
        party.organisation: party
        for party in selectors.approval_state(agreement=agreement, version=agreement.current_version)
    }
    assert state[personas.partner_org].outdated
    assert state[personas.home].current

    services.agreement_approve(
        actor=personas.partner, agreement=agreement, version_number=2, conditions_hash=new_hash
    )
    agreement.refresh_from_db()
    assert agreement.approved_version.number == 2
    assert not agreement.amendment_pending
    assert AgreementApproval.objects.filter(version__number=2).count() == 2


def test_approving_twice_or_for_another_organisation_is_refused(personas, agreement):
    share_and_approve(personas, agreement)
    version = agreement.current_version
    with pytest.raises(Conflict):
        services.agreement_approve(
            actor=personas.partner,
            agreement=agreement,
            version_number=1,
            conditions_hash=version.conditions_hash,
        )
    with pytest.raises(PermissionDenied):
        services.agreement_approve(
            actor=personas.partner,
            agreement=agreement,
            version_number=1,
            conditions_hash=version.conditions_hash,
            organisation=personas.home,
        )
    with pytest.raises(PermissionDenied):
        services.agreement_approve(
            actor=personas.outsider,
            agreement=agreement,
            version_number=1,
            conditions_hash=version.conditions_hash,
        )


def test_partners_cannot_edit_and_terminated_agreements_do_not_change(personas, agreement):
    document = agreement_document(personas.home, personas.partner_org, mobilities_per_year=5)
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=personas.partner, agreement=agreement, content=document)
    with pytest.raises(ValidationFailed):
        services.agreement_terminate(actor=personas.coordinator, agreement=agreement, reason="  ")
    services.agreement_terminate(actor=personas.coordinator, agreement=agreement, reason="Programme closed")
    with pytest.raises(Conflict):
        services.agreement_update(actor=personas.coordinator, agreement=agreement, content=document)
    assert agreement.versions.count() == 1


def test_condition_save_and_remove_edit_one_condition(personas, agreement):
    staff = {
        "mobility_type": "staff_teaching",
        "sending_partner": 1,
        "receiving_partner": 0,
        "first_academic_year": "2026/2027",
        "last_academic_year": "2027/2028",
        "mobilities_per_year": 1,
        "total_days_per_year": "5",
        "language_skills": [{"language": "pl", "cefr_level": "B1"}],
    }
    version = services.condition_save(
        actor=personas.coordinator, agreement=agreement, condition=staff, base_version=1
    )
    assert len(version.content["conditions"]) == 2
    key = version.content["conditions"][1]["key"]
    version = services.condition_remove(
        actor=personas.coordinator, agreement=agreement, key=key, base_version=2
    )
    assert [condition["key"] for condition in version.content["conditions"]] == ["c1"]
    with pytest.raises(ValidationFailed):
        services.condition_remove(actor=personas.coordinator, agreement=agreement, key="nope", base_version=3)


def test_renewal_moves_every_condition_to_the_new_years(personas, agreement):
    share_and_approve(personas, agreement)
    version = services.agreement_renew(
        actor=personas.coordinator,
        agreement=agreement,
        first_academic_year="2029/2030",
        last_academic_year="2031/2032",
        base_version=1,
    )
    condition = version.content["conditions"][0]
    assert (condition["first_academic_year"], condition["last_academic_year"]) == ("2029/2030", "2031/2032")
    assert condition["mobilities_per_year"] == 2
    event = agreement.events.get(kind=EventKind.RENEWED)
    assert {change["path"].split(".")[-1] for change in event.changes} == {
        "first_academic_year",
        "last_academic_year",
    }
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_renew(
            actor=personas.coordinator,
            agreement=agreement,
            first_academic_year="2031/2032",
            last_academic_year="2029/2030",
            base_version=2,
        )
    assert "last_academic_year" in refused.value.errors


def test_expiry_and_reminders_run_once(personas, agreement, mailoutbox, django_capture_on_commit_callbacks):
    share_and_approve(personas, agreement)
    agreement.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiry_reminders_send(today=dt.date(2029, 1, 1)) == 0
        assert services.expiry_reminders_send(today=dt.date(2029, 7, 1)) == 1
        assert services.expiry_reminders_send(today=dt.date(2029, 7, 1)) == 0
        assert services.expiry_reminders_send(today=dt.date(2029, 7, 15)) == 1
        assert services.expiry_reminders_send(today=dt.date(2029, 8, 1)) == 0
    reminders = [message for message in mailoutbox if "ends on" in message.subject]
    assert len(reminders) == 4  # two thresholds, two contacts
    assert services.agreements_expire(today=dt.date(2029, 8, 31)) == 0
    assert services.agreements_expire(today=dt.date(2029, 9, 1)) == 1
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED


def test_partner_copy_is_compared_by_content(personas, agreement):
    theirs = agreement_document(personas.home, personas.partner_org, key="their-key", mobilities_per_year=3)
    services.partner_copy_record(
        actor=personas.coordinator, agreement=agreement, organisation=personas.partner_org, content=theirs
    )
    comparison = selectors.partner_copy_comparison(
        user=personas.coordinator, agreement=agreement, organisation_id=personas.partner_org.pk
    )
    assert not comparison.same_conditions
    assert [line.text for line in comparison.lines] == [
        "Condition 1 (student studies, Home University → Partner University): mobilities per year: 2 → 3"
    ]


def test_partners_see_only_shared_versions_and_outsiders_nothing(personas, agreement):
    assert not Agreement.objects.for_user(personas.partner).exists()
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    services.agreement_update(
        actor=personas.coordinator,
        agreement=agreement,
        content=agreement_document(personas.home, personas.partner_org, mobilities_per_year=9),
    )
    assert list(Agreement.objects.for_user(personas.partner)) == [agreement]
    assert [v.number for v in selectors.visible_versions(user=personas.partner, agreement=agreement)] == [1]
    assert [v.number for v in selectors.visible_versions(user=personas.viewer, agreement=agreement)] == [2, 1]
    assert not Agreement.objects.for_user(personas.outsider).exists()
    assert not Agreement.objects.for_user(personas.student).exists()
    kinds = set(selectors.timeline(user=personas.partner, agreement=agreement).values_list("kind", flat=True))
    assert EventKind.EDITED not in kinds


def test_quota_view_counts_usage_from_registered_providers(personas, agreement):
    from accord.agreements.usage import Usage, _providers, register_usage_provider

    def provider(current):
        return {("c1", "2027/2028"): Usage(mobilities=3)} if current.pk == agreement.pk else {}

    register_usage_provider(provider)
    try:
        lines = selectors.quota_view(agreement=agreement)
    finally:
        _providers.remove(provider)
    assert [(line.academic_year, line.agreed_mobilities, line.used.mobilities) for line in lines] == [
        ("2026/2027", 2, 0),
        ("2027/2028", 2, 3),
        ("2028/2029", 2, 0),
    ]
    assert [line.over_quota for line in lines] == [False, True, False]
