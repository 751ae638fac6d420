"""The aggregates: distributions, the paired change per dimension, and the cohort selector other apps read."""

import pytest

from accord.surveys.bank import GLOBAL_COMPETENCE, LANGUAGE
from accord.surveys.choices import Phase
from accord.surveys.selectors.results import cohort_results, round_results


def test_the_paired_change_per_dimension_once_five_have_answered_both_times(answered):
    result = cohort_results(organisation_ids=[answered.personas.home.pk], period="2026/2027")
    assert (result.pre_respondents, result.post_respondents, result.pairs, result.needed) == (6, 6, 6, 0)
    assert [d.dimension for d in result.dimensions] == [*GLOBAL_COMPETENCE, LANGUAGE]
    for dimension in result.dimensions:
        change = dimension.change
        assert dimension.pairs == 6 and change is not None
        assert change.mean_pre == 2 and change.mean_post == 3.5
        assert change.mean_change == pytest.approx(1.5)
        assert change.ci_low < 1.5 < change.ci_high
        assert change.effect_size == pytest.approx(1.5 / (0.3**0.5))


def test_people_who_answered_only_once_are_not_paired(cohort):
    cohort.start(6).answer(Phase.PRE, [2] * 6).end()
    for student in cohort.students[:4]:
        from accord.surveys import services
        from accord.surveys.tests.conftest import likert

        services.response_submit(
            actor=student,
            invitation=cohort.invitation(student, Phase.POST),
            scores=likert(Phase.POST, 4),
            texts={},
        )
    result = cohort_results(partnership_id=cohort.partnership.pk)
    assert (result.pre_respondents, result.post_respondents, result.pairs, result.needed) == (6, 4, 4, 1)
    assert all(d.change is None and d.needed == 1 for d in result.dimensions)


def test_a_rounds_distribution_counts_each_answer(answered):
    survey = answered.invitation(answered.students[0], Phase.POST).survey
    result = round_results(survey)
    assert result.respondents == 6 and result.needed == 0 and result.invited == 6
    first = result.items[0]
    assert first.counts == (0, 0, 3, 3, 0)
    assert [share for _anchor, _count, share in first.shares] == [0, 0, 50, 50, 0]
    assert first.mean == 3.5


def test_cohorts_are_kept_apart_by_institution_partnership_and_year(answered, personas):
    assert cohort_results(organisation_ids=[personas.partner_org.pk]).pairs == 0
    assert cohort_results(period="2025/2026").pairs == 0
    assert cohort_results(without_partnership=True).pairs == 0
    assert cohort_results(partnership_id=answered.partnership.pk, period="2026/2027").pairs == 6


def test_the_cohort_selector_runs_three_queries(answered, django_assert_num_queries):
    with django_assert_num_queries(3):
        cohort_results(partnership_id=answered.partnership.pk)
