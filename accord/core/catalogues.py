"""Translation catalogues: compile ``.po`` to ``.mo`` without GNU gettext, and count what is missing.

The ``.mo`` files are build products, not sources: ``make run`` and ``make test`` compile the stale
ones with polib (pure Python), so a fresh clone needs no gettext tools, and a ``.mo`` can never lag
behind the ``.po`` it came from. Only extracting new strings (``make messages``) needs GNU gettext.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAINS = ("django", "djangojs")

# What ``make messages`` extracts from: the project's code and templates, not the virtualenv, tests,
# benchmarks, vendored JavaScript or the catalogues themselves. The completeness test extracts with
# the same options, so what it checks is what the lead's extraction would produce.
EXTRACT_OPTIONS: dict[str, object] = {
    "ignore_patterns": [".venv/*", "*/tests/*", "tests/*", "benchmarks/*", "var/*", "*/static/vendor/*"],
    "add_location": "file",
    "no_obsolete": True,
    "verbosity": 0,
}


@dataclass(frozen=True)
class Coverage:
    catalogue: Path
    total: int
    untranslated: int
    fuzzy: int


def catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_stale(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Write the ``.mo`` of every ``.po`` newer than it (or all with ``force``); return those written.

    Fuzzy entries are left out, as msgfmt does: a guess is never shown as a translation.
    """
    written = []
    for po_path in catalogues(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Written aside and moved in, so a test worker reading it never sees half a file.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        polib.pofile(str(po_path)).save_as_mofile(str(partial))
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written


def coverage(locale_dir: Path = LOCALE_DIR) -> list[Coverage]:
    report = []
    for po_path in catalogues(locale_dir):
        po = polib.pofile(str(po_path))
        entries = [entry for entry in po if not entry.obsolete]
        report.append(
            Coverage(
                catalogue=po_path.relative_to(locale_dir),
                total=len(entries),
                untranslated=len(po.untranslated_entries()),
                fuzzy=len(po.fuzzy_entries()),
            )
        )
    return report
