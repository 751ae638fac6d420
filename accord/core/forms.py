"""What the forms of every app's pages share.

Forms parse what people type; the rules live in the services, whose ``ValidationFailed`` errors are
attached back to the fields with ``add_domain_errors`` so that a refused save explains itself.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from accord.core.concurrency import StaleVersion
from accord.core.errors import Conflict as DomainConflict
from accord.core.errors import DomainError, ValidationFailed, field_words


class AccordForm(forms.Form):
    """Labels without a trailing colon, and a class on the labels of required fields."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_domain_errors(
    form: forms.Form, error: ValidationFailed, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Attach a service's field errors to the form; a field the form lacks goes to non-field errors.

    ``aliases`` names the form field that shows a service's error key when the two differ (a city
    picked through a text box, an id the form offers as a choice); "__all__" makes it a form error.
    """
    aliases = aliases or {}
    for key, messages in error.errors.items():
        field = aliases.get(key, key)
        for message in messages:
            if field in form.fields:
                form.add_error(field, message)
            elif field == "__all__":
                form.add_error(None, message)
            else:
                form.add_error(None, f"{field_words(key)}: {message}")


class VersionedFormMixin(forms.Form):
    """An edit form that carries the version of the record it was opened at (a hidden field).

    The view passes ``cleaned_data["version"]`` to the service as ``expected_version``; when the
    service answers :class:`~accord.core.concurrency.StaleVersion`, :func:`show_conflict` puts the
    form back with the current version and both sets of values, for the person to choose."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_bound and cleaned.get("version") is None and not self.has_error("version"):
            raise forms.ValidationError(
                _(
                    "This form no longer says which version of the record it was opened at, so it "
                    "cannot be saved safely. Reload the page and make your change again."
                ),
                code="version_missing",
            )
        return cleaned


@dataclass(frozen=True)
class ConflictRow:
    label: str
    yours: Any
    theirs: Any


@dataclass(frozen=True)
class Conflict:
    """What the conflict notice of an edit form shows (``includes/_conflict.html``)."""

    message: str
    changed_by: str
    changed_at: Any
    rows: list[ConflictRow]


def show_conflict(form: VersionedFormMixin, error: StaleVersion) -> Conflict:
    """Rebind ``form`` to the person's own values at the record's current version, so that saving it
    again keeps theirs ("keep mine"), and describe the fields whose saved values now differ."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data[form.add_prefix("version")] = str(error.current_version)
    form.data = data
    rows = []
    for name, theirs in error.theirs.items():
        if name not in form.fields:
            continue
        yours = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        if yours != theirs:
            rows.append(ConflictRow(label=str(form.fields[name].label or name), yours=yours, theirs=theirs))
    return Conflict(
        message=error.message, changed_by=error.changed_by, changed_at=error.changed_at, rows=rows
    )


def service_accepts(
    form: forms.Form,
    call: Callable[[], object],
    *,
    shown: tuple[type[DomainError], ...] = (DomainConflict,),
) -> bool:
    """Call the service that a valid form is for. If it refuses, say why on the form (a
    ``ValidationFailed`` next to the fields it names, the ``shown`` refusals above them) and answer
    False. A ``StaleVersion`` goes to the caller, which shows both versions (``show_conflict``)."""
    try:
        call()
    except StaleVersion:
        raise
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
    except shown as exc:
        form.add_error(None, exc.message)
    else:
        return True
    return False
