"""Currencies (ISO 4217, from pycountry)."""

from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency: upper-case three-letter ``code`` and English ``name``."""

    code: str
    name: str


@cache
def _currencies_by_code() -> dict[str, Currency]:
    return {
        record.alpha_3: Currency(code=record.alpha_3, name=record.name) for record in pycountry.currencies
    }


def get_currency(code: str) -> Currency | None:
    """The currency for an ISO 4217 alphabetic code (any case), or ``None``."""
    if not isinstance(code, str):
        return None
    return _currencies_by_code().get(code.strip().upper())


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 alphabetic code, in any case."""
    return get_currency(code) is not None


@cache
def _currencies_in_code_order() -> tuple[Currency, ...]:
    return tuple(sorted(_currencies_by_code().values(), key=lambda currency: currency.code))


def all_currencies() -> list[Currency]:
    """Every ISO 4217 currency, in code order (how amounts are labelled: "EUR", "PLN")."""
    return list(_currencies_in_code_order())
