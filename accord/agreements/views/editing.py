"""The writes on an agreement's page: conditions and terms edited in place, sharing, approving,
renewing, terminating and attachments.

A write that changes the content makes a new version, which changes the hash, the approvals and
the timeline shown all over the page; so after a change htmx swaps the whole ``#agreement`` article
rather than one row. A refused form is swapped back in place of itself with its errors (a 200, as
htmx swaps no error responses); without JavaScript the forms are pages that post and redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.agreements import notifications, selectors, services
from accord.agreements.forms import (
    ApproveForm,
    AttachmentForm,
    ConditionForm,
    RemoveConditionForm,
    RenewForm,
    ShareForm,
    TerminateForm,
    TermsForm,
)
from accord.agreements.models import Agreement
from accord.agreements.querysets import AgreementAction
from accord.agreements.views.page import agreement_for, detail_url, partner_choices, render_agreement
from accord.core import errors
from accord.core.forms import Conflict as FormConflict
from accord.core.forms import add_domain_errors
from accord.core.http import domain_errors_as_http, is_htmx

EDIT = AgreementAction.EDIT


def _refusal(exc: errors.DomainError) -> str:
    """A refusal as sentences for a message, without the field paths of a ValidationFailed."""
    if isinstance(exc, errors.ValidationFailed):
        return " ".join(text for texts in exc.errors.values() for text in texts)
    return exc.message


def _done(
    request: HttpRequest, agreement: Agreement, message: str, *, error: bool = False, section: str = ""
):
    """After a write or a refusal: the refreshed agreement for htmx, else back to the page with a message."""
    if is_htmx(request):
        # Read again: a new version may have changed the parties the object holds.
        fresh = agreement_for(request, agreement.pk)
        return render_agreement(request, fresh, **({"error": message} if error else {"status": message}))
    (messages.error if error else messages.success)(request, message)
    return redirect(detail_url(agreement, section))


def _saved(version) -> str:
    if version is None:
        return _("Nothing changed: the agreement already says this.")
    return _("Saved as version %(number)s.") % {"number": version.number}


def _form_response(
    request: HttpRequest, fragment: str, page_context: dict, *, row: bool = False
) -> HttpResponse:
    """A form: swapped into the page for htmx (in place of itself when refused), else a page."""
    if not is_htmx(request):
        return render(request, "agreements/form_page.html", {**page_context, "fragment": fragment})
    if request.method == "POST":
        response = render(request, fragment, page_context)
        response["HX-Retarget"] = "this"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "agreements/_condition_row_form.html" if row else fragment, page_context)


def _refused(form, exc: errors.Conflict, agreement: Agreement) -> FormConflict | None:
    """A write refused because another version was saved since the form was opened becomes the
    conflict notice: the form keeps the person's values and now starts from the current version, so
    that "keep mine" saves them over it; any other conflict is a form error."""
    if exc.code != "stale_version":
        form.add_error(None, exc.message)
        return None
    current = Agreement.objects.select_related("current_version").get(pk=agreement.pk).version
    data = form.data.copy()
    data[form.add_prefix("base_version")] = str(current)
    form.data = data
    return FormConflict(message=exc.message, changed_by="", changed_at=None, rows=[])


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the condition ``?key=…`` of the current version, or add one when no key is given."""
    agreement = agreement_for(request, pk, EDIT)
    document = agreement.current_version.content
    key = request.GET.get("key", "")
    positions = {condition["key"]: index for index, condition in enumerate(document["conditions"])}
    if key and key not in positions and request.method == "GET":
        raise errors.NotFound(_("This agreement has no such cooperation condition."))
    existing = key in positions
    index = positions[key] if existing else len(document["conditions"])
    initial = {"base_version": agreement.current_version.number}
    if not existing:
        initial.update(sending_partner="0", receiving_partner="1")
    form = ConditionForm(
        request.POST if request.method == "POST" else None,
        partners=partner_choices(agreement, document),
        base=document["conditions"][index] if existing else ({"key": key} if key else None),
        initial=initial,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        partner_index = {str(position): position for position in range(len(document["partners"]))}
        condition = form.condition(partner_index=partner_index)
        try:
            version = services.condition_save(
                actor=request.user,
                agreement=agreement,
                condition=condition,
                base_version=form.cleaned_data["base_version"],
                summary=form.cleaned_data["summary"],
            )
        except errors.ValidationFailed as exc:
            form.add_content_errors(exc, index=index)
        except errors.Conflict as exc:
            conflict = _refused(form, exc, agreement)
        else:
            return _done(request, agreement, _saved(version), section="conditions")
    if existing:
        title = _("Edit condition %(number)s") % {"number": index + 1}
    else:
        title = _("Add a cooperation condition")
    context = {
        "agreement": agreement,
        "form": form,
        "title": title,
        "key": key,
        "number": index + 1,
        "conflict": conflict,
        "reload_url": request.get_full_path(),
    }
    return _form_response(request, "agreements/_condition_form.html", context, row=existing)


@login_required
@require_POST
@domain_errors_as_http
def condition_remove(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    form = RemoveConditionForm(request.POST)
    if not form.is_valid():
        return _done(
            request, agreement, _("Reload the page and try again."), error=True, section="conditions"
        )
    try:
        version = services.condition_remove(
            actor=request.user,
            agreement=agreement,
            key=form.cleaned_data["key"],
            base_version=form.cleaned_data["base_version"],
        )
    except (errors.ValidationFailed, errors.Conflict) as exc:
        return _done(request, agreement, _refusal(exc), error=True, section="conditions")
    return _done(request, agreement, _saved(version), section="conditions")


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def terms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    current = agreement.current_version
    form = TermsForm(
        request.POST if request.method == "POST" else None,
        initial=TermsForm.initial_from(agreement.title, current.content["terms"], current.number),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_update(
                actor=request.user,
                agreement=agreement,
                content={**current.content, "terms": form.terms()},
                base_version=form.cleaned_data["base_version"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except errors.ValidationFailed as exc:
            form.add_content_errors(exc)
        except errors.Conflict as exc:
            conflict = _refused(form, exc, agreement)
        else:
            return _done(request, agreement, _saved(version), section="terms")
    context = {
        "agreement": agreement,
        "form": form,
        "title": _("Edit the title and terms"),
        "conflict": conflict,
        "reload_url": request.get_full_path(),
    }
    return _form_response(request, "agreements/_terms_form.html", context)


@login_required
@require_POST
@domain_errors_as_http
def share(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _done(request, agreement, _("Reload the page and try again."), error=True)
    try:
        version = services.agreement_share(
            actor=request.user, agreement=agreement, version_number=form.cleaned_data["version_number"]
        )
    except (errors.ValidationFailed, errors.Conflict) as exc:
        return _done(request, agreement, _refusal(exc), error=True)
    return _done(request, agreement, _shared_message(agreement, version.number))


def _shared_message(agreement: Agreement, number: int) -> str:
    """Who was told of the shared version by e-mail, and, plainly, who was not."""
    kind = "amended" if agreement.approved_version_id else "shared"
    reached = notifications.reach(agreement, kind)
    told = [f"{name} ({', '.join(emails)})" for name, emails in reached if emails]
    untold = [name for name, emails in reached if not emails]
    message = _("Version %(number)s is shared with the partners.") % {"number": number}
    if told:
        message += " " + _("Told by e-mail: %(told)s.") % {"told": "; ".join(told)}
    if untold:
        message += " " + _(
            "Not told: %(untold)s. No contact there has an e-mail address on this agreement or its "
            "partnership, so no e-mail was sent; tell them yourself and add a contact."
        ) % {"untold": ", ".join(untold)}
    return message


@login_required
@require_POST
@domain_errors_as_http
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, AgreementAction.APPROVE)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _done(request, agreement, _("Reload the page and try again."), error=True)
    organisation = None
    if form.cleaned_data["organisation"] is not None:
        organisation = next(
            (
                link.organisation
                for link in agreement.party_links.all()
                if link.organisation_id == form.cleaned_data["organisation"]
            ),
            None,
        )
        if organisation is None:
            return _done(
                request, agreement, _("That organisation is not a party to this agreement."), error=True
            )
    try:
        approval = services.agreement_approve(
            actor=request.user,
            agreement=agreement,
            version_number=form.cleaned_data["version_number"],
            conditions_hash=form.cleaned_data["conditions_hash"],
            organisation=organisation,
        )
    except (errors.ValidationFailed, errors.Conflict) as exc:
        return _done(request, agreement, _refusal(exc), error=True)
    return _done(
        request,
        agreement,
        _("Version %(number)s is approved for %(organisation)s.")
        % {"number": approval.version.number, "organisation": approval.organisation.name},
    )


def _action_page(request: HttpRequest, agreement: Agreement, form, **context) -> HttpResponse:
    return render(request, "agreements/action_page.html", {"agreement": agreement, "form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    form = RenewForm(request.POST or None, initial={"base_version": agreement.current_version.number})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_renew(
                actor=request.user,
                agreement=agreement,
                first_academic_year=form.cleaned_data["first_academic_year"].label,
                last_academic_year=form.cleaned_data["last_academic_year"].label,
                base_version=form.cleaned_data["base_version"],
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Renewed as version %(number)s; share it with the partners for their approval.")
                % {"number": version.number},
            )
            return redirect(detail_url(agreement))
    return _action_page(
        request,
        agreement,
        form,
        title=_("Renew the agreement"),
        explanation=_("Every cooperation condition is copied to the new academic years as a new version."),
        submit=_("Renew"),
        action="agreements:renew",
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def terminate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(
                actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"]
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        except errors.Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The agreement is terminated."))
            return redirect(detail_url(agreement))
    return _action_page(
        request,
        agreement,
        form,
        title=_("Terminate the agreement"),
        explanation=_("Terminating ends the agreement as a whole; it cannot be undone."),
        submit=_("Terminate"),
        action="agreements:terminate",
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                agreement=agreement,
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
            )
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(detail_url(agreement, "attachments"))
    return _action_page(
        request,
        agreement,
        form,
        title=_("Attach a document"),
        submit=_("Attach"),
        action="agreements:attachment-add",
        multipart=True,
    )


@login_required
@require_POST
@domain_errors_as_http
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    agreement = agreement_for(request, pk, EDIT)
    attachment = selectors.attachment_for(agreement=agreement, pk=attachment_id)
    services.attachment_remove(actor=request.user, attachment=attachment)
    return _done(request, agreement, _("The attachment is removed."), section="attachments")
