"""Checking a factsheet as a whole before it is saved: every error at once, keyed by field.

The service (``services.factsheet_update``) calls :func:`clean_factsheet`; forms and the API name their
fields the same way, so an error lands next to what was typed. List items are keyed
``<list>.<index>.<field>`` (``additional_requirements.0.name``).
"""

from collections.abc import Callable, Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from accord.core.errors import ValidationFailed
from accord.organisations import factsheet_rules as rules
from accord.organisations.identifiers import normalise_phone

DEADLINE_FIELDS: Final = (
    "nominations_autumn",
    "nominations_spring",
    "applications_autumn",
    "applications_spring",
)
WEEKS_FIELDS: Final = ("decision_weeks_limit", "tor_weeks_limit")
INFORMATION_KINDS: Final = ("application", "housing", "visa", "insurance")
INFORMATION_FIELDS: Final = tuple(
    f"{kind}_{part}" for kind in INFORMATION_KINDS for part in ("email", "phone", "website")
)
LIST_FIELDS: Final = ("additional_requirements", "accessibility", "additional_info")
FIELDS: Final = DEADLINE_FIELDS + WEEKS_FIELDS + INFORMATION_FIELDS + LIST_FIELDS

_MAX_ITEMS: Final = 50
_MAX_TEXT: Final = 2000
_validate_url = URLValidator(schemes=["http", "https"])


def _text(value: Any, *, required: bool = True, limit: int = 255) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(_("Expected text."))
    text = value.strip()
    if required and not text:
        raise ValueError(_("This field is required."))
    if len(text) > limit:
        raise ValueError(_("At most %(limit)s characters.") % {"limit": limit})
    return text


def _email(value: Any) -> str:
    email = rules.normalise_email(_text(value))
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(_("'%(email)s' is not an e-mail address.") % {"email": email}) from None
    return email


def _phone(value: Any) -> str:
    return normalise_phone(_text(value))


def _website(value: Any, *, required: bool = True) -> str:
    url = _text(value, required=required, limit=500)
    if not url:
        return ""
    url = rules.normalise_website(url)
    try:
        _validate_url(url)
    except ValidationError:
        raise ValueError(_("'%(url)s' is not a web address.") % {"url": url}) from None
    return url


def _weeks(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return rules.check_weeks(value)


def _accessibility_type(value: Any) -> str:
    kind = _text(value)
    if kind not in rules.ACCESSIBILITY_TYPES:
        first, second = rules.ACCESSIBILITY_TYPES  # the EWP codes, which stay as they are
        raise ValueError(_("Choose %(first)s or %(second)s.") % {"first": first, "second": second})
    return kind


_LIST_ITEMS: Final[dict[str, dict[str, Callable[[Any], Any]]]] = {
    "additional_requirements": {
        "name": _text,
        "details": lambda value: _text(value, limit=_MAX_TEXT),
        "website": lambda value: _website(value, required=False),
    },
    "accessibility": {
        "type": _accessibility_type,
        "name": _text,
        "description": lambda value: _text(value, required=False, limit=_MAX_TEXT),
        "email": _email,
        "phone": _phone,
        "website": _website,
    },
    "additional_info": {"type": _text, "email": _email, "phone": _phone, "website": _website},
}


def _clean_list(name: str, items: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > _MAX_ITEMS:
        errors[name] = _("Expected a list of at most %(limit)s items.") % {"limit": _MAX_ITEMS}
        return []
    cleaned = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors[f"{name}.{index}"] = _("Expected an object.")
            continue
        row = {}
        for field, clean in _LIST_ITEMS[name].items():
            try:
                row[field] = clean(item.get(field))
            except ValueError as exc:
                errors[f"{name}.{index}.{field}"] = str(exc)
        cleaned.append(row)
    return cleaned


def _field_cleaner(field: str) -> Callable[[Any], Any]:
    if field in DEADLINE_FIELDS:
        return lambda value: rules.normalise_month_day(_text(value))
    if field in WEEKS_FIELDS:
        return _weeks
    return {"email": _email, "phone": _phone, "website": _website}[field.rpartition("_")[2]]


def clean_factsheet(data: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised values of every factsheet field, or ``ValidationFailed`` listing every error."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationFailed({name: _("Not a factsheet field.") for name in unknown})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field in DEADLINE_FIELDS + WEEKS_FIELDS + INFORMATION_FIELDS:
        try:
            values[field] = _field_cleaner(field)(data.get(field))
        except ValueError as exc:
            errors[field] = str(exc)
    for name in LIST_FIELDS:
        values[name] = _clean_list(name, data.get(name), errors)
    requirement_names = [item.get("name", "").casefold() for item in values["additional_requirements"]]
    for index, name in enumerate(requirement_names):
        if name and name in requirement_names[:index]:
            errors[f"additional_requirements.{index}.name"] = _("This requirement is already listed.")
    if errors:
        raise ValidationFailed(errors)
    return values
