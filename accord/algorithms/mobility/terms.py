"""Terms of the academic year as EWP writes them, ``n/t`` (term *n* of *t*: ``1/2`` is the first
semester, ``1/1`` the whole year), and as people type them ("Autumn", "spring semester", "Full year").

Pure Python, no Django import.
"""

import re

TERM = re.compile(r"([1-9])/([1-9])")

# Terms as people write them, for the EWP n/t form: the academic year's semesters, its trimesters
# and the whole year. Winter and summer semesters are the first and second in the Central European
# calendar; autumn (fall) and spring in the English-speaking one.
TERM_WORDS = {
    "1/1": ("year", "full year", "whole year", "academic year", "annual"),
    "1/2": (
        "autumn",
        "fall",
        "winter",
        "first semester",
        "1st semester",
        "semester 1",
        "s1",
        "autumn semester",
        "fall semester",
        "winter semester",
    ),
    "2/2": (
        "spring",
        "summer",
        "second semester",
        "2nd semester",
        "semester 2",
        "s2",
        "spring semester",
        "summer semester",
    ),
    "1/3": ("first trimester", "1st trimester", "trimester 1", "t1"),
    "2/3": ("second trimester", "2nd trimester", "trimester 2", "t2"),
    "3/3": ("third trimester", "3rd trimester", "trimester 3", "t3"),
}
_TERM_BY_WORDS = {words: term for term, spellings in TERM_WORDS.items() for words in spellings}


def parse_term(text: str) -> str | None:
    """The EWP term (``n/t``) that ``text`` names, or None: ``1/2`` as it is, or the words people type
    ("Autumn", "spring semester", "full year"), in any case and spacing; ``""`` stays ``""``."""
    words = " ".join(text.replace("-", " ").split()).casefold()
    if not words:
        return ""
    match = TERM.fullmatch(words.replace(" ", ""))
    if match is not None:
        return words.replace(" ", "") if int(match.group(1)) <= int(match.group(2)) else None
    return _TERM_BY_WORDS.get(words) or _TERM_BY_WORDS.get(text.strip().casefold())
