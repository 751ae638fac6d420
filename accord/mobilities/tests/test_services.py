"""Mobilities through their services: creation and its checks, the state machine, learning agreements
(signatures bound to versions, roles, delegation, change proposals), dates and durations, and quotas."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from accord.agreements.usage import usage_for
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.mobilities import selectors, services
from accord.mobilities.choices import EventKind, MobilityStatus, VersionStatus
from accord.mobilities.models import AgreementVersion, Mobility, MobilityEvent, Signature
from accord.mobilities.services.rules import credit_rule_save
from accord.mobilities.tests.conftest import COMPONENTS, create, sign_all
from accord.testing.factories import make_user


def test_create_records_the_mobility_its_duration_and_first_transition(personas, agreement):
    mobility = create(personas, agreement)
    assert mobility.status == MobilityStatus.NOMINATED
    assert (mobility.duration_days, mobility.duration_months) == (153, Decimal("5.00"))
    assert list(mobility.transitions.values_list("from_status", "to_status")) == [("", "nominated")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"planned_start": date(2025, 9, 1), "academic_year": "2026/2027"}, "planned_start"),
        ({"planned_end": date(2029, 10, 1), "academic_year": "2026/2027"}, "planned_end"),
        ({"academic_year": "2030/2031"}, "academic_year"),
        ({"academic_year": "2026-27"}, "academic_year"),
        ({"planned_end": date(2026, 8, 1)}, "planned_end"),
        ({"condition_key": "nope"}, "condition_key"),
        ({"mobility_type": "staff_teaching"}, "participant_id"),
        ({"eqf_level": 9}, "eqf_level"),
        ({"isced_code": "0017"}, "isced_code"),
        ({"cefr_level": "D1"}, "cefr_level"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(personas, agreement, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        create(personas, agreement, **overrides)
    assert field in caught.value.errors
    assert not Mobility.objects.exists()


def test_only_the_sending_side_creates_and_a_nomination_makes_one_mobility(personas, agreement):
    with pytest.raises(PermissionDenied):
        create(personas, agreement, actor=personas.partner)
    mobility = create(personas, agreement, source="nomination", source_id=7, accepted=True)
    assert mobility.status == MobilityStatus.ACCEPTED
    with pytest.raises(ValidationFailed) as caught:
        create(personas, agreement, source="nomination", source_id=7, accepted=True)
    assert "source_id" in caught.value.errors


def test_the_state_machine_refuses_moves_it_does_not_list(personas, mobility):
    with pytest.raises(ValidationFailed):
        services.mobility_transition(actor=personas.coordinator, mobility=mobility, to_status="ongoing")
    with pytest.raises(Conflict, match="allowed next"):
        services.mobility_transition(actor=personas.partner, mobility=mobility, to_status="accepted")
    with pytest.raises(ValidationFailed) as caught:
        services.mobility_transition(actor=personas.coordinator, mobility=mobility, to_status="cancelled")
    assert "reason" in caught.value.errors
    services.mobility_transition(
        actor=personas.coordinator, mobility=mobility, to_status="cancelled", reason="Illness"
    )
    assert mobility.transitions.last().reason == "Illness"


def test_only_the_receiver_accepts(personas, agreement):
    mobility = create(personas, agreement)
    with pytest.raises(PermissionDenied):
        services.mobility_transition(actor=personas.coordinator, mobility=mobility, to_status="accepted")


def test_three_signatures_approve_a_version_and_move_the_mobility(personas, mobility, approved):
    assert mobility.status == MobilityStatus.LA_APPROVED
    approved.refresh_from_db()
    assert approved.status == VersionStatus.APPROVED
    assert mobility.planned_credits == Decimal(30)
    agreement = mobility.learning_agreement
    assert agreement.first_approved_version == approved == agreement.approved_version
    assert set(Signature.objects.values_list("role", "components_hash")) == {
        (role, approved.components_hash) for role in ("student", "sending", "receiving")
    }


def test_signing_a_superseded_version_or_another_text_is_refused(personas, mobility):
    first = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    second = services.la_propose(
        actor=personas.student, mobility=mobility, components=COMPONENTS[:1] + COMPONENTS[2:], base_version=1
    )
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    with pytest.raises(Conflict) as caught:
        services.la_sign(
            actor=personas.student, mobility=mobility, version_number=1, components_hash=first.components_hash
        )
    assert caught.value.code == "stale_version"
    with pytest.raises(Conflict) as caught:
        services.la_sign(
            actor=personas.student, mobility=mobility, version_number=2, components_hash=first.components_hash
        )
    assert caught.value.code == "hash_mismatch"
    with pytest.raises(Conflict) as caught:
        services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS, base_version=1)
    assert caught.value.code == "stale_version"
    assert second.number == 2 and not Signature.objects.exists()


@pytest.mark.parametrize(
    "signer", ["teacher", "viewer", "outsider", "platform_admin", "admin_of_partner_as_sending"]
)
def test_a_signer_without_the_role_is_refused(personas, mobility, signer):
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    actor, role = (
        personas.by_name(signer) if signer != "admin_of_partner_as_sending" else personas.partner,
        None,
    )
    if signer == "admin_of_partner_as_sending":
        role = "sending"
    with pytest.raises((PermissionDenied, ValidationFailed)):
        services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=1,
            components_hash=version.components_hash,
            role=role,
        )
    assert not Signature.objects.exists()


def test_the_receiver_signs_last(personas, mobility):
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    with pytest.raises(Conflict) as caught:
        services.la_sign(
            actor=personas.partner,
            mobility=mobility,
            version_number=1,
            components_hash=version.components_hash,
        )
    assert caught.value.code == "signing_order"


def test_blocking_credit_rules_stop_the_sending_signature(personas, mobility):
    credit_rule_save(
        actor=personas.coordinator,
        organisation=personas.home,
        scope="students",
        kind="min_studied_total",
        value="31",
    )
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    services.la_sign(
        actor=personas.student, mobility=mobility, version_number=1, components_hash=version.components_hash
    )
    with pytest.raises(ValidationFailed) as caught:
        services.la_sign(
            actor=personas.coordinator,
            mobility=mobility,
            version_number=1,
            components_hash=version.components_hash,
        )
    assert "30 ECTS studied, at least 31 required" in caught.value.errors["credit_rules"][0]


def test_negative_credits_are_refused_with_the_path_and_a_sentence_naming_the_component(personas, mobility):
    bad = [{**COMPONENTS[0], "credits": "-3"}]
    with pytest.raises(ValidationFailed) as caught:
        services.la_propose(actor=personas.student, mobility=mobility, components=bad)
    assert caught.value.errors == {
        "components[0].credits": ["Component 1 (Bases de datos): The ECTS credits cannot be negative."]
    }
    assert not AgreementVersion.objects.exists()


def test_a_delegate_signs_for_the_receiver_and_it_is_logged(personas, mobility, partner_admin):
    from accord.accounts.choices import Role

    colleague = make_user("partner_teacher", organisation=personas.partner_org, role=Role.TEACHER)
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    for actor in (personas.student, personas.coordinator):
        services.la_sign(
            actor=actor, mobility=mobility, version_number=1, components_hash=version.components_hash
        )
    with pytest.raises(PermissionDenied):
        services.la_sign(
            actor=colleague, mobility=mobility, version_number=1, components_hash=version.components_hash
        )
    with pytest.raises(ValidationFailed):
        services.delegation_grant(
            actor=partner_admin, mobility=mobility, role="receiving", delegate=personas.teacher
        )
    delegation = services.delegation_grant(
        actor=partner_admin, mobility=mobility, role="receiving", delegate=colleague
    )
    signature = services.la_sign(
        actor=colleague, mobility=mobility, version_number=1, components_hash=version.components_hash
    )
    assert signature.delegation == delegation
    messages = list(
        MobilityEvent.objects.filter(kind__in=[EventKind.DELEGATED, EventKind.SIGNED]).values_list(
            "message", flat=True
        )
    )
    assert any("on behalf of partner_admin" in message for message in messages)
    services.delegation_revoke(actor=partner_admin, delegation=delegation)
    assert services.signing_roles(colleague, mobility) == {}


def test_changes_during_the_mobility_need_standard_reasons(personas, mobility, approved):
    changed = [
        COMPONENTS[0],
        {"ref": "c", "section": "studied", "title": "Compiladores", "credits": "24", "term": "1/2"},
        COMPONENTS[2],
    ]
    with pytest.raises(ValidationFailed) as caught:
        services.la_propose(actor=personas.student, mobility=mobility, components=changed)
    assert set(caught.value.errors) == {"changes.b", "changes.c"}
    version = services.la_propose(
        actor=personas.student,
        mobility=mobility,
        components=changed,
        reasons=[
            {"ref": "b", "reason_code": "timetable-conflict"},
            {"ref": "c", "reason_code": "substituting-deleted"},
        ],
    )
    assert [(c["ref"], c["status"]) for c in version.changes] == [("b", "deleted"), ("c", "inserted")]
    services.la_comment(
        actor=personas.partner, mobility=mobility, version_number=2, text="Compiladores is full"
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.COMMENTED
    third = services.la_propose(
        actor=personas.student,
        mobility=mobility,
        components=[*changed[:1], {**changed[1], "ref": "d", "title": "Sistemas"}, changed[2]],
        reasons=[{"ref": "d", "reason_code": "substituting-deleted"}],
    )
    sign_all(personas, mobility, third)
    lines = selectors.version_diff(agreement=mobility.learning_agreement, old=1, new=3)
    assert [(line.kind, line.label) for line in lines] == [("removed", "RD2 Redes"), ("added", "Sistemas")]
    # The first approved version stays EWP's first version; the approved one moved on.
    mobility.learning_agreement.refresh_from_db()
    assert mobility.learning_agreement.first_approved_version == approved
    assert mobility.learning_agreement.approved_version == third


def test_arrival_and_departure_recompute_the_duration_and_move_the_mobility(personas, mobility, approved):
    with pytest.raises(PermissionDenied):
        services.mobility_record_dates(
            actor=personas.coordinator, mobility=mobility, actual_start=date(2026, 9, 15)
        )
    services.mobility_record_dates(actor=personas.partner, mobility=mobility, actual_start=date(2026, 9, 15))
    assert mobility.status == MobilityStatus.ONGOING
    assert (mobility.duration_months, mobility.duration_days) == (Decimal("4.53"), 139)
    with pytest.raises(ValidationFailed) as caught:
        services.mobility_record_dates(
            actor=personas.partner,
            mobility=mobility,
            actual_start=date(2026, 9, 15),
            actual_end=date(2029, 10, 1),
        )
    assert "actual_end" in caught.value.errors
    services.mobility_record_dates(
        actor=personas.partner,
        mobility=mobility,
        actual_start=date(2026, 9, 15),
        actual_end=date(2027, 2, 14),
    )
    assert (mobility.status, mobility.duration_months, mobility.duration_days) == (
        "completed",
        Decimal("5.00"),
        153,
    )


def test_arrival_waits_for_an_approved_agreement(personas, mobility):
    with pytest.raises(ValidationFailed) as caught:
        services.mobility_record_dates(
            actor=personas.partner, mobility=mobility, actual_start=date(2026, 9, 1)
        )
    assert "actual_start" in caught.value.errors


def test_mobilities_feed_the_agreement_quota_view(personas, agreement, mobility):
    create(personas, agreement, planned_start=date(2027, 2, 1), planned_end=date(2027, 6, 30))
    cancelled = create(personas, agreement)
    services.mobility_transition(
        actor=personas.coordinator, mobility=cancelled, to_status="cancelled", reason="x"
    )
    usage = usage_for(agreement)[("c1", "2026/2027")]
    assert usage.mobilities == 2
    assert usage.months == Decimal("10.00")
    assert usage.days == Decimal(153 + 150)


def test_each_step_that_waits_on_someone_sends_mail(personas, agreement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mobility = create(personas, agreement)
    assert mail.outbox[-1].to == ["partner@example.org"] and "please accept" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.mobility_transition(actor=personas.partner, mobility=mobility, to_status="accepted")
        version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    asked = {m.to[0] for m in mail.outbox if "awaits your signature" in m.subject}
    assert asked == {"student@example.org", "admin@example.org", "coordinator@example.org"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for actor in (personas.student, personas.coordinator):
            services.la_sign(
                actor=actor, mobility=mobility, version_number=1, components_hash=version.components_hash
            )
    assert mail.outbox[-1].to == ["partner@example.org"]
    assert "awaits your signature" in mail.outbox[-1].subject


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("platform_admin", True),
        ("admin", True),
        ("coordinator", True),
        ("teacher", True),
        ("viewer", True),
        ("student", True),
        ("partner", True),
        ("outsider", False),
    ],
)
def test_who_sees_a_mobility(personas, mobility, persona, sees):
    user = personas.by_name(persona)
    assert Mobility.objects.for_user(user).filter(pk=mobility.pk).exists() is sees
