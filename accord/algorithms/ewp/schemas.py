"""Validation against the official EWP schemas at run time, read in place from a configured folder.

The folder has the layout of the shared copy of the specifications (one folder per repository and a
``raw.githubusercontent.com/`` mirror of the URLs the schemas import each other by); Accord never ships
the schemas. Imports are resolved inside that folder, so validation needs no network access. Pure: no
Django import; loaded schemas are cached per folder and file.
"""

import functools
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

from lxml import etree

if TYPE_CHECKING:
    import xmlschema

_RAW_GITHUB: Final = "https://raw.githubusercontent.com/"
_MAX_LINK_HOPS: Final = 8
_MARKER: Final = "ewp-specs-architecture/common-types.xsd"


class SchemaFolderError(ValueError):
    """The configured folder does not hold the EWP schemas."""


def schema_folder(folder: str | Path) -> Path:
    """The folder, resolved, or :class:`SchemaFolderError` saying what is missing."""
    path = Path(folder).expanduser().resolve()
    if not (path / _MARKER).is_file():
        raise SchemaFolderError(f"{path} does not hold the EWP schemas (no {_MARKER} inside)")
    return path


def validation_error(
    folder: Path, relative_path: str, document: etree._Element, *, also: Sequence[str] = ()
) -> str | None:
    """The first error of ``document`` against the schema at ``relative_path``, or None when it is valid.

    ``also`` names further schemas to load beside it (manifest entries and security methods, which sit
    in lax wildcards and are only checked against the schemas that are loaded).
    """
    schema = _load(folder, relative_path, tuple(also))
    error = next(iter(schema.iter_errors(document)), None)
    if error is None:
        return None
    where = f" (at {error.path})" if error.path else ""
    return f"{error.reason or error.message}{where}"


@functools.lru_cache(maxsize=64)
def _load(folder: Path, relative_path: str, also: tuple[str, ...]) -> "xmlschema.XMLSchema":
    import xmlschema

    locations = [
        (etree.parse(str(folder / path)).getroot().get("targetNamespace"), (folder / path).as_uri())
        for path in also
    ]
    return xmlschema.XMLSchema(
        str(folder / relative_path), uri_mapper=_uri_mapper(folder), locations=locations or None
    )


def _uri_mapper(folder: Path) -> Callable[[str], str]:
    mirror = folder / "raw.githubusercontent.com"

    def to_local(uri: str) -> str:
        if uri.startswith(_RAW_GITHUB):
            return _follow_links(mirror, uri[len(_RAW_GITHUB) :]).as_uri()
        return uri

    return to_local


def _follow_links(base: Path, relative: str) -> Path:
    """``base / relative`` with links followed, including links checked out as plain files."""
    current = base.resolve()
    parts = PurePosixPath(relative).parts
    for position, part in enumerate(parts):
        current = (current / part).resolve()
        hops = 0
        while position < len(parts) - 1 and current.is_file():
            hops += 1
            if hops > _MAX_LINK_HOPS:
                raise OSError(f"too many levels of links under {base} for {relative}")
            current = (current.parent / current.read_text(encoding="utf-8").strip()).resolve()
    return current
