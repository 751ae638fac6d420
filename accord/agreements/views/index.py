"""The list of agreements and drafting a new one from a partnership's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.agreements import selectors, services
from accord.agreements.filters import AgreementFilterForm
from accord.agreements.forms import AgreementCreateForm, ConditionForm
from accord.core import errors
from accord.core.filters import valid_filter_values
from accord.core.http import domain_errors_as_http
from accord.core.listing import listing, render_listing
from accord.partnerships import selectors as partnerships


@login_required
@require_GET
@domain_errors_as_http
def agreement_list(request: HttpRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET)
    filters = valid_filter_values(form)
    partnership = None
    if filters.get("partnership"):
        partnership = partnerships.get_partnership_for_user(user=request.user, pk=filters["partnership"])
    queryset = selectors.agreement_list(
        user=request.user,
        partnership=partnership,
        status=filters.get("status"),
        query=filters.get("q"),
        todo=filters.get("todo"),
    )
    may_draft = (
        partnership is not None
        and partnerships.partnership_permissions(user=request.user, partnership=partnership)["contribute"]
    )
    # The partnership's page loads its agreements with htmx, so its own queries stay its own.
    return render_listing(
        request,
        listing(request, form=form, queryset=queryset),
        template="agreements/list.html",
        results="agreements/_results.html",
        context={
            "partnership": partnership,
            "may_draft": may_draft,
            # Clearing the filters keeps the list narrowed to its partnership.
            "reset_url": f"{request.path}?partnership={partnership.pk}" if partnership else None,
        },
    )


def _owner_choices(request: HttpRequest, members) -> list[tuple[int, str]]:
    managed = (
        None if is_platform_staff(request.user) else organisation_ids_with_roles(request.user, MANAGING_ROLES)
    )
    return [
        (member.organisation_id, member.organisation.name)
        for member in members
        if managed is None or member.organisation_id in managed
    ]


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def create(request: HttpRequest) -> HttpResponse:
    partnership_id = request.GET.get("partnership", "")
    if not partnership_id.isdigit():
        messages.info(request, _("Draft an agreement from the page of its partnership."))
        return redirect("partnerships:list")
    partnership = partnerships.get_partnership_for_user(user=request.user, pk=int(partnership_id))
    owners = _owner_choices(request, partnership.members.all())
    if not owners:
        raise errors.PermissionDenied(
            _("Only admins and coordinators of the partnership's members can draft agreements.")
        )
    members = [(member.organisation_id, member.organisation.name) for member in partnership.members.all()]
    data = request.POST if request.method == "POST" else None
    initial = {"owner": owners[0][0], "partners": [pk for pk, _name in members if pk != owners[0][0]][:1]}
    form = AgreementCreateForm(data, initial=initial, owners=owners, members=members)
    condition_form = ConditionForm(
        data,
        prefix="condition",
        optional=True,
        partners=[(str(pk), name) for pk, name in members],
    )
    if data is not None and form.is_valid() and condition_form.is_valid():
        partner_index = {str(pk): position for position, pk in enumerate(form.partner_ids())}
        condition = (
            condition_form.condition(partner_index=partner_index) if condition_form.has_condition() else None
        )
        if condition_form.is_valid():
            owner = next(
                m.organisation
                for m in partnership.members.all()
                if m.organisation_id == form.cleaned_data["owner"]
            )
            try:
                agreement = services.agreement_create(
                    actor=request.user,
                    partnership=partnership,
                    title=form.cleaned_data["title"],
                    owner=owner,
                    content=form.document(condition),
                )
            except errors.ValidationFailed as exc:
                form.add_content_errors(exc)
                condition_form.add_content_errors(exc, index=0)
            else:
                messages.success(request, _("Version 1 of the agreement is drafted."))
                return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/create.html",
        {"form": form, "condition_form": condition_form, "partnership": partnership},
    )
