"""The directory of organisations, the countries with their map, and the city picker."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accord.core.listing import listing, render_listing
from accord.organisations import selectors
from accord.organisations.forms import humanise_orderings
from accord.reference.cities import search_cities
from accord.reference.countries import CONTINENTS, continent_of, country_name

CITY_OPTIONS = 15
OTHER_CONTINENT = "Other"
CONTINENT_LABELS = {
    "Africa": gettext_lazy("Africa"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Asia": gettext_lazy("Asia"),
    "Europe": gettext_lazy("Europe"),
    "North America": gettext_lazy("North America"),
    "Oceania": gettext_lazy("Oceania"),
    "South America": gettext_lazy("South America"),
    OTHER_CONTINENT: gettext_lazy("Other"),
}


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    queryset, form = selectors.organisation_list(user=request.user, filters=request.GET)
    humanise_orderings(form)
    exports = {
        _("Export CSV"): reverse("organisations:export", args=["csv"]),
        _("Export XLSX"): reverse("organisations:export", args=["xlsx"]),
    }
    page = listing(request, form=form, queryset=queryset, exports=exports)
    return render_listing(
        request, page, template="organisations/list.html", results="organisations/_results.html"
    )


def _continent(code: str) -> str:
    try:
        return continent_of(code)
    except ValueError:
        return OTHER_CONTINENT


@login_required
@require_GET
def countries(request: HttpRequest) -> HttpResponse:
    by_continent: dict[str, list[dict]] = {}
    for row in selectors.countries_with_counts(user=request.user):
        code = row["country_code"]
        by_continent.setdefault(_continent(code), []).append(
            {
                "code": code,
                "name": country_name(code),
                "count": row["count"],
            }
        )
    continents = [
        {
            "name": CONTINENT_LABELS[name],
            "countries": sorted(by_continent[name], key=lambda c: c["name"]),
            "count": sum(c["count"] for c in by_continent[name]),
        }
        for name in (*CONTINENTS, OTHER_CONTINENT)
        if name in by_continent
    ]
    return render(
        request,
        "organisations/countries.html",
        {
            "continents": continents,
            "points": list(selectors.organisation_map_points(user=request.user)),
            # Graticule every 30°, in view-box units (x: 0–360 from 180° W, y: 0–180 from 90° N).
            "meridians": range(0, 361, 30),
            "parallels": range(0, 181, 30),
        },
    )


@login_required
@require_GET
def city_search(request: HttpRequest) -> HttpResponse:
    """Options for the city picker: cities whose name starts with what was typed."""
    query = (request.GET.get("q") or request.GET.get("city") or "").strip()[:100]
    country = (request.GET.get("country_code") or request.GET.get("country") or "").strip() or None
    cities = search_cities(query, country_code=country, limit=CITY_OPTIONS) if query else []
    return render(request, "organisations/_city_options.html", {"cities": cities, "query": query})
