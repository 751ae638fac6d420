"""What the applicants of a call would cost, before anyone is selected: each submitted application is
costed at its first choice (the place the latest allocation run gave it, when there is one), for the
term of the call, with the priority group counted as participants with fewer opportunities."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from accord.algorithms.funding.calculate import GrantError, MobilityInput, calculate
from accord.core.errors import ValidationFailed
from accord.exchanges.models import Application, Assignment, Call
from accord.funding.calculation import distance_between, rules_of
from accord.funding.choices import RuleSetStatus
from accord.funding.querysets import FundingAction, organisations_for

# A semester is costed as five months of 30 days, a full year as ten.
TERM_DAYS = {"autumn": 150, "spring": 150, "full_year": 300}
ACTIVITY = {"student_studies": "student-studies", "student_traineeship": "student-traineeship"}


@dataclass(frozen=True)
class ApplicantCost:
    application: Application
    place_name: str
    cost: Decimal | None
    reason: str


def calls_to_forecast(*, user):
    """Calls of the institutions whose money the user manages, for students' studies or traineeships."""
    allowed = organisations_for(user, FundingAction.MANAGE)
    calls = Call.objects.filter(mobility_type__in=list(ACTIVITY)).order_by("-opens_at", "pk")
    return calls if allowed is None else calls.filter(owner_id__in=allowed)


def _stay(call: Call) -> tuple[dt.date, dt.date]:
    first_year = int(call.academic_year[:4])
    start = dt.date(first_year + 1, 2, 1) if call.term == "spring" else dt.date(first_year, 9, 1)
    return start, start + dt.timedelta(days=TERM_DAYS.get(call.term, 150) - 1)


def applicant_costs(*, call: Call, rule_set) -> list[ApplicantCost]:
    """Every submitted application of ``call`` with its estimated grant under ``rule_set``."""
    version = rule_set.versions.filter(status=RuleSetStatus.ACTIVE).first()
    applications = list(
        call.applications.filter(status="submitted")
        .select_related("student")
        .prefetch_related("choices__place__receiving_organisation")
        .order_by("pk")
    )
    latest_run = call.runs.order_by("-pk").first()
    assigned = {}
    if latest_run is not None:
        for assignment in Assignment.objects.filter(run=latest_run, place__isnull=False).select_related(
            "place__receiving_organisation"
        ):
            assigned[assignment.application_id] = assignment.place
    start, end = _stay(call)
    rules = rules_of(version) if version is not None else None
    costs = []
    for application in applications:
        choices = sorted(application.choices.all(), key=lambda choice: choice.rank)
        place = assigned.get(application.pk) or (choices[0].place if choices else None)
        if place is None or rules is None:
            costs.append(
                ApplicantCost(application, "", None, "no place" if place is None else "no rules in force")
            )
            continue
        receiving = place.receiving_organisation
        try:
            km = distance_between(call.owner, receiving)
            result = calculate(
                rules,
                MobilityInput(
                    activity=ACTIVITY[call.mobility_type],
                    start=start,
                    end=end,
                    distance_km=km,
                    fewer_opportunities=application.priority,
                    country_group=rules.group_of(receiving.country_code) or "*",
                    destination_country=receiving.country_code,
                ),
            )
        except ValidationFailed as error:
            costs.append(ApplicantCost(application, place.name, None, error.message))
            continue
        except GrantError as error:
            costs.append(ApplicantCost(application, place.name, None, error.message))
            continue
        costs.append(ApplicantCost(application, place.name, result.total, ""))
    return costs
