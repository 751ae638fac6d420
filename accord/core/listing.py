"""What every list page does the same way: a page of results filtered by the app's one filter
definition (``filters.py``), the address of the filters for page and export links, and htmx's
partial refresh of ``#results``.

A view builds a ``Listing`` with ``listing()`` and answers with ``render_listing()``; the page
includes ``includes/_list_filters.html`` and its results ``includes/_pagination.html``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from accord.core.http import is_htmx

PAGE_SIZE = 25


@dataclass(frozen=True)
class ExportLink:
    label: str
    url: str


@dataclass(frozen=True)
class Listing:
    """One page of a list. ``query`` holds the filters that are set (not the page number), for the
    links that must keep them. ``embedded`` is an htmx request from another page that shows the
    list in a section of its own (a partnership's agreements): its page links lead to the list."""

    form: forms.Form
    page: Page[Any]
    query: QueryDict
    url: str
    htmx: bool
    embedded: bool
    exports: tuple[ExportLink, ...]

    @property
    def link_base(self) -> str:
        """What page links start with: nothing (the query alone) on the list's own page."""
        return self.url if self.embedded else ""

    def push_url(self) -> str:
        """The address htmx shows after a refresh: the filters that are set, and the page past the first."""
        query = self.query.copy()
        if self.page.number > 1:
            query["page"] = str(self.page.number)
        return self.url + (f"?{query.urlencode()}" if query else "")


def set_filters(params: QueryDict) -> QueryDict:
    """The filters of ``params`` that have a value, without the page number: empty filters stay out
    of the page links and of the address htmx puts in the history."""
    query = QueryDict(mutable=True)
    for key, values in params.lists():
        if key != "page" and (kept := [value for value in values if value.strip()]):
            query.setlist(key, kept)
    return query


def listing(
    request: HttpRequest,
    *,
    form: forms.Form,
    queryset: QuerySet[Any],
    page_size: int = PAGE_SIZE,
    exports: Mapping[str, str] | None = None,
) -> Listing:
    """The page of ``queryset`` (already filtered by ``form``) that the request asks for.

    ``exports`` maps a link's label to the export's address; the links carry the filters that are set.
    """
    query = set_filters(request.GET)
    suffix = f"?{query.urlencode()}" if query else ""
    htmx = is_htmx(request)
    # htmx names the page it was sent from; a list loaded into another page is embedded there.
    current = urlsplit(request.headers.get("HX-Current-URL", "")).path
    return Listing(
        form=form,
        page=Paginator(queryset, page_size).get_page(request.GET.get("page")),
        query=query,
        url=request.path,
        htmx=htmx,
        embedded=htmx and bool(current) and current != request.path,
        exports=tuple(ExportLink(label, url + suffix) for label, url in (exports or {}).items()),
    )


def render_listing(
    request: HttpRequest,
    listing: Listing,
    *,
    template: str,
    results: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The whole page (``template``), or for htmx only the results (``results``, the fragment the
    page includes in ``#results``), which also puts the filters in the address bar."""
    context = {
        "listing": listing,
        "form": listing.form,
        "page": listing.page,
        "query": listing.query,
        **(context or {}),
    }
    if listing.htmx:
        response = render(request, results, context)
        if not listing.embedded:
            response["HX-Push-Url"] = listing.push_url()
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
