"""Every language the site offers is complete: each extracted msgid has a real translation.

For each language of ``settings.LANGUAGES`` but English, and each domain (django, djangojs): no entry
is empty or fuzzy, translations keep the placeholders (``%(name)s``, ``{name}``) and HTML tags of the
English, and — where GNU gettext is installed to extract with — every msgid found in the code today is
in the catalogue.
"""

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import to_locale

from accord.core.catalogues import DOMAINS, EXTRACT_OPTIONS, LOCALE_DIR, compile_stale

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PYTHON_FORMAT = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|%%")
BRACE_FORMAT = re.compile(r"\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _locale_dir(language: str) -> Path:
    directory = LOCALE_DIR / to_locale(language)
    assert directory.is_dir(), f"{language} is offered but has no catalogue ({directory} is missing)"
    return directory


def _catalogues(language: str) -> list[polib.POFile]:
    directory = _locale_dir(language) / "LC_MESSAGES"
    return [
        polib.pofile(str(directory / f"{domain}.po"))
        for domain in DOMAINS
        if (directory / f"{domain}.po").exists()
    ]


def _key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def _marks(text: str, entry: polib.POEntry) -> Counter:
    found = Counter(HTML_TAG.findall(text))
    if "python-format" in entry.flags:
        found.update(PYTHON_FORMAT.findall(text))
    if "python-brace-format" in entry.flags:
        found.update(BRACE_FORMAT.findall(text))
    return found


def mismatches(entry: polib.POEntry) -> list[str]:
    """What is wrong with one entry's translation, in words (empty when it is fine)."""
    if entry.obsolete:
        return []
    if "fuzzy" in entry.flags:
        return ["fuzzy"]
    if not entry.msgid_plural:
        if not entry.msgstr.strip():
            return ["empty"]
        return (
            []
            if _marks(entry.msgid, entry) == _marks(entry.msgstr, entry)
            else ["placeholders or tags differ"]
        )
    forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    if not forms or not all(form.strip() for form in forms):
        return ["empty plural form"]
    expected = _marks(entry.msgid_plural, entry)
    # The last form is the general plural and keeps every placeholder; a language's forms for one
    # (or two) may leave the number out, as Arabic and others write "one book" without "1".
    problems = [] if _marks(forms[-1], entry) == expected else ["plural placeholders or tags differ"]
    if any(_marks(form, entry) - expected for form in forms):
        problems.append("a plural form has a placeholder the English lacks")
    return problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple] | None:
    """The msgids ``make messages`` would extract now, or None where GNU gettext is not installed."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        return None
    target = tmp_path_factory.mktemp("locale")
    ignored = [*EXTRACT_OPTIONS["ignore_patterns"], "locale"]  # the real catalogues stay untouched
    options = {**EXTRACT_OPTIONS, "ignore_patterns": ignored}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(settings.BASE_DIR)
        patch.setattr(settings, "LOCALE_PATHS", [target])
        for domain in DOMAINS:
            call_command("makemessages", locale=["xx"], domain=domain, **options)
    return {
        _key(entry)
        for path in (target / "xx" / "LC_MESSAGES").glob("*.po")
        for entry in polib.pofile(str(path))
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_the_same_placeholders_and_tags(language):
    catalogues = _catalogues(language)
    assert catalogues, f"{language} has a directory but no catalogue"
    wrong = {entry.msgid: problems for po in catalogues for entry in po if (problems := mismatches(entry))}
    assert wrong == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalogue(language, extracted):
    catalogues = _catalogues(language)
    if extracted is None:
        pytest.skip("GNU gettext is not installed, so the code cannot be extracted to compare")
    present = {_key(entry) for po in catalogues for entry in po if not entry.obsolete}
    missing = sorted(msgid for _context, msgid, _plural in extracted - present)
    assert missing == [], "run `make messages` and translate the new strings"


def test_the_mismatch_check_catches_what_translators_get_wrong():
    entry = polib.POEntry(msgid="Hello %(name)s", msgstr="Bonjour %(nom)s", flags=["python-format"])
    assert mismatches(entry) == ["placeholders or tags differ"]
    entry = polib.POEntry(msgid="{owner} said", msgstr="a dit", flags=["python-brace-format"])
    assert mismatches(entry) == ["placeholders or tags differ"]
    assert mismatches(polib.POEntry(msgid="<strong>x</strong>", msgstr="x")) == [
        "placeholders or tags differ"
    ]
    assert mismatches(polib.POEntry(msgid="Save", msgstr="", flags=[])) == ["empty"]
    assert mismatches(polib.POEntry(msgid="Save", msgstr="Enregistrer", flags=["fuzzy"])) == ["fuzzy"]
    plural = polib.POEntry(
        msgid="%(n)s day",
        msgid_plural="%(n)s days",
        msgstr_plural={0: "يوم واحد", 1: "%(n)s أيام"},
        flags=["python-format"],
    )
    assert mismatches(plural) == []


def test_compiled_catalogues_hold_what_the_po_files_say(tmp_path):
    source = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
    copy = tmp_path / "fr" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(source, copy / "django.po")
    assert compile_stale(tmp_path) == [copy / "django.mo"]
    assert compile_stale(tmp_path) == []
    compiled = polib.mofile(str(copy / "django.mo"))
    po = polib.pofile(str(source))
    expected = {entry.msgid: entry.msgstr for entry in po.translated_entries() if not entry.msgid_plural}
    assert {
        entry.msgid: entry.msgstr for entry in compiled if entry.msgid and not entry.msgid_plural
    } == expected
