"""The virtual exchange home, class profiles (list, publish, edit, page with partner suggestions),
invitations and answers."""

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
from accord.core.concurrency import StaleVersion
from accord.core.forms import service_accepts, show_conflict
from accord.core.http import domain_errors_as_http
from accord.core.listing import listing, render_listing
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation
from accord.virtual_exchange import selectors, services
from accord.virtual_exchange.choices import WEEKDAYS
from accord.virtual_exchange.filters import ClassFilterForm
from accord.virtual_exchange.forms import ClassEditForm, ClassProfileForm, DecisionForm, InviteForm
from accord.virtual_exchange.matching import alone_sentence, reason_sentences, reasons_of
from accord.virtual_exchange.models import ClassProfile
from accord.virtual_exchange.querysets import VeAction
from accord.virtual_exchange.services._common import TEACHING_ROLES, may_change_profile
from accord.virtual_exchange.services.proposals import invited_profile
from accord.virtual_exchange.views._common import safe_next


def _networks() -> list[tuple[int, str]]:
    return list(
        Organisation.objects.filter(kind=OrganisationKind.NETWORK).order_by("name").values_list("pk", "name")
    )


def _teaching_at(request: HttpRequest) -> list[Organisation]:
    if is_platform_staff(request.user):
        return list(Organisation.objects.exclude(kind=OrganisationKind.NETWORK).order_by("name")[:200])
    ids = organisation_ids_with_roles(request.user, TEACHING_ROLES)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    invitations = list(selectors.invitations_for(user=user))
    for proposal in invitations:
        proposal.form = DecisionForm(initial={"version": proposal.version})
        proposal.sentences = reason_sentences(proposal.reasons)
    context = {
        "classes": list(selectors.my_profiles(user=user)),
        "invitations": invitations,
        "exchanges": list(selectors.exchange_list(user=user)[:50]),
        "calls": list(selectors.call_list(user=user)[:20]),
        "may_publish": bool(_teaching_at(request)),
        "may_open_call": is_platform_staff(user) or bool(organisation_ids_with_roles(user, MANAGING_ROLES)),
    }
    return render(request, "virtual_exchange/home.html", context)


@login_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    form = ClassFilterForm(request.GET or None)
    found = listing(
        request, form=form, queryset=selectors.profile_list(user=request.user, filters=form.to_filter())
    )
    return render_listing(
        request,
        found,
        template="virtual_exchange/class_list.html",
        results="virtual_exchange/_class_results.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_create(request: HttpRequest) -> HttpResponse:
    organisations = {organisation.pk: organisation for organisation in _teaching_at(request)}
    if not organisations:
        raise Forbidden(_("Only teachers and coordinators of an institution can publish classes."))
    form = ClassProfileForm(
        request.POST if request.method == "POST" else None,
        networks=_networks(),
        organisations=[(pk, organisation.name) for pk, organisation in organisations.items()],
    )
    if request.method == "POST" and form.is_valid():
        created: list[ClassProfile] = []

        def publish() -> None:
            created.append(
                services.profile_create(
                    actor=request.user,
                    organisation=organisations[form.cleaned_data["organisation"]],
                    data=form.profile_data(),
                    network_ids=form.cleaned_data["networks"],
                )
            )

        if service_accepts(form, publish):
            messages.success(request, _("Your class is published. Here are the partner classes that fit."))
            return redirect("virtual_exchange:class-detail", pk=created[0].pk)
    return render(request, "virtual_exchange/class_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.get_profile_for_user(user=request.user, pk=pk, action=VeAction.CHANGE)
    initial = ClassProfileForm.initial_from(profile) | {"version": profile.version}
    form = ClassEditForm(
        request.POST if request.method == "POST" else None, initial=initial, networks=_networks()
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = service_accepts(
                form,
                lambda: services.profile_update(
                    actor=request.user,
                    profile=profile,
                    data=form.profile_data(),
                    network_ids=form.cleaned_data["networks"],
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if saved:
                messages.success(request, _("Saved."))
                return redirect("virtual_exchange:class-detail", pk=profile.pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(
        request, "virtual_exchange/class_form.html", {"form": form, "profile": profile, "conflict": conflict}
    )


@login_required
@require_GET
@domain_errors_as_http
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.get_profile_for_user(user=request.user, pk=pk)
    mine = may_change_profile(request.user, profile)
    days = dict(WEEKDAYS)
    slot_labels = [f"{days[slot['weekday']]} {slot['start']}–{slot['end']}" for slot in profile.slots]
    context = {"profile": profile, "mine": mine, "slot_labels": slot_labels}
    if mine:
        found = selectors.partner_suggestions(user=request.user, profile=profile)
        proposals = list(selectors.proposals_of(user=request.user, profile=profile))
        for proposal in proposals:
            proposal.other = proposal.second if proposal.first_id == profile.pk else proposal.first
            proposal.sentences = reason_sentences(proposal.reasons)
            proposal.to_answer = proposal.status == "invited" and invited_profile(proposal).pk == profile.pk
            proposal.form = DecisionForm(initial={"version": proposal.version})
        taken = {p.other.pk for p in proposals if p.status in ("invited", "accepted")}
        context |= {
            "suggestions": [
                {
                    "profile": s.profile,
                    "score": s.assessment.score,
                    "sentences": reason_sentences(reasons_of(s.assessment)),
                    "invited": s.profile.pk in taken,
                }
                for s in found.partners
            ],
            "alone": alone_sentence(found.alone_reason) if found.alone_reason != "alone" else "",
            "proposals": proposals,
            "invite_form": InviteForm(),
        }
    return render(request, "virtual_exchange/class_detail.html", context)


@login_required
@require_POST
@domain_errors_as_http
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.get_profile_for_user(user=request.user, pk=pk, action=VeAction.CHANGE)
    form = InviteForm(request.POST)
    if form.is_valid():
        other = selectors.get_profile_for_user(user=request.user, pk=form.cleaned_data["to_profile"])
        try:
            services.proposal_invite(
                actor=request.user,
                from_profile=profile,
                to_profile=other,
                message=form.cleaned_data["message"],
            )
        except (errors.ValidationFailed, errors.Conflict) as exc:
            messages.error(
                request, " ".join(m for ms in getattr(exc, "errors", {}).values() for m in ms) or exc.message
            )
        else:
            messages.success(
                request, _("The invitation is sent to %(teacher)s.") % {"teacher": other.teacher}
            )
    return redirect("virtual_exchange:class-detail", pk=profile.pk)


@login_required
@require_POST
@domain_errors_as_http
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    back = safe_next(request, "virtual_exchange:home")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
        return redirect(back)
    try:
        services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except errors.ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect(back)
    except errors.Conflict as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if form.cleaned_data["accept"]:
        messages.success(request, _("Accepted: your exchange is planned. Check its schedule."))
        return redirect("virtual_exchange:exchange-detail", pk=proposal.exchange.pk)
    messages.success(request, _("Declined; the other teacher sees your reason."))
    return redirect(back)
