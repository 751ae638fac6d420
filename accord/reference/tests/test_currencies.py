import pytest

from accord.reference.currencies import Currency, all_currencies, get_currency, is_currency


@pytest.mark.parametrize("code", ["EUR", "eur", " Eur "])
def test_get_currency_in_any_case(code):
    assert get_currency(code) == Currency(code="EUR", name="Euro")


@pytest.mark.parametrize("code", ["EURO", "E", "", "XYZ", None])
def test_unknown_currencies(code):
    assert get_currency(code) is None
    assert not is_currency(code)


def test_all_currencies_in_code_order():
    codes = [currency.code for currency in all_currencies()]
    assert codes == sorted(codes)
    assert {"EUR", "PLN", "USD", "JPY"} <= set(codes)
