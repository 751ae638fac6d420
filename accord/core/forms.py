"""What the forms of every app's pages share.

Forms parse what people type; the rules live in the services, whose ``ValidationFailed`` errors are
attached back to the fields with ``add_domain_errors`` so that a refused save explains itself.
"""

from collections.abc import Mapping
from typing import Any

from django import forms

from accord.core.errors import ValidationFailed


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
                form.add_error(None, f"{key}: {message}")
