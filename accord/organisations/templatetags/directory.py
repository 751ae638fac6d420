"""Template filters that show reference codes the way people read them."""

from datetime import date

from django import template

from accord.reference.countries import country_name as _country_name
from accord.reference.countries import get_country
from accord.reference.isced import isced_label as _isced_label
from accord.reference.languages import language_name as _language_name

register = template.Library()


@register.filter
def flag(code: str) -> str:
    """The emoji flag of a country code ("" for an unknown code)."""
    country = get_country(code)
    return country.flag if country else ""


@register.filter
def country_name(code: str) -> str:
    return _country_name(code)


@register.filter
def language_name(code: str) -> str:
    return _language_name(code)


@register.filter
def isced_label(code: str) -> str:
    return _isced_label(code)


@register.simple_tag
def map_x(longitude: float) -> str:
    """Equirectangular projection onto a 360 × 180 view box: x grows eastwards from 180° W."""
    return f"{float(longitude) + 180:.2f}"


@register.simple_tag
def map_y(latitude: float) -> str:
    """y grows southwards from 90° N."""
    return f"{90 - float(latitude):.2f}"


@register.filter
def month_day(stored: str) -> date | None:
    """A factsheet deadline (``MM-DD``) as a date, for the ``date`` filter (e.g. ``|date:"j F"``)."""
    try:
        month, day = (int(part) for part in stored.split("-"))
        return date(2000, month, day)  # a leap year: 29 February is a deadline too
    except (AttributeError, ValueError):
        return None
