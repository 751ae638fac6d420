"""API shapes of the reference data; they mirror the dataclasses of the pure modules."""

from typing import Literal

from ninja import Schema

from accord.reference.countries import continent_of
from accord.reference.isced import isced_label


class CountryOut(Schema):
    code: str
    name: str
    official_name: str | None
    flag: str
    continent: str

    @staticmethod
    def resolve_continent(country) -> str:
        return continent_of(country.code)


class LanguageOut(Schema):
    code: str
    name: str


class CurrencyOut(Schema):
    code: str
    name: str


class CityOut(Schema):
    geonameid: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    timezone: str
    population: int
    admin1_code: str


class IscedFieldOut(Schema):
    code: str
    name: str
    level: Literal["broad", "narrow", "detailed"]
    parent: str | None
    label: str

    @staticmethod
    def resolve_label(field) -> str:
        return isced_label(field.code)


class EqfLevelOut(Schema):
    level: int
    name: str
    cycle: str | None


class CefrLevelOut(Schema):
    code: str
    name: str
    rank: int


class AcademicYearOut(Schema):
    label: str
    start_year: int
    end_year: int
