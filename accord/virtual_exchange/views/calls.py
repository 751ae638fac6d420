"""Calls: open one, submit a class, fix or forbid pairs, pair the whole call and read the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.core import errors
from accord.core.forms import service_accepts
from accord.core.http import domain_errors_as_http
from accord.organisations.models import Organisation
from accord.virtual_exchange import selectors, services
from accord.virtual_exchange.forms import CallForm, ConstraintForm, SubmitForm
from accord.virtual_exchange.matching import alone_sentence, reason_sentences
from accord.virtual_exchange.models import ClassProfile
from accord.virtual_exchange.querysets import VeAction


def _organisers(request: HttpRequest) -> list[tuple[int, str]]:
    queryset = Organisation.objects.order_by("name")
    if not is_platform_staff(request.user):
        queryset = queryset.filter(pk__in=organisation_ids_with_roles(request.user, MANAGING_ROLES))
    return list(queryset.values_list("pk", "name")[:200])


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    organisers = _organisers(request)
    if not organisers:
        raise Forbidden(_("Only admins and coordinators can open calls."))
    form = CallForm(request.POST if request.method == "POST" else None, organisers=organisers)
    created = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organiser = Organisation.objects.get(pk=data.pop("organiser"))
        if service_accepts(
            form,
            lambda: created.append(services.call_create(actor=request.user, organiser=organiser, **data)),
        ):
            messages.success(request, _("The call is open: teachers can submit their classes."))
            return redirect("virtual_exchange:call-detail", pk=created[0].pk)
    return render(request, "virtual_exchange/call_form.html", {"form": form})


@login_required
@require_GET
@domain_errors_as_http
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk)
    manage = is_platform_staff(request.user) or call.organiser_id in organisation_ids_with_roles(
        request.user, MANAGING_ROLES
    )
    entries = list(call.entries.select_related("profile__organisation"))
    for entry in entries:
        entry.alone = alone_sentence(entry.alone_reason) if entry.alone_reason not in ("", "alone") else ""
    proposals = list(selectors.call_proposals(call=call))
    for proposal in proposals:
        proposal.sentences = reason_sentences(proposal.reasons)
    mine = [(p.pk, p.title) for p in selectors.my_profiles(user=request.user).filter(status="published")]
    choices = [
        (entry.profile_id, f"{entry.profile.title} ({entry.profile.organisation.name})") for entry in entries
    ]
    return render(
        request,
        "virtual_exchange/call_detail.html",
        {
            "call": call,
            "manage": manage,
            "entries": entries,
            "proposals": proposals,
            "constraints": list(call.constraints.select_related("first", "second")),
            "submit_form": SubmitForm(profiles=mine) if mine and call.status == "open" else None,
            "constraint_form": ConstraintForm(profiles=choices) if manage and len(choices) > 1 else None,
        },
    )


def _refusal(request: HttpRequest, exc: errors.DomainError) -> None:
    if isinstance(exc, errors.ValidationFailed):
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.error(request, exc.message)


@login_required
@require_POST
@domain_errors_as_http
def call_submit(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk)
    mine = [(p.pk, p.title) for p in selectors.my_profiles(user=request.user)]
    form = SubmitForm(request.POST, profiles=mine)
    if form.is_valid():
        profile = ClassProfile.objects.get(pk=form.cleaned_data["profile"])
        try:
            services.call_submit(
                actor=request.user, call=call, profile=profile, side=form.cleaned_data["side"]
            )
        except errors.DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Your class is in the call."))
    return redirect("virtual_exchange:call-detail", pk=pk)


@login_required
@require_POST
@domain_errors_as_http
def call_constraint(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk, action=VeAction.MANAGE)
    entries = {e.profile_id: e.profile for e in call.entries.select_related("profile")}
    form = ConstraintForm(request.POST, profiles=[(k, v.title) for k, v in entries.items()])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.call_constraint_set(
                actor=request.user,
                call=call,
                first=entries[data["first"]],
                second=entries[data["second"]],
                kind=data["kind"] or None,
            )
        except errors.DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Saved. Pair the call again to apply it."))
    return redirect("virtual_exchange:call-detail", pk=pk)


@login_required
@require_POST
@domain_errors_as_http
def call_match(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(user=request.user, pk=pk, action=VeAction.MANAGE)
    try:
        services.call_match(actor=request.user, call=call)
    except errors.DomainError as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request, _("The call's classes are paired; teachers can now invite their proposed partners.")
        )
    return redirect("virtual_exchange:call-detail", pk=pk)
