"""Survey templates: Accord's defaults and each institution's own, and editing them with their version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.core import errors
from accord.core.concurrency import StaleVersion
from accord.core.forms import add_domain_errors, show_conflict
from accord.core.http import domain_errors_as_http
from accord.organisations.models import Organisation
from accord.surveys import bank, selectors, services
from accord.surveys.forms import TemplateCreateForm, TemplateForm, with_version
from accord.surveys.services.templates import has_answers
from accord.surveys.views.results import managed_organisations


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = selectors.template_list(user=request.user)
    for template in templates:
        template.questions = bank.items_of(list(template.items))
    return render(
        request,
        "surveys/templates.html",
        {"templates": templates, "may_create": bool(managed_organisations(request))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    organisations = managed_organisations(request)
    form = TemplateCreateForm(
        request.POST if request.method == "POST" else None,
        organisations=[(o.pk, o.name) for o in organisations],
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = Organisation.objects.get(pk=values.pop("organisation"))
        try:
            template = services.template_create(actor=request.user, organisation=organisation, **values)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The template starts with the bank's questions for this audience."))
            return redirect("surveys:template-edit", pk=template.pk)
    return render(request, "surveys/template_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_template_for_user(user=request.user, pk=pk, action="manage")
    frozen = has_answers(template)
    initial = {
        "name": template.name,
        "is_active": template.is_active,
        "items": template.items,
        "version": template.version,
    }
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial, frozen=frozen)
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = with_version(form.cleaned_data)
        if frozen:
            values.pop("items")
        try:
            services.template_update(actor=request.user, template=template, **values)
        except StaleVersion as exc:
            conflict = show_conflict(form, exc)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:templates")
    return render(
        request,
        "surveys/template_edit.html",
        {"form": form, "template": template, "frozen": frozen, "conflict": conflict},
    )
