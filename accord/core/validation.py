"""Turning Django's ValidationError into the domain's ValidationFailed, and running full_clean."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from accord.core.errors import ValidationFailed


def as_validation_failed(error: DjangoValidationError) -> ValidationFailed:
    if hasattr(error, "error_dict"):
        errors = {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for e in errs for m in e.messages]
            for field, errs in error.error_dict.items()
        }
    else:
        errors = {"__all__": [str(m) for m in error.messages]}
    return ValidationFailed(errors)


def clean_or_fail(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise as_validation_failed(exc) from exc
