"""Every read of the exchanges domain, taking the acting user; what they may not see is "not found"."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles, roles_by_organisation
from accord.accounts.choices import MANAGING_ROLES
from accord.core.errors import NotFound
from accord.exchanges.choices import CallStatus
from accord.exchanges.filters import ApplicationFilterForm
from accord.exchanges.models import (
    AllocationRun,
    Application,
    ApplicationChoice,
    ApplicationDocument,
    Assignment,
    Call,
    CallPlace,
    Nomination,
)
from accord.exchanges.querysets import REVIEWER_ROLES, ExchangeAction


@dataclass(frozen=True)
class CallPermissions:
    manage: bool
    review: bool
    apply: bool


def call_permissions(*, user, call: Call) -> CallPermissions:
    staff = is_platform_staff(user)
    return CallPermissions(
        manage=staff or call.owner_id in organisation_ids_with_roles(user, MANAGING_ROLES),
        review=staff or call.owner_id in organisation_ids_with_roles(user, REVIEWER_ROLES),
        apply=call.owner_id in roles_by_organisation(user) and call.accepts_applications(),
    )


def call_list(*, user) -> QuerySet[Call]:
    return Call.objects.for_user(user).select_related("owner").order_by("-opens_at", "pk")


def get_call_for_user(*, user, pk: int, action: str = ExchangeAction.VIEW) -> Call:
    call = Call.objects.for_user(user, action).select_related("owner").filter(pk=pk).first()
    if call is None:
        raise NotFound(_("No such call."))
    return call


def places_of(*, call: Call) -> QuerySet[CallPlace]:
    return call.places.select_related("receiving_organisation", "agreement")


def get_place_for_user(*, user, pk: int, action: str = ExchangeAction.VIEW) -> CallPlace:
    place = (
        CallPlace.objects.filter(pk=pk, call__in=Call.objects.for_user(user, action))
        .select_related("call")
        .first()
    )
    if place is None:
        raise NotFound(_("No such place."))
    return place


def application_list(*, user, call: Call, filters=None, action: str = ExchangeAction.VIEW):
    """The applications of ``call`` that ``user`` may see, filtered; returns (queryset, form)."""
    form = ApplicationFilterForm(filters or {}, places=list(call.places.all()))
    queryset = (
        Application.objects.for_user(user, action)
        .filter(call=call)
        .select_related("student", "call")
        .prefetch_related(
            Prefetch("choices", queryset=ApplicationChoice.objects.select_related("place").order_by("rank"))
        )
    )
    return form.filter_queryset(queryset).distinct(), form


def my_applications(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(student=user)
        .select_related("call", "call__owner")
        .order_by("-call__opens_at", "pk")
    )


def get_application_for_user(*, user, pk: int, action: str = ExchangeAction.VIEW) -> Application:
    application = (
        Application.objects.for_user(user, action)
        .select_related("call", "call__owner", "student")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise NotFound(_("No such application."))
    return application


def application_document_for(*, user, application_pk: int, pk: int) -> ApplicationDocument:
    """An uploaded document, for its applicant and for those who review or manage the call; anyone
    else, including staff who may only see the application, gets NotFound: documents are personal."""
    application = get_application_for_user(user=user, pk=application_pk)
    allowed = application.student_id == user.pk or (
        Application.objects.for_user(user, ExchangeAction.REVIEW).filter(pk=application.pk).exists()
        or Application.objects.for_user(user, ExchangeAction.MANAGE).filter(pk=application.pk).exists()
    )
    document = application.documents.filter(pk=pk).first() if allowed else None
    if document is None:
        raise NotFound(_("No such document."))
    return document


def latest_run(*, call: Call) -> AllocationRun | None:
    return call.runs.order_by("-number").first()


def get_run_for_user(*, user, pk: int, action: str = ExchangeAction.MANAGE) -> AllocationRun:
    run = (
        AllocationRun.objects.filter(pk=pk, call__in=Call.objects.for_user(user, action))
        .select_related("call")
        .first()
    )
    if run is None:
        raise NotFound(_("No such allocation run."))
    return run


def run_assignments(*, run: AllocationRun) -> QuerySet[Assignment]:
    return run.assignments.select_related("application__student", "place", "overridden_by").order_by(
        "place__name", "-score", "pk"
    )


def published_result(*, application: Application) -> Assignment | None:
    """The applicant's result in the latest published run, or None before publication."""
    if application.call.status not in {CallStatus.PUBLISHED, CallStatus.ALLOCATED}:
        return None
    return (
        Assignment.objects.filter(application=application, run__published_at__isnull=False)
        .select_related("place", "run")
        .order_by("-run__number")
        .first()
    )


def nominations_for_user(*, user, status: str | None = None) -> QuerySet[Nomination]:
    queryset = Nomination.objects.for_user(user).select_related(
        "application__student", "application__call__owner", "place__receiving_organisation"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "pk")


def get_nomination_for_user(*, user, pk: int) -> Nomination:
    nomination = (
        Nomination.objects.for_user(user).select_related("place", "application").filter(pk=pk).first()
    )
    if nomination is None:
        raise NotFound(_("No such nomination."))
    return nomination
