"""The unit and contact sections of a profile: small forms that swap their section (htmx) or post and
redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.access import Action
from accord.core import errors
from accord.core.http import domain_errors_as_http, is_htmx
from accord.organisations import selectors, services
from accord.organisations.forms import ContactForm, UnitForm, add_domain_errors
from accord.organisations.models import Organisation


def _unit_nodes(tree: list) -> list[dict]:
    """Turn ``selectors.unit_tree``'s depth-first (unit, depth) list into nested nodes for the template."""
    roots: list[dict] = []
    ancestors: list[dict] = []
    for unit, depth in tree:
        node = {"unit": unit, "children": []}
        del ancestors[depth:]
        (ancestors[-1]["children"] if ancestors else roots).append(node)
        ancestors.append(node)
    return roots


def units_context(request: HttpRequest, organisation: Organisation, **extra) -> dict:
    tree = selectors.unit_tree(organisation=organisation)
    return {
        "organisation": organisation,
        "unit_nodes": _unit_nodes(tree),
        "can": selectors.organisation_permissions(user=request.user, organisation=organisation),
        **extra,
    }


def contacts_context(request: HttpRequest, organisation: Organisation, **extra) -> dict:
    return {
        "organisation": organisation,
        "contacts": list(selectors.contacts_visible(user=request.user, organisation=organisation)),
        "can": selectors.organisation_permissions(user=request.user, organisation=organisation),
        **extra,
    }


def _section_done(
    request: HttpRequest, organisation: Organisation, section: str, status: str
) -> HttpResponse:
    """After a change: the refreshed section for htmx, else back to the profile with a message."""
    if is_htmx(request):
        context = (units_context if section == "units" else contacts_context)(
            request, organisation, status=status
        )
        return render(request, f"organisations/_{section}.html", context)
    messages.success(request, status)
    return redirect(reverse("organisations:detail", args=[organisation.pk]) + f"#{section}")


def _form_page(request: HttpRequest, organisation: Organisation, section: str, **context) -> HttpResponse:
    """The small form: as a fragment in the section's slot (htmx) or as a page of its own."""
    context = {"organisation": organisation, "section": section, **context}
    if is_htmx(request):
        first_field = next(iter(context["form"].fields.values()))
        first_field.widget.attrs["autofocus"] = True  # keyboard users land in the form swapped in
        response = render(request, "organisations/_small_form.html", {**context, "inline": True})
        if request.method == "POST":  # refused: show the errors in the form, not in place of the section
            response["HX-Retarget"] = f"#{section}-form-slot"
            response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "organisations/small_form.html", context)


def _managed_organisation(request: HttpRequest, pk: int) -> Organisation:
    return selectors.get_organisation_for_user(user=request.user, pk=pk, action=Action.MANAGE)


def _unit_or_none(request: HttpRequest, organisation: Organisation, unit_id: str | None):
    if not unit_id:
        return None
    return selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=int(unit_id))


@login_required
@require_GET
@domain_errors_as_http
def unit_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(user=request.user, pk=pk)
    if not is_htmx(request):
        return redirect(reverse("organisations:detail", args=[pk]) + "#units")
    return render(request, "organisations/_units.html", units_context(request, organisation))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_form(request, _managed_organisation(request, pk), unit=None)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def unit_edit(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    unit = selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=unit_id)
    return _unit_form(request, organisation, unit=unit)


def _unit_form(request: HttpRequest, organisation: Organisation, *, unit) -> HttpResponse:
    tree = selectors.unit_tree(organisation=organisation)
    initial = (
        {
            "name": unit.name,
            "code": unit.code,
            "abbreviation": unit.abbreviation,
            "parent": unit.parent_id or "",
        }
        if unit
        else {}
    )
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        tree=tree,
        exclude=unit.pk if unit else None,
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        data["parent"] = _unit_or_none(request, organisation, data.pop("parent"))
        try:
            if unit is None:
                services.unit_create(actor=request.user, organisation=organisation, **data)
            else:
                services.unit_update(actor=request.user, unit=unit, **data)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            done = _("Unit added.") if unit is None else _("Unit saved.")
            return _section_done(request, organisation, "units", done)
    if unit is None:
        title, action = _("Add a unit"), reverse("organisations:unit-create", args=[organisation.pk])
    else:
        title = _("Edit the unit “%(name)s”") % {"name": unit.name}
        action = reverse("organisations:unit-edit", args=[organisation.pk, unit.pk])
    return _form_page(request, organisation, "units", form=form, title=title, action=action)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def unit_delete(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    unit = selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=unit_id)
    if request.method == "POST":
        services.unit_delete(actor=request.user, unit=unit)
        return _section_done(request, organisation, "units", _("Unit deleted."))
    return render(
        request,
        "organisations/confirm_delete.html",
        {
            "organisation": organisation,
            "section": "units",
            "title": _("Delete the unit “%(name)s”?") % {"name": unit.name},
            "explanation": _("Its sub-units are deleted too; its contacts stay, without a unit."),
        },
    )


@login_required
@require_GET
@domain_errors_as_http
def contact_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(user=request.user, pk=pk)
    if not is_htmx(request):
        return redirect(reverse("organisations:detail", args=[pk]) + "#contacts")
    return render(request, "organisations/_contacts.html", contacts_context(request, organisation))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_form(request, _managed_organisation(request, pk), contact=None)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def contact_edit(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    contact = selectors.get_contact_for_user(user=request.user, organisation=organisation, pk=contact_id)
    return _contact_form(request, organisation, contact=contact)


def _contact_form(request: HttpRequest, organisation: Organisation, *, contact) -> HttpResponse:
    tree = selectors.unit_tree(organisation=organisation)
    fields = ("given_name", "family_name", "email", "phone", "role", "position", "visibility")
    initial = {name: getattr(contact, name) for name in fields} if contact else {}
    if contact:
        initial["unit"] = contact.unit_id or ""
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial, tree=tree)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        data["unit"] = _unit_or_none(request, organisation, data.pop("unit"))
        try:
            if contact is None:
                services.contact_create(actor=request.user, organisation=organisation, **data)
            else:
                services.contact_update(actor=request.user, contact=contact, **data)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            done = _("Contact added.") if contact is None else _("Contact saved.")
            return _section_done(request, organisation, "contacts", done)
    if contact is None:
        title, action = _("Add a contact"), reverse("organisations:contact-create", args=[organisation.pk])
    else:
        title = _("Edit the contact “%(name)s”") % {"name": contact}
        action = reverse("organisations:contact-edit", args=[organisation.pk, contact.pk])
    return _form_page(request, organisation, "contacts", form=form, title=title, action=action)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def contact_delete(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    contact = selectors.get_contact_for_user(user=request.user, organisation=organisation, pk=contact_id)
    if request.method == "POST":
        services.contact_delete(actor=request.user, contact=contact)
        return _section_done(request, organisation, "contacts", _("Contact deleted."))
    return render(
        request,
        "organisations/confirm_delete.html",
        {
            "organisation": organisation,
            "section": "contacts",
            "title": _("Delete the contact “%(name)s”?") % {"name": contact},
            "explanation": "",
        },
    )
