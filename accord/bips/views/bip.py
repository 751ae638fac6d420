"""The list of BIPs, a BIP's page, creating and editing it, its lifecycle, partners and components."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.bips import selectors, services
from accord.bips.choices import BipStatus
from accord.bips.filters import BipFilterForm
from accord.bips.forms import (
    BipCreateForm,
    BipEditForm,
    ComponentForm,
    PartnerForm,
    TransitionForm,
    with_version,
)
from accord.bips.querysets import BipAction
from accord.bips.views._common import page_context
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import add_domain_errors, service_accepts, show_conflict
from accord.core.http import domain_errors_as_http
from accord.core.listing import listing, render_listing
from accord.organisations import selectors as directory
from accord.organisations.models import Organisation

BIP_FIELDS = ("title", "description", "isced_code", "language", "ects", "capacity")


def _organisations(request: HttpRequest) -> list[tuple[int, str]]:
    queryset, _form = directory.organisation_list(user=request.user, filters={"ordering": "name"})
    return list(queryset.prefetch_related(None).values_list("pk", "name"))


def _coordinator_ids(request: HttpRequest) -> set[int] | None:
    return (
        None if is_platform_staff(request.user) else organisation_ids_with_roles(request.user, MANAGING_ROLES)
    )


@login_required
@require_GET
def bip_list(request: HttpRequest) -> HttpResponse:
    form = BipFilterForm(request.GET or None)
    found = listing(
        request, form=form, queryset=selectors.bip_list(user=request.user, filters=form.to_filter())
    )
    coordinator_ids = _coordinator_ids(request)
    return render_listing(
        request,
        found,
        template="bips/list.html",
        results="bips/_results.html",
        context={"may_create": coordinator_ids is None or bool(coordinator_ids)},
    )


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk)
    context = page_context(request, bip)
    context["partner_form"] = PartnerForm(organisations=_other_organisations(request, context["partners"]))
    context["component_form"] = ComponentForm()
    return render(request, "bips/detail.html", context)


def _other_organisations(request: HttpRequest, partners) -> list[tuple[int, str]]:
    taken = {partner.organisation_id for partner in partners}
    return [choice for choice in _organisations(request) if choice[0] not in taken]


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    coordinator_ids = _coordinator_ids(request)
    if coordinator_ids is not None and not coordinator_ids:
        raise Forbidden(_("Only admins and coordinators of an institution can set up programmes."))
    organisations = _organisations(request)
    coordinators = [o for o in organisations if coordinator_ids is None or o[0] in coordinator_ids]
    form = BipCreateForm(
        request.POST if request.method == "POST" else None,
        coordinators=coordinators,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        ids = {values["coordinator"], *values["partners"], *([values["host"]] if values["host"] else [])}
        found = Organisation.objects.in_bulk(ids)
        try:
            bip = services.bip_create(
                actor=request.user,
                coordinator=found[values.pop("coordinator")],
                host=found.get(values.pop("host") or 0),
                partners=[found[pk] for pk in values.pop("partners")],
                **values,
            )
        except errors.DomainError as exc:
            if isinstance(exc, errors.ValidationFailed):
                add_domain_errors(form, exc)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("The programme is drafted. Add its components, then open it."))
            return redirect("bips:detail", pk=bip.pk)
    return render(request, "bips/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk, action=BipAction.MANAGE)
    partners = [(p.organisation_id, p.organisation.name) for p in selectors.partners_of(bip)]
    initial = {name: getattr(bip, name) for name in BIP_FIELDS} | {
        "host": bip.host_id,
        "version": bip.version,
    }
    form = BipEditForm(request.POST if request.method == "POST" else None, initial=initial, partners=partners)
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = with_version(form.cleaned_data)
        values["host"] = Organisation.objects.get(pk=values["host"])
        try:
            if service_accepts(form, lambda: services.bip_update(actor=request.user, bip=bip, **values)):
                messages.success(request, _("Saved."))
                return redirect("bips:detail", pk=bip.pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    return render(request, "bips/edit.html", {"form": form, "bip": bip, "conflict": conflict})


def small_form(request: HttpRequest, bip, form, *, title: str, action: str) -> HttpResponse:
    context = {
        "bip": bip,
        "form": form,
        "title": title,
        "action": action,
        "section": "bip",
        "back_url": reverse("bips:detail", args=[bip.pk]),
    }
    return render(request, "bips/form_page.html", context)


@login_required
@require_POST
@domain_errors_as_http
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk, action=BipAction.MANAGE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        values = with_version(form.cleaned_data)
        try:
            if service_accepts(form, lambda: services.bip_transition(actor=request.user, bip=bip, **values)):
                label = BipStatus(values["to_status"]).label
                messages.success(request, _("The programme is now: %(status)s.") % {"status": label})
                return redirect("bips:detail", pk=bip.pk)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
    return small_form(request, bip, form, title=_("Move the programme on"), action=request.path)


@login_required
@require_POST
@domain_errors_as_http
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk, action=BipAction.MANAGE)
    form = PartnerForm(request.POST, organisations=_other_organisations(request, selectors.partners_of(bip)))
    if form.is_valid():
        organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        quota = form.cleaned_data["quota"]

        def save() -> None:
            services.bip_partner_add(actor=request.user, bip=bip, organisation=organisation, quota=quota)

        if service_accepts(form, save):
            messages.success(request, _("%(name)s takes part.") % {"name": organisation.name})
            return redirect("bips:detail", pk=bip.pk)
    return small_form(request, bip, form, title=_("Add a partner institution"), action=request.path)


@login_required
@require_POST
@domain_errors_as_http
def component_add(request: HttpRequest, pk: int) -> HttpResponse:
    bip = selectors.get_bip_for_user(user=request.user, pk=pk, action=BipAction.MANAGE)
    form = ComponentForm(request.POST)
    if form.is_valid():

        def save() -> None:
            services.bip_component_save(actor=request.user, bip=bip, **form.cleaned_data)

        if service_accepts(form, save):
            messages.success(request, _("The component is added."))
            return redirect("bips:detail", pk=bip.pk)
    return small_form(request, bip, form, title=_("Add a component"), action=request.path)
