"""Template filters that show reference codes the way people read them."""

from datetime import date
from pathlib import Path

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accord.reference.countries import country_name as _country_name
from accord.reference.countries import get_country
from accord.reference.isced import isced_label as _isced_label
from accord.reference.languages import language_name as _language_name

register = template.Library()

_FLAG_DIR = Path(__file__).resolve().parents[2] / "core" / "static" / "vendor" / "flag-icons" / "4x3"
_SVG_FLAGS = frozenset(path.stem.upper() for path in _FLAG_DIR.glob("*.svg"))


@register.filter
def flag(code: str) -> SafeString | str:
    """A country's flag as a small picture from the vendored flag-icons set, or the code in a badge for
    a country the set lacks; "" for an unknown code. Not the emoji: many systems (Windows among them)
    have no flag glyphs and show two letters in boxes. Decorative: the country's name is beside it."""
    country = get_country(code)
    if country is None:
        return ""
    if country.code in _SVG_FLAGS:
        return format_html(
            '<img class="flag" src="{}" alt="" width="20" height="15" loading="lazy">',
            static(f"vendor/flag-icons/4x3/{country.code.lower()}.svg"),
        )
    return format_html('<span class="flag flag-code">{}</span>', country.code)


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
