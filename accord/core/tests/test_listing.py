"""The list-page helper: pages, the filters kept in links, htmx refreshes and export links."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from accord.core.listing import listing, render_listing, set_filters

HTMX = {"HTTP_HX_REQUEST": "true"}


class NameFilter(forms.Form):
    q = forms.CharField(required=False)


@pytest.fixture
def people(db):
    for name in ("ann", "bob", "cy"):
        get_user_model().objects.create(username=name, email=f"{name}@example.org")


def _listing(path: str, **headers):
    request = RequestFactory().get(path, **headers)
    users = get_user_model().objects.order_by("username")
    return request, listing(
        request, form=NameFilter(request.GET), queryset=users, page_size=2, exports={"CSV": "/people.csv"}
    )


def test_empty_filters_and_the_page_number_stay_out_of_the_links():
    request = RequestFactory().get("/people/?q=&status=open&page=3&tag=a&tag=")
    assert set_filters(request.GET).urlencode() == "status=open&tag=a"


def test_a_page_of_results_with_export_links_that_keep_the_filters(people):
    _request, found = _listing("/people/?q=x&page=2")
    assert [user.username for user in found.page] == ["cy"]
    assert [(link.label, link.url) for link in found.exports] == [("CSV", "/people.csv?q=x")]
    assert not found.htmx and not found.embedded and found.link_base == ""


def test_htmx_gets_the_results_and_the_filters_in_the_address(people):
    request, found = _listing("/people/?q=&page=2", **HTMX, HTTP_HX_CURRENT_URL="http://testserver/people/")
    response = render_listing(
        request, found, template="includes/_list_filters.html", results="includes/_pagination.html"
    )
    assert response["HX-Push-Url"] == "/people/?page=2"
    assert "HX-Request" in response["Vary"]
    assert 'hx-get="?page=1"' in response.content.decode()


def test_a_list_loaded_into_another_page_links_to_the_list_and_leaves_the_address_alone(people):
    request, found = _listing("/people/?team=4", **HTMX, HTTP_HX_CURRENT_URL="http://testserver/teams/4/")
    assert found.embedded and found.link_base == "/people/"
    response = render_listing(
        request, found, template="includes/_list_filters.html", results="includes/_pagination.html"
    )
    assert "HX-Push-Url" not in response
    html = response.content.decode()
    assert 'href="/people/?team=4&amp;page=2"' in html and "hx-get" not in html
