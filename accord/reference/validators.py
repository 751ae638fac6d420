"""Model and form validators for reference codes.

Each accepts only the canonical spelling of a code (countries "FR", languages "en", CEFR "B2"), so
stored values compare and group correctly; a code in the wrong case is refused with its right form.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accord.reference.cefr import get_cefr
from accord.reference.cities import get_city
from accord.reference.countries import get_country
from accord.reference.currencies import get_currency
from accord.reference.eqf import get_eqf
from accord.reference.isced import get_isced
from accord.reference.languages import get_language

_WRITE_AS = _("'%(value)s' must be written '%(code)s'.")


def _require_canonical(value: object, canonical: str | None, invalid_message: str) -> None:
    if canonical is None:
        raise ValidationError(invalid_message, code="invalid", params={"value": value})
    if value != canonical:
        raise ValidationError(_WRITE_AS, code="case", params={"value": value, "code": canonical})


def _as_int(value: object) -> object:
    # Form data and imports bring numbers as text; "7" is as good as 7, "seven" stays invalid.
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value)
    return value


def validate_country_code(value: str) -> None:
    """An upper-case ISO 3166-1 alpha-2 code, such as "FR"."""
    country = get_country(value)
    _require_canonical(value, country and country.code, _("'%(value)s' is not an ISO 3166-1 country code."))


def validate_language_code(value: str) -> None:
    """A lower-case ISO 639-1 code ("en"), or ISO 639-3 ("yue") for a language without one."""
    language = get_language(value)
    _require_canonical(
        value,
        language and language.code,
        _(
            "'%(value)s' is not a language code: use ISO 639-1 (two letters), or ISO 639-3 for a "
            "language that has no two-letter code."
        ),
    )


def validate_currency_code(value: str) -> None:
    """An upper-case ISO 4217 code, such as "EUR"."""
    currency = get_currency(value)
    _require_canonical(value, currency and currency.code, _("'%(value)s' is not an ISO 4217 currency code."))


def validate_isced_code(value: str) -> None:
    """An ISCED-F 2013 broad, narrow or detailed field code, such as "0413"."""
    field = get_isced(value)
    _require_canonical(value, field and field.code, _("'%(value)s' is not an ISCED-F 2013 field code."))


def validate_cefr_level(value: str) -> None:
    """A CEFR level in upper case: A1, A2, B1, B2, C1 or C2."""
    level = get_cefr(value)
    _require_canonical(
        value, level and level.code, _("'%(value)s' is not a CEFR level: use A1, A2, B1, B2, C1 or C2.")
    )


def validate_eqf_level(value: int) -> None:
    """An EQF level, 1 to 8."""
    if get_eqf(_as_int(value)) is None:
        raise ValidationError(
            _("'%(value)s' is not an EQF level: use a number from 1 to 8."),
            code="invalid",
            params={"value": value},
        )


def validate_city_geonameid(value: int) -> None:
    """The GeoNames id of a city we know (places of 5,000 inhabitants or more)."""
    if get_city(_as_int(value)) is None:
        raise ValidationError(
            _("'%(value)s' is not the GeoNames id of a known city."), code="invalid", params={"value": value}
        )
