"""Translation between the exchanges' rows and :mod:`accord.algorithms.allocation.selection`'s dataclasses."""

from accord.algorithms.allocation.selection import (
    ApplicantProfile,
    CallRules,
    PlaceRequirements,
    Weights,
    motivation_points,
    normalise_grade,
)
from accord.exchanges.models import Application, Call, CallPlace


def weights_of(call: Call) -> Weights:
    return Weights(call.weight_grade, call.weight_language, call.weight_motivation, call.priority_bonus)


def rules_of(call: Call) -> CallRules:
    return CallRules(
        eqf_levels=tuple(call.eqf_levels),
        isced_codes=tuple(call.isced_codes),
        min_cefr=call.min_cefr,
        min_grade=call.min_grade,
        min_year_of_study=call.min_year_of_study,
    )


def requirements_of(place: CallPlace) -> PlaceRequirements:
    return PlaceRequirements(
        name=place.name,
        eqf_levels=tuple(place.eqf_levels),
        isced_codes=tuple(place.isced_codes),
        language=place.language,
        min_cefr=place.min_cefr,
    )


def profile_of(application: Application, review_scores: list[float] | None = None) -> ApplicantProfile:
    """The applicant as the selection rules see them; ``review_scores`` on the call's review scale."""
    motivation = motivation_points(review_scores or [], application.call.review_scale_max)
    return ApplicantProfile(
        grade=normalise_grade(float(application.grade_average), application.grading_scale),
        eqf_level=application.eqf_level,
        isced_code=application.isced_code,
        year_of_study=application.year_of_study,
        languages=dict(application.languages),
        motivation=motivation,
        priority=application.priority,
    )
