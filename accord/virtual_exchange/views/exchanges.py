"""An exchange's page: schedule (sessions, weeks), tasks, thread with files, students, completion,
and its calendar for each side."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accord.accounts.choices import Role
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.http import domain_errors_as_http
from accord.virtual_exchange import selectors, services
from accord.virtual_exchange.forms import (
    CompleteForm,
    ExchangeForm,
    MessageForm,
    SessionForm,
    StudentsForm,
    TaskForm,
)
from accord.virtual_exchange.ical import exchange_calendar
from accord.virtual_exchange.matching import to_core
from accord.virtual_exchange.querysets import VeAction
from accord.virtual_exchange.schedule import session_occurrences
from accord.virtual_exchange.services._common import may_change_profile


def _zones(exchange) -> list[tuple[str, str]]:
    return [
        (exchange.first.time_zone, f"{exchange.first.title} ({exchange.first.time_zone})"),
        (exchange.second.time_zone, f"{exchange.second.title} ({exchange.second.time_zone})"),
    ]


def _students_of(profile) -> list[tuple[int, str]]:
    people = (
        get_user_model()
        .objects.filter(
            memberships__organisation_id=profile.organisation_id,
            memberships__role=Role.STUDENT,
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
    return [(person.pk, person.get_full_name() or person.username) for person in people]


def _sessions_with_times(exchange) -> list:
    """Each session with its first occurrences in both classes' local times."""
    first, second = to_core(exchange.first), to_core(exchange.second)
    sessions = list(exchange.sessions.all())
    for session in sessions:
        moments = session_occurrences(
            start=exchange.start,
            weeks=exchange.weeks,
            weekday=session.weekday,
            at=session.start,
            zone=session.time_zone,
            first=first,
            second=second,
        )
        session.occurrences = [
            (
                moment.astimezone(first.tz),
                moment.astimezone(second.tz),
                moment + timedelta(minutes=session.minutes),
            )
            for moment in moments
        ]
    return sessions


@login_required
@require_GET
@domain_errors_as_http
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_user(user=request.user, pk=pk)
    change = may_change_profile(request.user, exchange.first) or may_change_profile(
        request.user, exchange.second
    )
    context = {
        "exchange": exchange,
        "change": change and exchange.status == "planned",
        "sessions": _sessions_with_times(exchange),
        "tasks": list(exchange.tasks.all()),
        "thread": list(exchange.messages.select_related("author")),
        "students": list(exchange.students.select_related("person", "profile")),
        "message_form": MessageForm(),
    }
    if context["change"]:
        initial = {
            name: getattr(exchange, name)
            for name in ("title", "start", "weeks", "hours", "ects", "certificate")
        }
        context |= {
            "exchange_form": ExchangeForm(initial=initial | {"version": exchange.version}),
            "session_form": SessionForm(
                zones=_zones(exchange), initial={"time_zone": exchange.first.time_zone}
            ),
            "task_form": TaskForm(),
            "complete_form": CompleteForm(initial={"version": exchange.version}),
            "student_forms": [
                (
                    profile,
                    StudentsForm(
                        students=_students_of(profile),
                        initial={
                            "people": [s.person_id for s in context["students"] if s.profile_id == profile.pk]
                        },
                        prefix=f"class{profile.pk}",
                    ),
                )
                for profile in (exchange.first, exchange.second)
                if may_change_profile(request.user, profile)
            ],
        }
    return render(request, "virtual_exchange/exchange_detail.html", context)


def _act(request: HttpRequest, pk: int, form, call, success: str) -> HttpResponse:
    """Run ``call(exchange, cleaned_data)`` for a valid ``form``; refusals become messages."""
    exchange = selectors.get_exchange_for_user(user=request.user, pk=pk, action=VeAction.CHANGE)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}".strip()
                for k, v in form.errors.items()
            ),
        )
        return redirect("virtual_exchange:exchange-detail", pk=pk)
    try:
        call(exchange, form.cleaned_data)
    except errors.ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except (errors.Conflict, StaleVersion) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("virtual_exchange:exchange-detail", pk=pk)


@login_required
@require_POST
@domain_errors_as_http
def exchange_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def save(exchange, data):
        version = data.pop("version")
        services.exchange_update(actor=request.user, exchange=exchange, data=data, expected_version=version)

    return _act(request, pk, ExchangeForm(request.POST), save, _("Saved."))


@login_required
@require_POST
@domain_errors_as_http
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_user(user=request.user, pk=pk, action=VeAction.CHANGE)
    form = SessionForm(request.POST, zones=_zones(exchange))
    return _act(
        request,
        pk,
        form,
        lambda exchange, data: services.session_save(actor=request.user, exchange=exchange, data=data),
        _("The session is added; both calendars follow."),
    )


@login_required
@require_POST
@domain_errors_as_http
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        TaskForm(request.POST),
        lambda exchange, data: services.task_save(actor=request.user, exchange=exchange, data=data),
        _("The task is added."),
    )


@login_required
@require_POST
@domain_errors_as_http
def message_add(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_user(user=request.user, pk=pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_post(
                actor=request.user,
                exchange=exchange,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except errors.DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Write a message."))
    return redirect(f"{exchange.get_absolute_url()}#thread")


@login_required
@require_POST
@domain_errors_as_http
def students_save(request: HttpRequest, pk: int, profile_pk: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_user(user=request.user, pk=pk, action=VeAction.CHANGE)
    profile = next((p for p in (exchange.first, exchange.second) if p.pk == profile_pk), None)
    if profile is None:
        raise Http404
    form = StudentsForm(request.POST, students=_students_of(profile), prefix=f"class{profile.pk}")
    return _act(
        request,
        pk,
        form,
        lambda exchange, data: services.students_set(
            actor=request.user, exchange=exchange, profile=profile, person_ids=data["people"]
        ),
        _("The students are saved."),
    )


@login_required
@require_POST
@domain_errors_as_http
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CompleteForm(request.POST),
        lambda exchange, data: services.exchange_complete(
            actor=request.user, exchange=exchange, expected_version=data["version"]
        ),
        _("Completed: every student's virtual mobility is recorded."),
    )


@login_required
@require_GET
@domain_errors_as_http
def calendar(request: HttpRequest, pk: int, profile_pk: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_user(user=request.user, pk=pk)
    profile = next((p for p in (exchange.first, exchange.second) if p.pk == profile_pk), None)
    if profile is None:
        raise Http404
    response = HttpResponse(exchange_calendar(exchange, profile), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exchange-{exchange.pk}-{profile.pk}.ics"'
    return response
