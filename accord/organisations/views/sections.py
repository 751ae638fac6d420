"""The unit and contact sections of a profile: small forms that swap their section (htmx) or post and
redirect.

Listing, adding, editing and deleting take the same steps in both sections, so one set of views
serves them (``section``, ``entry_create``, ``entry_edit``, ``entry_delete``); ``urls.py`` passes
each route the ``SubPage`` below that says what differs: the form, the selector and services, and
what the pages say.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.access import Action
from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import show_conflict
from accord.core.http import domain_errors_as_http, is_htmx, small_form_response
from accord.organisations import selectors, services
from accord.organisations.forms import (
    ContactEditForm,
    ContactForm,
    UnitEditForm,
    UnitForm,
    add_domain_errors,
)
from accord.organisations.models import Contact, Organisation, OrganisationalUnit


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


@dataclass(frozen=True)
class SubPage:
    """A section of the profile whose entries are added, edited and deleted with small forms.

    ``section`` names the section's anchor, its fragment ``organisations/_<section>.html`` and its
    URL; ``name`` the URLs ``<name>-create`` and ``<name>-edit`` and the service's keyword for an
    entry. ``unit_field`` is the form's unit picker, read as the unit it names; ``edit_form`` is
    ``form`` with the version of the entry it was opened at.
    """

    section: str
    name: str
    context: Callable[..., dict]
    form: type[forms.Form]
    edit_form: type[forms.Form]
    form_kwargs: Callable[[Any], dict]
    initial: Callable[[Any], dict]
    unit_field: str
    get: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    add_title: str
    edit_title: str
    delete_title: str
    delete_explanation: str
    submit: str
    added: str
    saved: str
    deleted: str


def _unit_initial(unit: OrganisationalUnit) -> dict:
    return {
        "name": unit.name,
        "code": unit.code,
        "abbreviation": unit.abbreviation,
        "parent": unit.parent_id or "",
        "version": unit.version,
    }


CONTACT_FIELDS = ("given_name", "family_name", "email", "phone", "role", "position", "visibility")


def _contact_initial(contact: Contact) -> dict:
    return {
        **{name: getattr(contact, name) for name in CONTACT_FIELDS},
        "unit": contact.unit_id or "",
        "version": contact.version,
    }


UNITS = SubPage(
    section="units",
    name="unit",
    context=units_context,
    form=UnitForm,
    edit_form=UnitEditForm,
    # A unit cannot be placed under itself.
    form_kwargs=lambda unit: {"exclude": unit.pk if unit else None},
    initial=_unit_initial,
    unit_field="parent",
    get=selectors.get_unit_for_user,
    create=services.unit_create,
    update=services.unit_update,
    delete=services.unit_delete,
    add_title=gettext_lazy("Add a unit"),
    edit_title=gettext_lazy("Edit the unit “%(name)s”"),
    delete_title=gettext_lazy("Delete the unit “%(name)s”?"),
    delete_explanation=gettext_lazy("Its sub-units are deleted too; its contacts stay, without a unit."),
    submit=gettext_lazy("Save unit"),
    added=gettext_lazy("Unit added."),
    saved=gettext_lazy("Unit saved."),
    deleted=gettext_lazy("Unit deleted."),
)

CONTACTS = SubPage(
    section="contacts",
    name="contact",
    context=contacts_context,
    form=ContactForm,
    edit_form=ContactEditForm,
    form_kwargs=lambda contact: {},
    initial=_contact_initial,
    unit_field="unit",
    get=selectors.get_contact_for_user,
    create=services.contact_create,
    update=services.contact_update,
    delete=services.contact_delete,
    add_title=gettext_lazy("Add a contact"),
    edit_title=gettext_lazy("Edit the contact “%(name)s”"),
    delete_title=gettext_lazy("Delete the contact “%(name)s”?"),
    delete_explanation="",
    submit=gettext_lazy("Save contact"),
    added=gettext_lazy("Contact added."),
    saved=gettext_lazy("Contact saved."),
    deleted=gettext_lazy("Contact deleted."),
)


def _section_done(
    request: HttpRequest, organisation: Organisation, kind: SubPage, status: str
) -> HttpResponse:
    """After a change: the refreshed section for htmx, else back to the profile with a message."""
    if is_htmx(request):
        context = kind.context(request, organisation, status=status)
        return render(request, f"organisations/_{kind.section}.html", context)
    messages.success(request, status)
    return redirect(reverse("organisations:detail", args=[organisation.pk]) + f"#{kind.section}")


def _form_page(request: HttpRequest, organisation: Organisation, kind: SubPage, **context) -> HttpResponse:
    """The small form: as a fragment in the section's slot (htmx) or as a page of its own."""
    context = {
        "organisation": organisation,
        "section": kind.section,
        "submit_label": kind.submit,
        "section_url": reverse(f"organisations:{kind.section}", args=[organisation.pk]),
        "back_url": reverse("organisations:detail", args=[organisation.pk]) + f"#{kind.section}",
        **context,
    }
    return small_form_response(request, context, slot=kind.section, page="organisations/small_form.html")


def _managed_organisation(request: HttpRequest, pk: int) -> Organisation:
    return selectors.get_organisation_for_user(user=request.user, pk=pk, action=Action.MANAGE)


def _unit_or_none(request: HttpRequest, organisation: Organisation, unit_id: str | None):
    if not unit_id:
        return None
    return selectors.get_unit_for_user(user=request.user, organisation=organisation, pk=int(unit_id))


@login_required
@require_GET
@domain_errors_as_http
def section(request: HttpRequest, pk: int, kind: SubPage) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(user=request.user, pk=pk)
    if not is_htmx(request):
        return redirect(reverse("organisations:detail", args=[pk]) + f"#{kind.section}")
    return render(request, f"organisations/_{kind.section}.html", kind.context(request, organisation))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def entry_create(request: HttpRequest, pk: int, kind: SubPage) -> HttpResponse:
    return _entry_form(request, _managed_organisation(request, pk), kind, entry=None)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def entry_edit(request: HttpRequest, pk: int, entry_id: int, kind: SubPage) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    entry = kind.get(user=request.user, organisation=organisation, pk=entry_id)
    return _entry_form(request, organisation, kind, entry=entry)


def _entry_form(request: HttpRequest, organisation: Organisation, kind: SubPage, *, entry) -> HttpResponse:
    form = (kind.form if entry is None else kind.edit_form)(
        request.POST if request.method == "POST" else None,
        initial=kind.initial(entry) if entry else {},
        tree=selectors.unit_tree(organisation=organisation),
        **kind.form_kwargs(entry),
    )
    if entry is None:
        title = kind.add_title
        action = reverse(f"organisations:{kind.name}-create", args=[organisation.pk])
    else:
        title = kind.edit_title % {"name": entry}
        action = reverse(f"organisations:{kind.name}-edit", args=[organisation.pk, entry.pk])
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        data[kind.unit_field] = _unit_or_none(request, organisation, data.pop(kind.unit_field))
        try:
            if entry is None:
                kind.create(actor=request.user, organisation=organisation, **data)
            else:
                data["expected_version"] = data.pop("version")
                kind.update(actor=request.user, **{kind.name: entry}, **data)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            return _section_done(request, organisation, kind, kind.added if entry is None else kind.saved)
    # The conflict notice (in includes/_small_form.html) reloads the saved values with this form's URL.
    reload = {"conflict": conflict, "reload_url": action, "reload_hx": action if is_htmx(request) else ""}
    return _form_page(request, organisation, kind, form=form, title=title, action=action, **reload)


VERSION_MISSING = gettext_lazy(
    "This page no longer says which version it was opened at, so nothing was deleted. "
    "Reload it and delete again."
)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def entry_delete(request: HttpRequest, pk: int, entry_id: int, kind: SubPage) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    entry = kind.get(user=request.user, organisation=organisation, pk=entry_id)
    refusal, status = "", 200
    if request.method == "POST":
        version = request.POST.get("version", "")
        if not version.isdigit():
            refusal, status = VERSION_MISSING, 400
        else:
            try:
                kind.delete(actor=request.user, expected_version=int(version), **{kind.name: entry})
            except StaleVersion as exc:
                # Shown again at the version now saved: deleting it is a second, informed click.
                refusal, status = exc.message, 412
                entry = kind.get(user=request.user, organisation=organisation, pk=entry_id)
            else:
                return _section_done(request, organisation, kind, kind.deleted)
    return render(
        request,
        "organisations/confirm_delete.html",
        {
            "organisation": organisation,
            "section": kind.section,
            "entry": entry,
            "refusal": refusal,
            "title": kind.delete_title % {"name": entry},
            "explanation": kind.delete_explanation,
        },
        status=status,
    )
