"""Accounts pages: thin shells that parse a form, call a service or selector, and render."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp import user_has_device

from accord.accounts import forms, selectors, services
from accord.accounts.access import Action, may, two_factor_recommended
from accord.accounts.middleware import TwoFactorMiddleware
from accord.accounts.tokens import api_token_create, api_token_revoke
from accord.core import dashboard as home
from accord.core.errors import DomainError, NotFound, PermissionDenied

NEW_USER_BACKEND = "accord.accounts.backends.UsernameOrEmailBackend"


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- sign-in -----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Password first; users with a confirmed authenticator then go to the code step."""

    form_class = forms.LoginForm
    template_name = "accounts/login.html"

    def get_success_url(self):
        target = super().get_success_url()
        if user_has_device(self.request.user, confirmed=True):
            return f"{reverse('accounts:login_verify')}?{urlencode({'next': target})}"
        return target


@never_cache
def login_verify(request):
    """The second sign-in step: a code from the authenticator app verifies this session."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    target = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if not TwoFactorMiddleware.needs_code(request.user):
        return HttpResponseRedirect(target)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_check(actor=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            otp_login(request, device)
            return HttpResponseRedirect(target)
    return render(request, "accounts/login_verify.html", {"form": form, "next": target})


@login_required
@never_cache
def two_factor(request):
    """Set up (scan, then confirm with a code) or turn off sign-in codes from an authenticator app."""
    form = forms.CodeForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "start":
                services.two_factor_start(actor=request.user)
                return redirect("accounts:two_factor")
            if form.is_valid() and action == "confirm":
                device = services.two_factor_confirm(actor=request.user, code=form.cleaned_data["code"])
                otp_login(request, device)
                messages.success(
                    request, _("Two-factor sign-in is on. Next time you sign in, we ask for a code.")
                )
                return redirect("accounts:two_factor")
            if form.is_valid() and action == "disable":
                services.two_factor_disable(actor=request.user, code=form.cleaned_data["code"])
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two_factor")
        except DomainError as exc:
            forms.add_domain_error(form, exc)
    confirmed, pending = selectors.two_factor_state(user=request.user)
    context = {"form": form, "confirmed": confirmed, "pending": pending}
    if pending is not None and confirmed is None:
        context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(
            scale=5, title=_("QR code to scan with your authenticator app")
        )
        context["manual_secret"] = selectors.totp_secret_for_display(pending)
    status = 422 if form.errors else 200
    return render(request, "accounts/two_factor.html", context, status=status)


# --- password reset and change (Django's views, our templates and URL names) ----------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = forms.LocalisedPasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"base_url": settings.ACCORD_BASE_URL.rstrip("/")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


# --- dashboard and profile -----------------------------------------------------------------------


@login_required
def dashboard(request):
    user = request.user
    memberships = [
        (membership, may(user, Action.MANAGE_MEMBERS, membership.organisation_id))
        for membership in selectors.memberships_for_user(user=user)
    ]
    confirmed, _pending = selectors.two_factor_state(user=user)
    items = home.items_for(user, timezone.localdate())
    return render(
        request,
        "accounts/dashboard.html",
        {
            "todo": [item for item in items if not item.mine],
            "journey": [item for item in items if item.mine],
            "memberships": memberships,
            "invitations": list(selectors.invitations_for_user(user=user)),
            "two_factor_on": confirmed is not None,
            "two_factor_nudge": confirmed is None and two_factor_recommended(user),
        },
    )


def _profile_context(request, **extra) -> dict:
    return {
        "language_form": extra.pop("language_form", None)
        or forms.LanguageForm(initial={"language": request.user.language}),
        "tokens": selectors.tokens_for_user(user=request.user),
        "token_form": extra.pop("token_form", None) or forms.TokenForm(),
        "two_factor_on": user_has_device(request.user, confirmed=True),
        **extra,
    }


@login_required
@never_cache
def profile(request):
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def profile_language(request):
    form = forms.LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.user_language_set(actor=request.user, language=form.cleaned_data["language"])
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            response = redirect("accounts:profile")
            # The cookie follows, so pages after signing out keep the choice (or the browser's again).
            if request.user.language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
            else:
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
                request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
            # The confirmation is read on the next page, already in the new language.
            translation.activate(request.user.language or translation.get_language_from_request(request))
            messages.success(request, _("Your language is saved."))
            return response
    return render(request, "accounts/profile.html", _profile_context(request, language_form=form), status=422)


@require_POST
def set_language(request):
    """Django's language switch (cookie, then back to the page), which for a signed-in user also
    saves the choice: the saved language wins over the cookie, so otherwise the switch would not stick."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(actor=request.user, language=language)
    return response


@login_required
@never_cache
@require_POST
def token_create(request):
    """Create a token and show its secret in this response only; it is never retrievable again."""
    form = forms.TokenForm(request.POST)
    new_token = new_secret = None
    if form.is_valid():
        try:
            new_token, new_secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            form = forms.TokenForm()
    context = _profile_context(request, token_form=form, new_token=new_token, new_secret=new_secret)
    template = "accounts/_tokens.html" if request.headers.get("HX-Request") else "accounts/profile.html"
    return render(request, template, context, status=422 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.headers.get("HX-Request"):
        return render(request, "accounts/_tokens.html", _profile_context(request))
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


# --- members and invitations ---------------------------------------------------------------------


def _organisation_for_admin(request, organisation_id: int):
    try:
        return selectors.get_organisation_for_member_admin(user=request.user, organisation_id=organisation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


@login_required
def members(request, organisation_id: int):
    """The organisation's members and open invitations; admins invite people from here."""
    organisation = _organisation_for_admin(request, organisation_id)
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _secret = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:members", organisation_id=organisation.pk)
    context = {
        "organisation": organisation,
        "members": selectors.member_list(organisation=organisation),
        "invitations": selectors.pending_invitations(organisation=organisation),
        "form": form,
        "role_choices": forms.RoleForm.base_fields["role"].choices,
    }
    return render(request, "accounts/members.html", context, status=422 if form.errors else 200)


def _after_member_action(request, organisation_id: int, action, success: str, *, versioned: bool = False):
    """Run ``action`` (given the version the page showed, when ``versioned``) and go back to the
    members page with what came of it; a change made from an outdated page is refused, saying who
    changed the member since."""
    _organisation_for_admin(request, organisation_id)
    arguments = []
    if versioned:
        form = forms.MembershipVersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors() or form.errors.get("version", [])))
            return redirect("accounts:members", organisation_id=organisation_id)
        arguments.append(form.cleaned_data["version"])
    try:
        action(*arguments)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("accounts:members", organisation_id=organisation_id)


@login_required
@require_POST
def invitation_revoke(request, organisation_id: int, invitation_id: int):
    return _after_member_action(
        request,
        organisation_id,
        lambda: services.invitation_revoke(actor=request.user, invitation_id=invitation_id),
        _("The invitation is withdrawn; its link no longer works."),
    )


@login_required
@require_POST
def member_role(request, organisation_id: int, membership_id: int):
    return _after_member_action(
        request,
        organisation_id,
        lambda version: services.membership_change_role(
            actor=request.user,
            membership_id=membership_id,
            role=request.POST.get("role", ""),
            expected_version=version,
        ),
        _("The role is changed."),
        versioned=True,
    )


@login_required
@require_POST
def member_remove(request, organisation_id: int, membership_id: int):
    return _after_member_action(
        request,
        organisation_id,
        lambda version: services.membership_remove(
            actor=request.user, membership_id=membership_id, expected_version=version
        ),
        _("The member is removed from the organisation."),
        versioned=True,
    )


@never_cache
def invitation_accept(request, secret: str):
    """The link from the invitation e-mail: join as the signed-in user, or create an account."""
    invitation = selectors.invitation_by_secret(secret=secret)
    if invitation is None:
        message = _("This invitation link is not valid. Check that you copied all of it.")
        return render(request, "accounts/invitation_closed.html", {"message": message}, status=404)
    if invitation.status != "open":
        message = services.invitation_closed_message(invitation.status)
        return render(request, "accounts/invitation_closed.html", {"message": message}, status=410)

    context: dict = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(actor=user, secret=secret)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organisation.name})
                return redirect("accounts:dashboard")
        context["email_matches"] = services.normalise_email(user.email) == invitation.email
        return render(request, "accounts/invitation_accept.html", context)

    if selectors.account_exists_for_email(email=invitation.email):
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation_accept.html", context)

    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.invitation_accept_new_user(
                secret=secret,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except DomainError as exc:
            forms.add_domain_error(form, exc, aliases={"password": "password1"})
        else:
            login(request, membership.user, backend=NEW_USER_BACKEND)
            messages.success(
                request,
                _("Your account is ready. Welcome to %(name)s.") % {"name": membership.organisation.name},
            )
            return redirect("accounts:dashboard")
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context, status=422 if form.errors else 200)
