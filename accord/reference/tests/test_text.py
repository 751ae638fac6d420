import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.reference._text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("  St. Gallen ", "st gallen"),
        ("Łódź", "lodz"),
        ("Ærøskøbing", "aeroskobing"),
        ("Straße", "strasse"),
        ("Diyarbak\u0131r", "diyarbakir"),
        ("Мюнхен", "мюнхен"),
        ("Йошкар-Ола", "иошкар ола"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_shortcut_agrees_with_the_general_rule(text):
    # The general rule, spelt out for ASCII: lower case, runs of non-alphanumerics become one space.
    expected = " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
    assert fold(text) == expected
