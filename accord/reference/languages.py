"""Languages (ISO 639, from pycountry), identified the way EWP and BCP 47 do.

A language's code is its ISO 639-1 two-letter code when it has one, otherwise its ISO 639-3
three-letter code. Each language thus has exactly one code, so stored codes never disagree
("en" and "eng" for the same thing).
"""

from dataclasses import dataclass
from functools import cache

import pycountry

from accord.reference._text import fold

# ISO 639-3 marks macrolanguages in the reference name to tell them from an individual language
# of the same name ("Swahili (individual language)"); for people choosing a language it is noise.
_MACROLANGUAGE_SUFFIX = " (macrolanguage)"


@dataclass(frozen=True, slots=True)
class Language:
    """An ISO 639 language: lower-case ``code`` (639-1, else 639-3) and English ``name``."""

    code: str
    name: str


def _language_from_record(record) -> Language:
    return Language(
        code=getattr(record, "alpha_2", None) or record.alpha_3,
        name=record.name.removesuffix(_MACROLANGUAGE_SUFFIX),
    )


@cache
def _languages_by_code() -> dict[str, Language]:
    languages = (_language_from_record(record) for record in pycountry.languages)
    return {language.code: language for language in languages}


def get_language(code: str) -> Language | None:
    """The language for an ISO 639-1 code, or an ISO 639-3 code of a language without a 639-1 one.

    Case-insensitive. A three-letter code of a language that has a two-letter one ("eng") is not
    accepted: callers should store the two-letter code.
    """
    if not isinstance(code, str):
        return None
    return _languages_by_code().get(code.strip().lower())


def is_language(code: str) -> bool:
    """Whether ``code`` is a language code accepted by ``get_language``."""
    return get_language(code) is not None


@cache
def _two_letter_languages_by_name() -> tuple[Language, ...]:
    two_letter = (language for language in _languages_by_code().values() if len(language.code) == 2)
    return tuple(sorted(two_letter, key=lambda language: fold(language.name)))


def all_languages() -> list[Language]:
    """The languages with an ISO 639-1 code (the ~180 in common use), sorted by name."""
    return list(_two_letter_languages_by_name())


def language_name(code: str) -> str:
    """The language's name, or ``code`` itself when it is not a language code."""
    language = get_language(code)
    return language.name if language else code
