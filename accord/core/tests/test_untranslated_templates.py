"""Every word a person reads on a page or in an e-mail template is marked for translation.

A heuristic scan, strict enough to fail the build on a new untranslated sentence: template comments,
``{% translate %}`` and ``{% blocktranslate %}`` blocks, other tags, variables, ``<script>``,
``<style>`` and ``<code>``/``<pre>`` are removed; what is left of the text (and of the attributes people
read: ``title``, ``placeholder``, ``aria-label``, ``alt``) must hold no letters, bar the allow-list.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path for path in ROOT.rglob("templates/**/*") if path.suffix in {".html", ".txt"} and path.is_file()
)

# Names that are the same in every language: the product, standards and their codes.
ALLOWED = {
    "Accord",
    "EWP",
    "ECTS",
    "Erasmus",
    "Erasmus+",
    "SCHAC",
    "PIC",
    "OID",
    "CSV",
    "XLSX",
    "API",
    "ISCED",
    "ISCED-F",
    "EQF",
    "CEFR",
    "URL",
}

_BLOCKS = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{%\s*blocktrans(late)?\b.*?\{%\s*endblocktrans(late)?\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"<(script|style|code|pre)\b.*?</\1>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
]
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_READ_ATTRIBUTE = re.compile(r"""\b(title|placeholder|aria-label|alt)\s*=\s*("[^"]*"|'[^']*')""", re.I)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&#?\w+;")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W\d_][\w+'’.-]*")


def untranslated(source: str) -> list[str]:
    for block in _BLOCKS:
        source = block.sub(" ", source)
    source = _TAG.sub(" ", source)
    attributes = [value[1:-1] for _name, value in _READ_ATTRIBUTE.findall(source)]
    text = " ".join([_HTML_TAG.sub(" ", source), *attributes])
    text = _URL.sub(" ", _ENTITY.sub(" ", text))
    found = []
    for line in text.splitlines():
        words = [word.rstrip(".") for word in _WORD.findall(line)]
        if any(word not in ALLOWED for word in words):
            found.append(line.strip())
    return found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_template_text_is_marked_for_translation(path):
    assert untranslated(path.read_text()) == []


def test_the_scan_catches_plain_text_and_read_attributes():
    assert untranslated('<p>{% translate "Hello" %}</p>') == []
    assert untranslated("<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>") == []
    assert untranslated("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated('<input placeholder="Search">') == ["Search"]
    assert untranslated("<script>const label = 'x';</script> Accord · EWP") == []
