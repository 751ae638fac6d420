"""Read-only reference data: /api/v1/reference/. Authentication comes from the project API."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from accord.core.errors import NotFound, ValidationFailed
from accord.reference.academic_years import (
    AcademicYear,
    academic_year_range,
    current_academic_year,
    parse_academic_year,
)
from accord.reference.cefr import CefrLevel, all_cefr
from accord.reference.cities import City, get_city, search_cities
from accord.reference.countries import Country, all_countries, get_country, is_country
from accord.reference.currencies import Currency, all_currencies
from accord.reference.eqf import EqfLevel, all_eqf
from accord.reference.isced import IscedField, all_isced, get_isced
from accord.reference.languages import Language, all_languages
from accord.reference.schemas import (
    AcademicYearOut,
    CefrLevelOut,
    CityOut,
    CountryOut,
    CurrencyOut,
    EqfLevelOut,
    IscedFieldOut,
    LanguageOut,
)

router = Router(tags=["reference"])

CITY_QUERY_MIN_LENGTH = 2
CITY_LIMIT_MAX = 50
ACADEMIC_YEARS_MAX = 20
ISCED_LEVELS = ("broad", "narrow", "detailed")


@router.get("/countries", response=list[CountryOut], summary="ISO 3166-1 countries, by name")
def list_countries(request: HttpRequest) -> list[Country]:
    return all_countries()


@router.get("/countries/{code}", response=CountryOut, summary="A country by its ISO 3166-1 alpha-2 code")
def country_detail(request: HttpRequest, code: str) -> Country:
    country = get_country(code)
    if country is None:
        raise NotFound(_("'%(code)s' is not an ISO 3166-1 country code.") % {"code": code})
    return country


@router.get("/languages", response=list[LanguageOut], summary="ISO 639-1 languages, by name")
def list_languages(request: HttpRequest) -> list[Language]:
    return all_languages()


@router.get("/currencies", response=list[CurrencyOut], summary="ISO 4217 currencies, by code")
def list_currencies(request: HttpRequest) -> list[Currency]:
    return all_currencies()


@router.get("/cities", response=list[CityOut], summary="Cities whose name starts with q, most populous first")
def list_cities(
    request: HttpRequest,
    q: str = Query(..., description=f"Start of the name; at least {CITY_QUERY_MIN_LENGTH} characters."),
    country: str | None = Query(None, description="ISO 3166-1 alpha-2 code to search within."),
    limit: int = Query(20, description=f"At most {CITY_LIMIT_MAX}."),
) -> list[City]:
    errors: dict[str, str] = {}
    if len(q.strip()) < CITY_QUERY_MIN_LENGTH:
        errors["q"] = _("Type at least %(count)d characters of the name.") % {"count": CITY_QUERY_MIN_LENGTH}
    if country is not None and not is_country(country):
        errors["country"] = _("'%(code)s' is not an ISO 3166-1 country code.") % {"code": country}
    if not 1 <= limit <= CITY_LIMIT_MAX:
        errors["limit"] = _("Ask for 1 to %(max)d cities.") % {"max": CITY_LIMIT_MAX}
    if errors:
        raise ValidationFailed(errors)
    return search_cities(q, country_code=country, limit=limit)


@router.get("/cities/{int:geonameid}", response=CityOut, summary="A city by its GeoNames id")
def city_detail(request: HttpRequest, geonameid: int) -> City:
    city = get_city(geonameid)
    if city is None:
        raise NotFound(_("No city has the GeoNames id %(id)d.") % {"id": geonameid})
    return city


@router.get("/isced", response=list[IscedFieldOut], summary="ISCED-F 2013 fields, in code order")
def list_isced(
    request: HttpRequest,
    level: str | None = Query(None, description="broad, narrow or detailed."),
    parent: str | None = Query(None, description="Only the fields directly below this code."),
) -> list[IscedField]:
    errors: dict[str, str] = {}
    if level is not None and level not in ISCED_LEVELS:
        errors["level"] = _("Choose broad, narrow or detailed.")
    if parent is not None and get_isced(parent) is None:
        errors["parent"] = _("'%(code)s' is not an ISCED-F 2013 code.") % {"code": parent}
    if errors:
        raise ValidationFailed(errors)
    return [
        field
        for field in all_isced()
        if (level is None or field.level == level) and (parent is None or field.parent == parent.strip())
    ]


@router.get("/isced/{code}", response=IscedFieldOut, summary="An ISCED-F 2013 field by its code")
def isced_detail(request: HttpRequest, code: str) -> IscedField:
    field = get_isced(code)
    if field is None:
        raise NotFound(_("'%(code)s' is not an ISCED-F 2013 code.") % {"code": code})
    return field


@router.get("/eqf", response=list[EqfLevelOut], summary="The eight EQF levels")
def list_eqf(request: HttpRequest) -> list[EqfLevel]:
    return all_eqf()


@router.get("/cefr", response=list[CefrLevelOut], summary="The six CEFR levels, lowest first")
def list_cefr(request: HttpRequest) -> list[CefrLevel]:
    return all_cefr()


@router.get("/academic-years", response=list[AcademicYearOut], summary="Consecutive academic years")
def list_academic_years(
    request: HttpRequest,
    start: str | None = Query(
        None, alias="from", description="First year, e.g. 2024/2025; default: the current one."
    ),
    count: int = Query(5, description=f"How many years, 1 to {ACADEMIC_YEARS_MAX}."),
) -> list[AcademicYear]:
    errors: dict[str, str] = {}
    first = current_academic_year(timezone.localdate())
    if start is not None:
        try:
            first = parse_academic_year(start)
        except ValueError:
            errors["from"] = _(
                "'%(value)s' is not an academic year: write two consecutive years, such as '2026/2027'."
            ) % {"value": start}
    if not 1 <= count <= ACADEMIC_YEARS_MAX:
        errors["count"] = _("Ask for 1 to %(max)d academic years.") % {"max": ACADEMIC_YEARS_MAX}
    if errors:
        raise ValidationFailed(errors)
    try:
        last = AcademicYear(first.start_year + count - 1)
    except ValueError as exc:
        raise ValidationFailed({"count": _("The years would run past 9999/10000.")}) from exc
    return academic_year_range(first, last)
