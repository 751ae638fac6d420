import pytest

from accord.reference._text import fold
from accord.reference.languages import Language, all_languages, get_language, is_language, language_name


@pytest.mark.parametrize("code", ["en", "EN", " en "])
def test_two_letter_codes_in_any_case(code):
    assert get_language(code) == Language(code="en", name="English")


def test_three_letter_codes_for_languages_without_a_two_letter_one():
    assert get_language("yue") == Language(code="yue", name="Yue Chinese")
    assert get_language("FIL") == Language(code="fil", name="Filipino")


def test_three_letter_code_of_a_language_with_a_two_letter_one_is_refused():
    # One code per language: "eng" would be stored next to "en" for the same language.
    assert get_language("eng") is None


@pytest.mark.parametrize("code", ["xx", "", "english", "en-GB", None, 1])
def test_unknown_codes(code):
    assert get_language(code) is None
    assert not is_language(code)


def test_macrolanguage_marker_is_dropped_from_names():
    assert get_language("ms").name == "Malay"
    assert get_language("sw").name == "Swahili"


def test_all_languages_are_the_two_letter_ones_sorted_by_name():
    languages = all_languages()
    assert len(languages) >= 180
    assert all(len(language.code) == 2 for language in languages)
    assert [fold(language.name) for language in languages] == sorted(
        fold(language.name) for language in languages
    )
    assert len({language.name for language in languages}) == len(languages)


def test_language_name_falls_back_to_the_code():
    assert language_name("pl") == "Polish"
    assert language_name("zz") == "zz"
