"""Forms for the accounts pages. They only parse input; the services decide and validate."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accord.accounts.choices import Role
from accord.core.errors import DomainError, ValidationFailed
from accord.core.forms import VersionedFormMixin
from accord.core.mail import language_of


def add_domain_error(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal next to the field it concerns (or above the form).

    ``aliases`` maps a service's argument name to the form field that collects it.
    """
    aliases = aliases or {}

    def target(field: str | None) -> str | None:
        field = aliases.get(field or "", field)
        return field if field in form.fields else None

    if isinstance(error, ValidationFailed):
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(target(field), message)
    else:
        form.add_error(target(error.field), error.message)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username or e-mail and password do not match an account. "
            "Note that the password is case-sensitive."
        ),
    }


class LocalisedPasswordResetForm(PasswordResetForm):
    """Writes the reset e-mail in the language the account saved, not the one of the asking browser."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        with translation.override(language_of(to_email)):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, **kwargs
            )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class InvitationForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=254, widget=forms.EmailInput())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MembershipVersionForm(VersionedFormMixin, forms.Form):
    """The version of a membership a role change or a removal was made from (the role itself is
    checked by the service, which names the roles there are)."""


class SignupForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("For example the script or laptop that uses it.")
    )


def _language_choices() -> list[tuple[str, str]]:
    # Each language is named in its own language, so a reader lost in a foreign one finds theirs.
    offered = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
    return [("", _("The language of my browser")), *offered]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)
