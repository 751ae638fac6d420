"""The words of a text for a lexical index: folded, stop words dropped, cut to a stem.

Stemming is by truncation (the first ``STEM_LENGTH`` letters), which is crude within one language but
is what lets a lexical index see that *algèbre*, *Algebra* and *álgebra*, or *génétique*, *Genetik*
and *genética*, are one word: the Latin and Greek roots of academic vocabulary survive in most
European languages. A query in a script the index has never seen simply matches nothing, and the
caller says so (``has_known_words``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

STEM_LENGTH = 5
MIN_WORD_LENGTH = 3

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Words that say nothing about a course's subject, in the languages of the demo and the labelled set.
_STOP_WORDS_TEXT = (
    "and the for with from into this that are its their course module introduction basic basics "
    "principles fundamentals part students study und der die das des den dem ein eine einer eines mit "
    "von für zur zum bei über unter sowie grundlagen einführung modul les des une pour avec dans par "
    "sur aux est cours introduction principes los las del para con por una uno como curso "
    "introducción principios fundamentos dos das para com uma por como curso introdução princípios "
    "fundamentos degli della delle dei per con una uno come corso introduzione principi elementi oraz "
    "dla przez jest kurs wstęp podstawy een het van voor met door zijn cursus inleiding"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def fold(text: str) -> str:
    """Lower case without accents (``Ökologie`` → ``okologie``); ß becomes ss."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of ``text`` that may carry meaning."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) < MIN_WORD_LENGTH or word.casefold() in STOP_WORDS:
            continue
        folded = fold(word)
        if folded in STOP_WORDS:
            continue
        found.append(folded)
    return found


def stems(text: str) -> list[str]:
    """The index terms of ``text``: each word cut to ``STEM_LENGTH`` letters."""
    return [word[:STEM_LENGTH] for word in words(text)]


def document_terms(parts: Iterable[str]) -> list[str]:
    return [term for part in parts for term in stems(part)]
