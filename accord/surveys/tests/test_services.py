"""Invitations follow participations, answers are checked and saved once, templates freeze."""

import datetime as dt

import pytest
from django.core import mail

from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.core.participation import ParticipationStarted
from accord.mobilities.events import MobilityStatusChanged
from accord.surveys import services
from accord.surveys.choices import Audience, Phase
from accord.surveys.models import Invitation, PairLink, Response, Survey, SurveyTemplate
from accord.surveys.tests.conftest import PERIOD, likert


def test_a_started_participation_invites_to_the_pre_survey_once_and_mails_in_the_persons_language(
    personas, cohort, django_capture_on_commit_callbacks
):
    personas.student.language = "fr"
    personas.student.save()
    cohort.students.append(personas.student)
    with django_capture_on_commit_callbacks(execute=True):
        publish(cohort.event(ParticipationStarted, personas.student, 1))
        publish(cohort.event(ParticipationStarted, personas.student, 1))
    invitation = Invitation.objects.get()
    assert invitation.survey.template.phase == Phase.PRE
    assert invitation.survey.partnership == cohort.partnership
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.student.email]
    # The message is written under the person's language (its French text arrives with the catalogues).
    assert invitation.language == "fr"
    assert invitation.token in mail.outbox[0].body


def test_an_accepted_mobility_brings_the_pre_survey_and_a_completed_one_the_post_survey(
    personas, partnership
):
    from accord.agreements import services as agreements
    from accord.mobilities import services as mobilities
    from accord.testing.factories import agreement_document, make_agreement

    agreement = make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )
    version = agreement.current_version
    agreements.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=version.number)
    agreements.agreement_approve(
        actor=personas.partner,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
    )
    mobility = mobilities.mobility_create(
        actor=personas.coordinator,
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year=PERIOD,
        planned_start=dt.date(2026, 9, 1),
        planned_end=dt.date(2027, 1, 31),
        agreement=agreement,
        condition_key="c1",
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    assert not Invitation.objects.exists()
    mobilities.mobility_transition(actor=personas.partner, mobility=mobility, to_status="accepted")
    pre = Invitation.objects.get()
    assert (pre.user, pre.source, pre.source_id) == (personas.student, "mobility", mobility.pk)
    assert (pre.survey.template.audience, pre.survey.template.phase) == (Audience.STUDENT, Phase.PRE)
    assert pre.survey.partnership_id == partnership.pk and pre.survey.period == PERIOD
    publish(MobilityStatusChanged(mobility, from_status="ongoing", to_status="completed"))
    post = Invitation.objects.exclude(pk=pre.pk).get()
    assert post.survey.template.phase == Phase.POST
    services.response_submit(actor=personas.student, invitation=pre, scores={"gc.act.1": 3}, texts={})
    publish(MobilityStatusChanged(mobility, from_status="ongoing", to_status="cancelled"))
    assert list(Invitation.objects.all()) == [pre]  # the unanswered one is withdrawn, the answered kept


def test_answers_are_saved_apart_from_the_person_and_paired_by_a_keyed_hash(answered):
    student = answered.students[0]
    assert Response.objects.count() == 12
    pre = answered.invitation(student, Phase.PRE)
    assert pre.answered_at is not None
    links = PairLink.objects.all()
    assert links.count() == 12
    assert {link.key for link in links}.isdisjoint({str(s.pk) for s in answered.students})
    assert len({link.key for link in links}) == 6


@pytest.mark.parametrize(
    ("scores", "field", "message"),
    [
        ({"gc.examine.1": 6}, "gc.examine.1", "from 1 to 5"),
        ({"gc.examine.1": 0}, "gc.examine.1", "from 1 to 5"),
        ({"gc.examine.1": "3"}, "gc.examine.1", "from 1 to 5"),
        ({"satisfaction.overall": 4}, "satisfaction.overall", "does not ask"),
        ({}, "__all__", "at least one question"),
    ],
)
def test_answers_off_the_scale_are_refused_and_nothing_is_saved(cohort, scores, field, message):
    cohort.start(1)
    student = cohort.students[0]
    invitation = cohort.invitation(student, Phase.PRE)
    with pytest.raises(ValidationFailed) as refused:
        services.response_submit(actor=student, invitation=invitation, scores=scores, texts={})
    assert message in refused.value.errors[field][0]
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_answering_twice_is_refused_politely(cohort):
    cohort.start(1).answer(Phase.PRE, [3])
    student = cohort.students[0]
    with pytest.raises(Conflict, match="already answered"):
        services.response_submit(
            actor=student,
            invitation=cohort.invitation(student, Phase.PRE),
            scores=likert(Phase.PRE, 4),
            texts={},
        )
    assert Response.objects.count() == 1


def test_only_the_invited_person_answers_an_invitation_with_an_account(personas, cohort):
    cohort.start(1)
    with pytest.raises(NotFound):
        services.response_submit(
            actor=personas.coordinator,
            invitation=cohort.invitation(cohort.students[0], Phase.PRE),
            scores=likert(Phase.PRE, 3),
            texts={},
        )


def test_a_closed_survey_takes_no_answers(cohort):
    cohort.start(1)
    invitation = cohort.invitation(cohort.students[0], Phase.PRE)
    Survey.objects.filter(pk=invitation.survey_id).update(closes_on=dt.date(2000, 1, 1))
    invitation.survey.refresh_from_db()
    with pytest.raises(Conflict, match="closed"):
        services.response_submit(
            actor=cohort.students[0], invitation=invitation, scores=likert(Phase.PRE, 3), texts={}
        )


def test_a_template_freezes_its_questions_once_answered_but_keeps_its_name_editable(personas, cohort):
    template = services.template_create(
        actor=personas.coordinator, organisation=personas.home, name="Ours", audience="student", phase="pre"
    )
    services.template_update(actor=personas.coordinator, template=template, items=["gc.act.1", "open.hopes"])
    cohort.start(1)
    invitation = cohort.invitation(cohort.students[0], Phase.PRE)
    assert invitation.survey.template == template
    services.response_submit(
        actor=cohort.students[0], invitation=invitation, scores={"gc.act.1": 4}, texts={}
    )
    with pytest.raises(Conflict, match="already answered these questions"):
        services.template_update(actor=personas.coordinator, template=template, items=["gc.act.2"])
    assert services.template_update(actor=personas.coordinator, template=template, name="Renamed") == ["name"]
    template.refresh_from_db()
    assert template.items == ["gc.act.1", "open.hopes"]


def test_template_edits_carry_their_version_and_need_a_coordinator(personas):
    template = services.template_create(
        actor=personas.coordinator, organisation=personas.home, name="Ours", audience="partner", phase="once"
    )
    services.template_update(actor=personas.admin, template=template, expected_version=1, name="Theirs")
    with pytest.raises(StaleVersion):
        services.template_update(
            actor=personas.coordinator, template=template, expected_version=1, name="Mine"
        )
    with pytest.raises(PermissionDenied):
        services.template_update(actor=personas.teacher, template=template, name="Teacher's")
    with pytest.raises(ValidationFailed, match="not questions of the bank"):
        services.template_update(actor=personas.coordinator, template=template, items=["gc.nope"])
    with pytest.raises(ValidationFailed):
        services.template_create(
            actor=personas.coordinator, organisation=personas.home, name="X", audience="partner", phase="pre"
        )


def test_a_schedule_edit_is_versioned_and_checked(personas, cohort):
    cohort.start(1)
    survey = Survey.objects.get()
    services.survey_update(actor=personas.coordinator, survey=survey, expected_version=1, max_reminders=3)
    with pytest.raises(StaleVersion):
        services.survey_update(actor=personas.admin, survey=survey, expected_version=1, max_reminders=1)
    with pytest.raises(ValidationFailed):
        services.survey_update(actor=personas.coordinator, survey=survey, reminder_every_days=0)
    with pytest.raises(PermissionDenied):
        services.survey_update(actor=personas.partner, survey=survey, max_reminders=0)


def test_reminders_go_at_the_interval_up_to_the_limit_and_a_second_run_sends_nothing(cohort, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC))
    cohort.start(2).answer(Phase.PRE, [3])
    mail.outbox.clear()
    today = dt.date(2027, 3, 1)
    assert services.reminders_send(today=today) == 1  # the one never sent (no commit in the test)
    assert services.reminders_send(today=today) == 0
    assert services.reminders_send(today=today + dt.timedelta(days=6)) == 0
    assert services.reminders_send(today=today + dt.timedelta(days=7)) == 1
    assert services.reminders_send(today=today + dt.timedelta(days=7)) == 0
    assert services.reminders_send(today=today + dt.timedelta(days=14)) == 1
    assert services.reminders_send(today=today + dt.timedelta(days=21)) == 0  # two reminders at most
    assert [m.subject.startswith("Accord: Reminder") for m in mail.outbox] == [False, True, True]


def test_partners_are_invited_by_address_and_answer_through_their_link(personas, partnership):
    template = services.template_create(
        actor=personas.coordinator,
        organisation=personas.home,
        name="Partners",
        audience="partner",
        phase="once",
    )
    survey = services.survey_open(
        actor=personas.coordinator,
        template=template,
        organisation=personas.home,
        partnership=partnership,
        period=PERIOD,
    )
    created = services.invitations_for_addresses(
        actor=personas.coordinator,
        survey=survey,
        addresses=["a@partner.example", "A@partner.example", "b@partner.example"],
    )
    assert sorted(i.email for i in created) == ["a@partner.example", "b@partner.example"]
    assert (
        services.invitations_for_addresses(
            actor=personas.coordinator, survey=survey, addresses=["a@partner.example"]
        )
        == []
    )
    with pytest.raises(ValidationFailed, match="not an e-mail address"):
        services.invitations_for_addresses(actor=personas.coordinator, survey=survey, addresses=["nope"])
    with pytest.raises(PermissionDenied):
        services.invitations_for_addresses(actor=personas.partner, survey=survey, addresses=["c@x.example"])
    from django.contrib.auth.models import AnonymousUser

    services.response_submit(
        actor=AnonymousUser(),
        invitation=created[0],
        scores={"cooperation.1": 5},
        texts={"open.other": "Merci"},
    )
    assert not PairLink.objects.exists()  # asked once: nothing to pair
    with pytest.raises(ValidationFailed, match="academic year"):
        services.survey_open(
            actor=personas.coordinator, template=template, organisation=personas.home, period="2026-27"
        )


def test_a_default_template_is_made_once_per_audience_and_phase(cohort):
    cohort.start(2).end()
    assert SurveyTemplate.objects.filter(organisation=None).count() == 2
    assert Survey.objects.count() == 2
