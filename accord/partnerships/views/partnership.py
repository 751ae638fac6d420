"""The list of partnerships, a partnership's page, creating and editing it, its lifecycle and its members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.accounts.access import Action, is_platform_staff, organisation_ids_for
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http, is_htmx
from accord.core.listing import listing, render_listing
from accord.organisations import selectors as directory
from accord.organisations.models import Contact
from accord.partnerships import selectors, services
from accord.partnerships.choices import MemberRole, PartnershipStatus
from accord.partnerships.forms import (
    MemberAddForm,
    MemberRoleForm,
    MemberRowFormSet,
    PartnershipCreateForm,
    PartnershipEditForm,
    TransitionForm,
    add_domain_errors,
    humanise_orderings,
    with_version,
)
from accord.partnerships.querysets import PartnershipAction
from accord.partnerships.views.sections import (
    SECTIONS,
    confirm_delete,
    form_refusal,
    lifecycle_context,
    partnership_for,
    permissions,
    refusal,
    save_form,
    section_context,
    section_done,
    service_accepts,
)

PARTNERSHIP_FIELDS = ("title", "model", "description", "start_date", "end_date")


@login_required
@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    queryset, form = selectors.partnership_list(user=request.user, filters=request.GET)
    humanise_orderings(form)
    coordinator_ids = _coordinator_ids(request)
    may_create = coordinator_ids is None or bool(coordinator_ids)
    return render_listing(
        request,
        listing(request, form=form, queryset=queryset),
        template="partnerships/list.html",
        results="partnerships/_results.html",
        context={"may_create": may_create},
    )


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_for(request, pk)
    context: dict = {}
    for section in SECTIONS:
        context.update(section_context(request, partnership, section))
    return render(request, "partnerships/detail.html", context)


def _organisation_choices(request: HttpRequest) -> list[tuple[int, str]]:
    """(id, name) of every organisation in the directory the user may see, by name."""
    queryset, _form = directory.organisation_list(user=request.user, filters={"ordering": "name"})
    return list(queryset.prefetch_related(None).values_list("pk", "name"))


def _coordinator_ids(request: HttpRequest) -> set[int] | None:
    """The organisations the user may set up partnerships for; None means any (platform staff)."""
    if is_platform_staff(request.user):
        return None
    return organisation_ids_for(request.user, Action.MANAGE)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def create(request: HttpRequest) -> HttpResponse:
    coordinator_ids = _coordinator_ids(request)
    if coordinator_ids is not None and not coordinator_ids:
        raise Forbidden(_("Only admins and coordinators of an organisation can set up partnerships."))
    organisations = _organisation_choices(request)
    coordinators = [o for o in organisations if coordinator_ids is None or o[0] in coordinator_ids]
    data = request.POST if request.method == "POST" else None
    form = PartnershipCreateForm(data, coordinators=coordinators)
    rows = MemberRowFormSet(data, prefix="members", form_kwargs={"organisations": organisations})
    if data is not None and all([form.is_valid(), rows.is_valid()]):
        values = dict(form.cleaned_data)
        members = [(values.pop("coordinator"), MemberRole.COORDINATOR)] + [
            (row["organisation"], row["role"]) for row in rows.cleaned_data if row.get("organisation")
        ]
        try:
            found = selectors.organisations_by_id(
                user=request.user, ids=[pk for pk, _role in members], field="members"
            )
            partnership = services.partnership_create(
                actor=request.user, members=[(found[pk], role) for pk, role in members], **values
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The partnership is set up."))
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(request, "partnerships/create.html", {"form": form, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_for(request, pk, PartnershipAction.CHANGE)
    member_ids = [member.organisation_id for member in partnership.members.all()]
    # Contacts the user may see at member organisations: the ones the service accepts.
    contacts = (
        Contact.objects.for_user(request.user)
        .filter(organisation_id__in=member_ids)
        .select_related("organisation")
        .order_by("organisation__name", "family_name", "given_name")
    )
    initial = {name: getattr(partnership, name) for name in PARTNERSHIP_FIELDS}
    initial["responsible_contacts"] = [contact.pk for contact in partnership.responsible_contacts.all()]
    initial["version"] = partnership.version
    form = PartnershipEditForm(
        request.POST if request.method == "POST" else None, initial=initial, contacts=contacts
    )

    def save() -> None:
        services.partnership_update(
            actor=request.user, partnership=partnership, **with_version(form.cleaned_data)
        )

    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if service_accepts(form, save):
                messages.success(request, _("Saved."))
                return redirect("partnerships:detail", pk=partnership.pk)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
    context = {"form": form, "partnership": partnership, "conflict": conflict}
    return render(request, "partnerships/edit.html", context)


@login_required
@require_POST
@domain_errors_as_http
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the partnership on. Success reloads the whole page, whose buttons depend on the status."""
    partnership = partnership_for(request, pk, PartnershipAction.CHANGE)
    form = TransitionForm(request.POST, to_status=request.POST.get("to_status", ""))

    def move() -> None:
        services.partnership_transition(actor=request.user, partnership=partnership, **form.cleaned_data)

    if form.is_valid() and service_accepts(form, move):
        status = PartnershipStatus(form.cleaned_data["to_status"]).label
        messages.success(request, _("The partnership is now %(status)s.") % {"status": status})
        if is_htmx(request):
            return HttpResponse(headers={"HX-Refresh": "true"})
        return redirect(reverse("partnerships:detail", args=[pk]) + "#lifecycle")
    context = {
        "partnership": partnership,
        "can": permissions(request, partnership),
        **lifecycle_context(request, partnership, failed=form),
    }
    if is_htmx(request):
        return render(request, "partnerships/_lifecycle.html", context)
    return render(request, "partnerships/transition.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_for(request, pk, PartnershipAction.CHANGE)
    member_ids = {member.organisation_id for member in partnership.members.all()}
    choices = [choice for choice in _organisation_choices(request) if choice[0] not in member_ids]
    form = MemberAddForm(request.POST if request.method == "POST" else None, organisations=choices)

    def save(data: dict) -> None:
        organisation = selectors.organisations_by_id(
            user=request.user, ids=[data["organisation"]], field="organisation"
        )[data["organisation"]]
        services.partnership_member_add(
            actor=request.user, partnership=partnership, organisation=organisation, role=data["role"]
        )

    return save_form(
        request,
        partnership,
        form,
        save,
        section="members",
        slot="members",
        title=_("Add a member organisation"),
        action=reverse("partnerships:member-add", args=[pk]),
        done=_("Member added."),
    )


@login_required
@require_POST
@domain_errors_as_http
def member_role(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    """Change a member's role. Handing coordination over moves the ownership of the record, and with
    it what the user may do, so that success reloads the whole page."""
    partnership = partnership_for(request, pk, PartnershipAction.CHANGE)
    member = selectors.member_for(partnership=partnership, pk=member_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return section_done(
            request, partnership, "members", form_refusal(form, _("Choose a role from the list.")), error=True
        )
    try:
        services.partnership_member_update(
            actor=request.user, member=member, **with_version(form.cleaned_data)
        )
    except (errors.ValidationFailed, errors.Conflict) as exc:
        return section_done(request, partnership, "members", refusal(exc), error=True)
    if form.cleaned_data["role"] == MemberRole.COORDINATOR and is_htmx(request):
        messages.success(
            request, _("%(name)s now coordinates the partnership.") % {"name": member.organisation}
        )
        return HttpResponse(headers={"HX-Refresh": "true"})
    return section_done(request, partnership, "members", _("Role changed."))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    partnership = partnership_for(request, pk, PartnershipAction.CHANGE)
    member = selectors.member_for(partnership=partnership, pk=member_id)
    return confirm_delete(
        request,
        partnership,
        lambda version: services.partnership_member_remove(
            actor=request.user, member=member, expected_version=version
        ),
        entry=member,
        section="members",
        title=_("Remove %(name)s from the partnership?") % {"name": member.organisation},
        done=_("Member removed."),
    )
