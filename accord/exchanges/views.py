"""The exchanges pages: thin shells over ``selectors`` (reads) and ``services`` (writes).

Every page works without JavaScript (forms post and redirect); with htmx, a place's capacity is
edited in its table row. Domain errors become form errors or messages, 403 or 404.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import Conflict, show_conflict
from accord.core.http import domain_errors_as_http, is_htmx
from accord.core.listing import listing, render_listing
from accord.exchanges import selectors, services
from accord.exchanges.choices import ApplicationStatus, BulkAction, CallStatus
from accord.exchanges.exports import FORMATS, applications_export
from accord.exchanges.filters import CallFilterForm
from accord.exchanges.forms import (
    ApplicationEditForm,
    ApplicationForm,
    CallEditForm,
    CallForm,
    DocumentForm,
    DocumentRemoveForm,
    ReviewForm,
    add_domain_errors,
)
from accord.exchanges.models import Application, Nomination, Review
from accord.exchanges.querysets import ExchangeAction
from accord.organisations.models import Organisation

APPLICATIONS_PAGE_SIZE = 100


def _act(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service for a button; a refusal becomes an error message, not an error page."""
    try:
        action()
    except errors.ValidationFailed as exc:
        # The messages alone: the field names are the program's words, not the person's.
        messages.error(request, " ".join(message for found in exc.errors.values() for message in found))
        return False
    except errors.Conflict as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


# --- Calls -----------------------------------------------------------------------------------------


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CallFilterForm(request.GET)
    found = listing(request, form=form, queryset=form.filter_queryset(selectors.call_list(user=user)))
    context = {}
    if not found.htmx:
        # The student's applications stand above the filters, which refresh only the calls.
        context = {
            "applications": selectors.my_applications(user=user),
            "may_create": bool(organisation_ids_with_roles(user, MANAGING_ROLES)) or is_platform_staff(user),
            "nominations": selectors.nominations_for_user(user=user).exists(),
        }
    return render_listing(
        request,
        found,
        template="exchanges/list.html",
        results="exchanges/_call_results.html",
        context=context,
    )


def _owners(request: HttpRequest):
    if is_platform_staff(request.user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=organisation_ids_with_roles(request.user, MANAGING_ROLES))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk, action=ExchangeAction.MANAGE) if pk else None
    owners = list(_owners(request))
    if call is None and not owners:
        raise errors.PermissionDenied(_("Only admins and coordinators create calls."))
    if call:
        form: CallForm = CallEditForm(
            request.POST or None, initial={**CallForm.initial_from(call), "version": call.version}
        )
    else:
        form = CallForm(request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if call:
                version = data.pop("version")
                call = services.call_update(actor=request.user, call=call, expected_version=version, **data)
            else:
                owner = next((o for o in owners if str(o.pk) == request.POST.get("owner")), owners[0])
                call = services.call_create(actor=request.user, owner=owner, **data)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("exchanges:call", pk=call.pk)
    context = {"form": form, "call": call, "owners": owners, "conflict": conflict}
    if call:
        context["reload_url"] = reverse("exchanges:call-edit", args=[call.pk])
    return render(request, "exchanges/call_form.html", context)


@login_required
@require_GET
@domain_errors_as_http
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk)
    can = selectors.call_permissions(user=request.user, call=call)
    own = Application.objects.filter(call=call, student=request.user).first()
    return render(
        request,
        "exchanges/call_detail.html",
        {"call": call, "can": can, "places": selectors.places_of(call=call), "own": own},
    )


@login_required
@require_POST
@domain_errors_as_http
def call_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk)
    actions = {
        "open": (services.call_open, _("The call is open.")),
        "close": (services.call_close, _("The call is closed.")),
        "generate": (services.places_generate, _("Places added from the agreements in effect.")),
    }
    if action not in actions:
        raise errors.NotFound(_("No such action."))
    service, success = actions[action]
    _act(request, lambda: service(actor=request.user, call=call), success)
    return redirect("exchanges:call", pk=call.pk)


@login_required
@require_POST
@domain_errors_as_http
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.get_place_for_user(user=request.user, pk=pk, action=ExchangeAction.MANAGE)
    error = None
    try:
        version = int(request.POST["version"])
    except (KeyError, ValueError):
        error = _(
            "This form no longer says which version of the place it was opened at, so it cannot be saved "
            "safely. Reload the page and make your change again."
        )
    else:
        try:
            place = services.place_update(
                actor=request.user,
                place=place,
                expected_version=version,
                name=request.POST.get("name", place.name),
                capacity=int(request.POST.get("capacity", place.capacity)),
                reserved=int(request.POST.get("reserved", place.reserved)),
            )
        except ValueError:
            error = _("Capacity and reserved seats are whole numbers.")
        except StaleVersion as exc:
            # The row comes back with the values saved meanwhile and their version: saving again keeps
            # the person's own, after they have seen the others.
            yours = ", ".join(f"{name} {request.POST.get(name, '')}" for name in ("capacity", "reserved"))
            error = f"{exc.message} " + _("You had entered: %(values)s.") % {"values": yours}
        except (errors.ValidationFailed, errors.Conflict) as exc:
            error = exc.message
    place.refresh_from_db()
    saved = None
    if error is None:
        saved = _("Saved: %(name)s has %(capacity)s, %(reserved)s of them reserved.") % {
            "name": place.name,
            "capacity": ngettext("%(n)s place", "%(n)s places", place.capacity) % {"n": place.capacity},
            "reserved": place.reserved,
        }
    if is_htmx(request):
        can = selectors.call_permissions(user=request.user, call=place.call)
        context = {"place": place, "can": can, "error": error, "saved": saved}
        return render(request, "exchanges/_place_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, saved)
    return redirect("exchanges:call", pk=place.call_id)


# --- Applications: the coordinator's list ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk, action=ExchangeAction.REVIEW)
    can = selectors.call_permissions(user=request.user, call=call)
    if request.method == "POST":
        if not can.manage:
            raise errors.PermissionDenied(_("Only coordinators act on applications."))
        ids = [int(value) for value in request.POST.getlist("applications") if value.isdigit()]
        action = request.POST.get("action", "")
        _act(
            request,
            lambda: services.applications_bulk(
                actor=request.user,
                call=call,
                application_ids=ids,
                action=action,
                reason=request.POST.get("reason", ""),
            ),
            _("Applications updated."),
        )
        return redirect(request.get_full_path())
    queryset, form = selectors.application_list(user=request.user, call=call, filters=request.GET)
    exports = (
        {
            _("Export CSV"): reverse("exchanges:applications-export", args=[call.pk, "csv"]),
            _("Export XLSX"): reverse("exchanges:applications-export", args=[call.pk, "xlsx"]),
        }
        if can.manage
        else None
    )
    # A bulk action applies to the applications ticked on one page: pages are long enough for a call.
    found = listing(request, form=form, queryset=queryset, exports=exports, page_size=APPLICATIONS_PAGE_SIZE)
    mine = dict(
        Review.objects.filter(reviewer=request.user, application__call=call).values_list(
            "application_id", "score"
        )
    )
    return render_listing(
        request,
        found,
        template="exchanges/applications.html",
        results="exchanges/_application_results.html",
        context={"call": call, "can": can, "my_scores": mine, "bulk_actions": BulkAction.choices},
    )


@login_required
@require_GET
@domain_errors_as_http
def application_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk, action=ExchangeAction.MANAGE)
    if fmt not in FORMATS:
        raise errors.NotFound(_("Export as csv or xlsx."))
    queryset, _form = selectors.application_list(user=request.user, call=call, filters=request.GET)
    return applications_export(queryset, fmt, f"applications-{call.pk}")


# --- Applications: the student's side and the reviewer's form ------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk)
    application = Application.objects.filter(call=call, student=request.user).first()
    places = list(selectors.places_of(call=call))
    if application:
        initial = {**ApplicationForm.initial_from(application), "version": application.version}
        form: ApplicationForm = ApplicationEditForm(
            request.POST or None, initial=initial, places=places, max_choices=call.max_choices
        )
    else:
        form = ApplicationForm(request.POST or None, places=places, max_choices=call.max_choices)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if application:
                application = services.application_update(
                    actor=request.user,
                    application=application,
                    choices=form.choices(),
                    expected_version=form.cleaned_data["version"],
                    **form.service_data(),
                )
            else:
                application = services.application_create(
                    actor=request.user, call=call, choices=form.choices(), **form.service_data()
                )
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your application is saved."))
            return redirect("exchanges:application", pk=application.pk)
    return render(
        request,
        "exchanges/apply.html",
        {
            "call": call,
            "form": form,
            "application": application,
            "places": places,
            "conflict": conflict,
            "reload_url": reverse("exchanges:apply", args=[call.pk]),
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, selectors.get_application_for_user(user=request.user, pk=pk))


def _application_page(
    request: HttpRequest,
    application: Application,
    *,
    review_form: ReviewForm | None = None,
    conflict: Conflict | None = None,
) -> HttpResponse:
    """The application's page; after a refused review, with that form, and both versions on a conflict."""
    call = application.call
    can = selectors.call_permissions(user=request.user, call=call)
    may_review = (
        application.student_id != request.user.pk
        and Application.objects.for_user(request.user, ExchangeAction.REVIEW)
        .filter(pk=application.pk)
        .exists()
    )
    own_review = Review.objects.filter(application=application, reviewer=request.user).first()
    if review_form is None and may_review:
        review_form = ReviewForm(initial=ReviewForm.initial_for(own_review))
    documents = list(application.documents.all())
    uploaded = {document.title for document in documents}
    context = {
        "application": application,
        "call": call,
        "can": can,
        "is_applicant": application.student_id == request.user.pk,
        "editable": application.status in {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}
        and call.accepts_applications(),
        "choices": application.choices.select_related("place").order_by("rank"),
        "documents": documents,
        "missing": [title for title in call.required_documents if title not in uploaded],
        "result": selectors.published_result(application=application),
        "nominations": application.nominations.select_related("place").order_by("-created_at"),
        "may_review": may_review,
        "own_review": own_review,
        "review_form": review_form,
        "conflict": conflict,
        "reload_url": reverse("exchanges:application", args=[application.pk]),
        "reviews": application.reviews.select_related("reviewer") if can.manage else (),
        "journey": selectors.application_journey(user=request.user, application=application)
        if application.student_id == request.user.pk
        else None,
    }
    if conflict is not None:
        return render(request, "exchanges/application.html", context, status=409)
    return render(request, "exchanges/application.html", context)


@login_required
@require_GET
@domain_errors_as_http
def application_document(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    document = selectors.application_document_for(user=request.user, application_pk=pk, pk=document_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
@domain_errors_as_http
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.get_application_for_user(user=request.user, pk=pk)
    user = request.user
    if action == "submit":
        _act(
            request, lambda: services.application_submit(actor=user, application=application), _("Submitted.")
        )
    elif action == "withdraw":
        _act(
            request,
            lambda: services.application_withdraw(
                actor=user, application=application, reason=request.POST.get("reason", "")
            ),
            _("Your application is withdrawn."),
        )
    elif action == "upload":
        _upload(request, application)
    elif action == "remove-document":
        _remove_document(request, application)
    elif action == "review":
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return _application_page(request, application, review_form=form)
        try:
            services.review_save(
                actor=user,
                application=application,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as exc:
            return _application_page(
                request, application, review_form=form, conflict=show_conflict(form, exc)
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
            return _application_page(request, application, review_form=form)
        except errors.Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your review is saved."))
    return redirect("exchanges:application", pk=application.pk)


def _upload(request: HttpRequest, application: Application) -> None:
    """Upload or replace a document; an upload based on a file replaced or removed meanwhile is refused
    with a sentence naming who did it and when, and nothing is replaced."""
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for message in form.errors.values():
            messages.error(request, " ".join(message))
        return
    _act(
        request,
        lambda: services.document_upload(
            actor=request.user,
            application=application,
            title=form.cleaned_data["title"],
            uploaded_file=form.cleaned_data["file"],
            expected_version=form.cleaned_data["version"],
        ),
        _("Document uploaded."),
    )


def _remove_document(request: HttpRequest, application: Application) -> None:
    form = DocumentRemoveForm(request.POST)
    document = application.documents.filter(pk=request.POST.get("document")).first()
    if document is None:
        messages.error(request, _("This document was removed already."))
    elif not form.is_valid():
        for message in form.errors.values():
            messages.error(request, " ".join(message))
    else:
        _act(
            request,
            lambda: services.document_remove(
                actor=request.user, document=document, expected_version=form.cleaned_data["version"]
            ),
            _("Document removed."),
        )


# --- Allocation ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk, action=ExchangeAction.MANAGE)
    run = selectors.latest_run(call=call)
    if request.method == "POST":
        action, user = request.POST.get("action"), request.user
        if action == "run":
            _act(request, lambda: services.allocation_run(actor=user, call=call), _("Allocation done."))
        elif action == "reallocate":
            _act(request, lambda: services.reallocation_run(actor=user, call=call), _("Re-allocation done."))
        elif action == "offer_next":
            _act(
                request,
                lambda: services.next_student_offer(actor=user, call=call),
                _("The freed places are offered to the next students on the waiting list; they are told."),
            )
        elif action == "publish" and run is not None:
            _act(
                request,
                lambda: services.run_publish(actor=user, run=run),
                _("Published: applicants are told."),
            )
        elif action == "override" and run is not None:
            application = call.applications.filter(pk=request.POST.get("application") or 0).first()
            place = call.places.filter(pk=request.POST.get("place") or 0).first()
            if application is None:
                messages.error(request, _("Choose an application of this call."))
            else:
                _act(
                    request,
                    lambda: services.assignment_override(
                        actor=user,
                        run=run,
                        application=application,
                        place=place,
                        reason=request.POST.get("reason", ""),
                    ),
                    _("Override saved."),
                )
        return redirect("exchanges:allocation", pk=call.pk)
    places = list(selectors.places_of(call=call))
    rows = []
    if run is not None:
        by_engine = {a.application.engine_id: a for a in selectors.run_assignments(run=run)}
        for place in places:
            rows.append(
                {
                    "place": place,
                    "cutoff": run.result["cutoffs"].get(place.engine_id),
                    "holders": [a for a in by_engine.values() if a.place_id == place.pk],
                    "waitlist": [
                        by_engine[i]
                        for i in run.result["waitlists"].get(place.engine_id, [])
                        if i in by_engine
                    ],
                }
            )
        unassigned = [a for a in by_engine.values() if a.place_id is None]
    else:
        unassigned = []
    return render(
        request,
        "exchanges/allocation.html",
        {
            "call": call,
            "run": run,
            "rows": rows,
            "unassigned": unassigned,
            "assignments": selectors.run_assignments(run=run) if run else (),
            "places": places,
            "may_run": call.status in {CallStatus.CLOSED, CallStatus.ALLOCATED},
            "may_reallocate": run is not None and run.published_at is not None,
            "declined": selectors.declined_offers(call=call),
        },
    )


# --- Nominations -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def nominations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        nomination = selectors.get_nomination_for_user(
            user=request.user, pk=int(request.POST.get("nomination", 0))
        )
        if request.POST.get("action") == "accept":
            student = nomination.application.student
            _act(
                request,
                lambda: services.nomination_accept(actor=request.user, nomination=nomination),
                _(
                    "Accepted: %(student)s's mobility is recorded, accepted, for both institutions; "
                    "the learning agreement comes next."
                )
                % {"student": student.get_full_name() or student.username},
            )
        else:
            _act(
                request,
                lambda: services.nomination_reject(
                    actor=request.user, nomination=nomination, reason=request.POST.get("reason", "")
                ),
                _("Rejected; the sending coordinator will re-allocate the place."),
            )
        return redirect(request.get_full_path())
    decides = Nomination.objects.for_user(request.user, ExchangeAction.DECIDE)
    to_decide = request.GET.get("to_decide") == "1"
    rows = selectors.nomination_rows(user=request.user, to_decide=to_decide)
    context = {"rows": rows, "deciding": set(decides.values_list("pk", flat=True)), "to_decide": to_decide}
    return render(request, "exchanges/nominations.html", context)
