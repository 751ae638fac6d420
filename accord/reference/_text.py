"""Text folding shared by the reference modules: compare names the way people type them."""

import re
import unicodedata

# Letters that carry their "accent" in the glyph itself, so Unicode decomposition leaves them alone
# (\u0131 is the dotless i of Turkish and Azerbaijani).
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
# The combining diacritical mark blocks: accents, not the vowel signs other scripts need.
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_SEPARATORS = re.compile(r"[\W_]+")
_ASCII_SEPARATORS = str.maketrans(
    dict.fromkeys((chr(code) for code in range(128) if not chr(code).isalnum()), " ")
)


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: "Saint-Étienne" and "saint etienne" agree."""
    if text.isascii():
        # Most names are plain ASCII; this path gives the same result about twice as fast, which
        # matters when the city index folds over half a million names.
        return " ".join(text.lower().translate(_ASCII_SEPARATORS).split())
    text = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return _SEPARATORS.sub(" ", text.casefold().translate(_UNDECOMPOSABLE)).strip()
