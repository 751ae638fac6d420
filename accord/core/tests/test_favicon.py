"""Every page names Accord's own icon, served from its static files (no CDN), so tabs and bookmarks
show it instead of a blank page or a 404 for /favicon.ico."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_pages_link_the_svg_favicon_from_static_files(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<link rel="icon" href="/static/accord/favicon.svg" type="image/svg+xml">' in html
    path = finders.find("accord/favicon.svg")
    assert path is not None
    assert Path(path).read_text(encoding="utf-8").startswith('<svg xmlns="http://www.w3.org/2000/svg"')
