"""Answers cannot be traced to people: no relation leads from a response to a person, results are
aggregates of five or more, open answers carry no name, and the coordinator's pages show no one."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from accord.surveys.choices import Phase
from accord.surveys.models import Invitation, PairLink, Response, Survey
from accord.surveys.selectors.results import round_results


def _related_models(model) -> set:
    return {field.related_model for field in model._meta.get_fields() if field.is_relation}


def test_no_relation_leads_from_a_response_or_a_pair_link_to_a_person():
    """A response relates to its round only; a pair link to nothing. From the round, the one way to
    people is its invitations, and they hold no key of a response (checked below): a response's
    round is shared by everyone asked, so it names no one."""
    assert _related_models(Response) == {Survey}
    assert _related_models(PairLink) == set()
    assert {f.name for f in Response._meta.get_fields()} == {
        "id",
        "survey",
        "pseudonym",
        "scores",
        "texts",
        "submitted_on",
    }
    assert {f.name for f in PairLink._meta.get_fields()} == {"id", "key", "phase", "pseudonym"}
    people = [
        field.name
        for field in Survey._meta.get_fields()
        if field.is_relation and field.related_model is get_user_model()
    ]
    assert people == ["updated_by"]  # who last edited the schedule, a coordinator


def test_no_model_points_at_a_response():
    pointing = [
        (model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Response
    ]
    assert pointing == []


def test_invitations_keep_who_was_asked_and_not_what_they_said(answered):
    names = {f.name for f in Invitation._meta.get_fields()}
    assert not names & {"response", "scores", "texts", "pseudonym"}


def test_below_five_respondents_nothing_but_counts_is_shown(cohort):
    cohort.start(4).answer(Phase.PRE, [1, 2, 3, 4], texts={"open.hopes": "To learn Spanish"})
    survey = cohort.invitation(cohort.students[0], Phase.PRE).survey
    result = round_results(survey)
    assert (result.respondents, result.needed) == (4, 1)
    assert result.items == [] and result.open_answers == []
    assert all(dimension.change is None for dimension in result.cohort.dimensions)


def test_open_answers_are_listed_without_names_in_pseudonym_order(answered, client, personas):
    cohort = answered
    cohort.start(5)
    for index, student in enumerate(cohort.students[6:]):
        from accord.surveys import services

        services.response_submit(
            actor=student,
            invitation=cohort.invitation(student, Phase.PRE),
            scores={"gc.act.1": 3},
            texts={"open.hopes": f"Hope number {index}"},
        )
    survey = cohort.invitation(cohort.students[0], Phase.PRE).survey
    client.force_login(personas.coordinator)
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    for number in range(5):
        assert f"Hope number {number}" in page
    for student in cohort.students:
        assert student.username not in page
        assert student.email not in page
    texts = [t for t in Response.objects.order_by("pseudonym").values_list("texts", flat=True) if t]
    order = [t["open.hopes"] for t in texts]
    assert [group.answers for group in round_results(survey).open_answers] == [order]


@pytest.mark.parametrize("persona", ["teacher", "viewer", "student", "partner", "outsider"])
def test_only_the_institutions_coordinators_see_a_rounds_results(answered, client, personas, persona):
    survey = answered.invitation(answered.students[0], Phase.POST).survey
    client.force_login(personas.by_name(persona))
    assert client.get(f"/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/surveys/{survey.pk}/results.csv").status_code == 404
