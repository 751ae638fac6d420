"""Answering: the surveys waiting for the signed-in person, and the answer page behind each link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accord.core import errors
from accord.core.forms import add_domain_errors
from accord.core.http import domain_errors_as_http
from accord.surveys import selectors, services
from accord.surveys.forms import AnswerForm, field_name
from accord.surveys.services.responses import may_answer


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/mine.html", {"invitations": selectors.my_invitations(user=request.user)})


@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if invitation.user_id is not None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_answer(request.user, invitation):
        raise Http404
    template = invitation.survey.template
    context = {"invitation": invitation, "survey": invitation.survey, "template": template}
    if invitation.answered_at is not None:
        return render(request, "surveys/answered.html", context)
    form = AnswerForm(request.POST if request.method == "POST" else None, codes=list(template.items))
    if request.method == "POST" and form.is_valid():
        scores, texts = form.answers()
        try:
            services.response_submit(actor=request.user, invitation=invitation, scores=scores, texts=texts)
        except errors.ValidationFailed as exc:
            add_domain_errors(form, exc, aliases={code: field_name(code) for code in template.items})
        except errors.Conflict as exc:
            messages.info(request, exc.message)
            return render(request, "surveys/answered.html", context)
        else:
            messages.success(request, _("Thank you: your answers are saved, apart from your name."))
            if request.user.is_authenticated:
                return redirect("surveys:mine")
            return render(request, "surveys/answered.html", context)
    context["form"] = form
    return render(request, "surveys/answer.html", context)
