import pytest

from accord.reference.cefr import CefrLevel, all_cefr, cefr_at_least, get_cefr, is_cefr


def test_six_levels_lowest_first_with_council_of_europe_names():
    assert [(level.code, level.name, level.rank) for level in all_cefr()] == [
        ("A1", "Breakthrough", 1),
        ("A2", "Waystage", 2),
        ("B1", "Threshold", 3),
        ("B2", "Vantage", 4),
        ("C1", "Effective operational proficiency", 5),
        ("C2", "Mastery", 6),
    ]


@pytest.mark.parametrize("code", ["b2", "B2", " b2 "])
def test_get_cefr_in_any_case(code):
    assert get_cefr(code) == CefrLevel("B2", "Vantage", 4)


@pytest.mark.parametrize("code", ["C3", "B", "", "native", None])
def test_unknown_levels(code):
    assert get_cefr(code) is None
    assert not is_cefr(code)


@pytest.mark.parametrize(
    ("level", "minimum", "expected"),
    [("C1", "B2", True), ("B2", "B2", True), ("b1", "B2", False), ("A1", "a1", True), ("C2", "C1", True)],
)
def test_cefr_at_least(level, minimum, expected):
    assert cefr_at_least(level, minimum) is expected


@pytest.mark.parametrize("level", ["", "fluent", None])
def test_an_unknown_level_meets_no_minimum(level):
    assert cefr_at_least(level, "A1") is False


def test_an_unknown_minimum_is_an_error():
    with pytest.raises(ValueError, match="'D1' is not a CEFR level"):
        cefr_at_least("B2", "D1")
