"""Shared behaviour of the filter forms that each list defines once (page, API and exports)."""

from typing import Any

from django import forms


def valid_filter_values(form: forms.Form) -> dict[str, Any]:
    """The filters that validated; an invalid one is ignored (and reported through ``form.errors``)
    so that one bad parameter narrows nothing rather than emptying the whole list."""
    if form.is_valid():
        return form.cleaned_data
    return {key: value for key, value in getattr(form, "cleaned_data", {}).items() if key not in form.errors}
