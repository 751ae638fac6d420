import pytest
from django.core.exceptions import ValidationError

from accord.reference.validators import (
    validate_cefr_level,
    validate_city_geonameid,
    validate_country_code,
    validate_currency_code,
    validate_eqf_level,
    validate_isced_code,
    validate_language_code,
)

BERLIN = 2950159


def _message(validator, value) -> str:
    with pytest.raises(ValidationError) as error:
        validator(value)
    return error.value.messages[0]


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_country_code, "FR"),
        (validate_language_code, "en"),
        (validate_language_code, "yue"),
        (validate_currency_code, "EUR"),
        (validate_isced_code, "04"),
        (validate_isced_code, "0413"),
        (validate_cefr_level, "B2"),
        (validate_eqf_level, 6),
        (validate_eqf_level, "6"),
        (validate_city_geonameid, BERLIN),
        (validate_city_geonameid, str(BERLIN)),
    ],
)
def test_valid_values_pass(validator, value):
    validator(value)


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validate_country_code, "XX", "'XX' is not an ISO 3166-1 country code."),
        (validate_language_code, "xx", "'xx' is not a language code: use ISO 639-1 (two letters)"),
        (validate_language_code, "eng", "'eng' is not a language code"),
        (validate_currency_code, "EURO", "'EURO' is not an ISO 4217 currency code."),
        (validate_isced_code, "0418", "'0418' is not an ISCED-F 2013 field code."),
        (validate_cefr_level, "C3", "'C3' is not a CEFR level: use A1, A2, B1, B2, C1 or C2."),
        (validate_eqf_level, 9, "'9' is not an EQF level: use a number from 1 to 8."),
        (validate_eqf_level, "six", "'six' is not an EQF level"),
        (validate_city_geonameid, 1, "'1' is not the GeoNames id of a known city."),
    ],
)
def test_invalid_values_are_quoted_in_the_message(validator, value, message):
    assert _message(validator, value).startswith(message)


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validate_country_code, "fr", "'fr' must be written 'FR'."),
        (validate_language_code, "EN", "'EN' must be written 'en'."),
        (validate_currency_code, "eur", "'eur' must be written 'EUR'."),
        (validate_cefr_level, "b2", "'b2' must be written 'B2'."),
        (validate_isced_code, " 0413", "' 0413' must be written '0413'."),
    ],
)
def test_codes_are_stored_in_their_canonical_form(validator, value, message):
    assert _message(validator, value) == message
