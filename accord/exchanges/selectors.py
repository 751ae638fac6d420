"""Every read of the exchanges domain, taking the acting user; what they may not see is "not found"."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles, roles_by_organisation
from accord.accounts.choices import MANAGING_ROLES
from accord.core.errors import NotFound
from accord.exchanges.choices import ApplicationStatus, CallStatus, NominationStatus
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
from accord.exchanges.services import runs
from accord.exchanges.services.nominations import nomination_mobility
from accord.mobilities import selectors as mobility_selectors
from accord.mobilities.choices import MobilitySource
from accord.mobilities.journey import NextStep, Step, mobility_next, mobility_steps
from accord.mobilities.models import Mobility


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


def nominations_for_user(
    *, user, status: str | None = None, action: str = ExchangeAction.VIEW
) -> QuerySet[Nomination]:
    queryset = Nomination.objects.for_user(user, action).select_related(
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


@dataclass(frozen=True)
class NominationRow:
    nomination: Nomination
    mobility: Mobility | None


def nominations_to_decide(*, user) -> QuerySet[Nomination]:
    """The nominations waiting for the user's institution, as the receiving partner, to decide."""
    return nominations_for_user(user=user, status=NominationStatus.PENDING, action=ExchangeAction.DECIDE)


def nomination_rows(*, user, status: str | None = None, to_decide: bool = False) -> list[NominationRow]:
    """The nominations the user sees (only those waiting for their decision with ``to_decide``),
    each with the mobility its acceptance started."""
    if to_decide:
        nominations = list(nominations_to_decide(user=user))
    else:
        nominations = list(nominations_for_user(user=user, status=status))
    mobilities = {
        m.source_id: m
        for m in Mobility.objects.filter(
            source=MobilitySource.NOMINATION, source_id__in=[n.pk for n in nominations]
        )
    }
    return [NominationRow(nomination, mobilities.get(nomination.pk)) for nomination in nominations]


def mobility_of(*, nomination: Nomination) -> Mobility | None:
    """The mobility the nomination's acceptance started (or, for a partner on EWP, its publication)."""
    return nomination_mobility(nomination)


@dataclass(frozen=True)
class DeclinedOffer:
    nomination: Nomination
    next_student: str


def declined_offers(*, call: Call) -> list[DeclinedOffer]:
    """Places partners declined since the last publication, each with the student the waiting list
    offers it to next (a forecast: the re-allocation decides)."""
    declined = runs.declined_awaiting_offer(call)
    if not declined:
        return []
    published = call.runs.exclude(published_at=None).order_by("-number").first()
    waitlists = published.result.get("waitlists", {}) if published else {}
    submitted = {
        f"A{a.pk}": a.student.get_full_name() or a.student.username
        for a in call.applications.filter(status=ApplicationStatus.SUBMITTED).select_related("student")
    }
    offers = []
    for nomination in declined:
        waiting = [i for i in waitlists.get(nomination.place.engine_id, []) if i in submitted]
        waiting = [i for i in waiting if i != nomination.application.engine_id]
        offers.append(DeclinedOffer(nomination, submitted[waiting[0]] if waiting else ""))
    return offers


@dataclass(frozen=True)
class Journey:
    steps: list[Step]
    next: NextStep
    mobility: Mobility | None


def application_journey(*, user, application: Application) -> Journey:
    """The student's way from this application to recognition, and what they must do next."""
    nomination = application.nominations.select_related("place__receiving_organisation").first()
    submitted = application.status != ApplicationStatus.DRAFT
    steps = [Step(_("Application submitted"), submitted)]
    mobility = None
    if nomination is not None:
        partner = nomination.place.receiving_organisation.name
        steps.append(Step(_("Nominated to %(partner)s") % {"partner": partner}, True))
        mobility = nomination_mobility(nomination) if nomination.status == NominationStatus.ACCEPTED else None
    else:
        steps.append(Step(_("Nominated to a partner"), False))
    if mobility is not None:
        mobility = Mobility.objects.select_related("receiving_organisation").get(pk=mobility.pk)
        steps += mobility_steps(mobility)
        overview = mobility_selectors.agreement_overview(user=user, mobility=mobility)
        return Journey(steps, mobility_next(mobility, overview), mobility)
    steps += [Step(str(label), False) for label in _LATER]
    if application.status == ApplicationStatus.DRAFT:
        step = NextStep(
            _("Submit your application before %(closes)s.")
            % {"closes": date_format(application.call.closes_at, "DATETIME_FORMAT")},
        )
    elif application.status in {ApplicationStatus.WITHDRAWN, ApplicationStatus.EXCLUDED}:
        step = NextStep(_("This application takes no further part in the call."))
    elif nomination is None and published_result(application=application) is not None:
        step = NextStep(
            _("No place this time. If one is freed, the waiting list moves on and you are told by e-mail.")
        )
    elif nomination is None:
        step = NextStep(_("The results are published after the call closes; you are told by e-mail."))
    elif nomination.status == NominationStatus.PENDING:
        step = NextStep(
            _("%(partner)s decides on your nomination next.")
            % {"partner": nomination.place.receiving_organisation.name}
        )
    elif nomination.status == NominationStatus.CANCELLED:
        step = NextStep(_("Your nomination was withdrawn: %(reason)s") % {"reason": nomination.reason})
    else:
        step = NextStep(
            _("%(partner)s declined your nomination: %(reason)s You stay in line for your other choices.")
            % {"partner": nomination.place.receiving_organisation.name, "reason": nomination.reason}
        )
    return Journey(steps, step, None)


_LATER = (
    gettext_lazy("Accepted by the partner"),
    gettext_lazy("Learning agreement signed by all three"),
    gettext_lazy("Arrival"),
    gettext_lazy("Transcript of records"),
    gettext_lazy("Recognition at home"),
)
