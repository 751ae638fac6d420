"""Flags are vendored SVG pictures (flag-icons), never emoji; a country without one shows its code."""

from accord.organisations.templatetags import directory


def test_flags_are_pictures_and_a_country_without_one_shows_its_code(monkeypatch):
    assert 'src="/static/vendor/flag-icons/4x3/pl.svg"' in directory.flag("PL")
    monkeypatch.setattr(directory, "_SVG_FLAGS", frozenset())
    assert directory.flag("PL") == '<span class="flag flag-code">PL</span>'
    assert directory.flag("ZZ") == ""
