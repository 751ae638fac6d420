"""Offline access to the official EWP specification files, for tests and benchmarks.

The schemas, examples and the IIA hash stylesheet are read in place from the shared folder (next to
the repository by default, or wherever ``ACCORD_EWP_SHARED`` points); they are never copied into the
repository. The module is self-contained: it imports nothing from Accord, and its optional
dependencies (``pytest``, ``xmlschema``, ``saxonche``) only when the matching helper is called.
"""

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

from lxml import etree

if TYPE_CHECKING:
    import xmlschema
    from saxonche import PySaxonProcessor

ENV_VAR: Final = "ACCORD_EWP_SHARED"

IIAS_GET_RESPONSE_XSD: Final = "ewp-specs-api-iias/endpoints/get-response.xsd"
IIAS_GET_RESPONSE_EXAMPLE: Final = "ewp-specs-api-iias/endpoints/get-response-example.xml"
IIAS_XSLT_KIT_EXAMPLE: Final = "ewp-specs-api-iias/resources/xsltKit/get-response-v7.xml"
IIAS_HASH_STYLESHEET: Final = "ewp-specs-api-iias/resources/xsltKit/transform_version_7.xsl"

_RAW_GITHUB: Final = "https://raw.githubusercontent.com/"
_REPOSITORY_MARKER: Final = "pyproject.toml"
_MAX_LINK_HOPS: Final = 8


def ewp_shared_dir() -> Path | None:
    """The shared folder of EWP files, or None when it is not there.

    ``ACCORD_EWP_SHARED`` wins; otherwise ``<repository root>/../shared/ewp``. The root is found by
    its ``pyproject.toml`` so that this module keeps working wherever it is moved in the repository.
    """
    configured = os.environ.get(ENV_VAR)
    folder = Path(configured) if configured else _repository_root() / ".." / "shared" / "ewp"
    folder = folder.resolve()
    return folder if folder.is_dir() else None


def _repository_root() -> Path:
    return next(
        parent for parent in Path(__file__).resolve().parents if (parent / _REPOSITORY_MARKER).is_file()
    )


def require_ewp_shared() -> Path:
    """The shared folder, or skip the calling test with the reason and the way to provide it."""
    import pytest

    folder = ewp_shared_dir()
    if folder is None:
        pytest.skip(
            f"official EWP files not found: set {ENV_VAR} to the folder holding the EWP specification "
            "copies (ewp-specs-api-iias/, raw.githubusercontent.com/, …) or place it at ../shared/ewp"
        )
    return folder


def offline_uri_mapper(ewp_dir: Path) -> Callable[[str], str]:
    """An xmlschema ``uri_mapper`` that serves raw.githubusercontent.com imports from ``ewp_dir``.

    The shared folder mirrors those URLs with relative links. Following them to the real files keeps
    the relative imports between the registry's copies pointing at the right place.
    """
    mirror = ewp_dir / "raw.githubusercontent.com"

    def to_local(uri: str) -> str:
        if uri.startswith(_RAW_GITHUB):
            return _follow_links(mirror, uri[len(_RAW_GITHUB) :]).as_uri()
        return uri

    return to_local


def _follow_links(base: Path, relative: str) -> Path:
    """``base / relative`` with every link on the way followed, including links stored as plain files.

    A symbolic link copied or checked out where links are not supported (git's ``core.symlinks=false``)
    becomes a small file that holds the link's target; such a file in the middle of a path can only be
    a link, so its content is followed like the link would have been.
    """
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


def load_schema(ewp_dir: Path, relative_path: str, *, also: Sequence[str] = ()) -> "xmlschema.XMLSchema":
    """Load one of the official schemas without network access.

    ``also`` names further schemas (relative paths) to load beside it. Manifests and catalogues need
    them for strict validation: their API entries and security methods sit in lax wildcards, which are
    only checked against the schemas that are loaded.
    """
    import xmlschema

    locations = [
        (etree.parse(str(ewp_dir / path)).getroot().get("targetNamespace"), (ewp_dir / path).as_uri())
        for path in also
    ]
    return xmlschema.XMLSchema(
        str(ewp_dir / relative_path), uri_mapper=offline_uri_mapper(ewp_dir), locations=locations or None
    )


@dataclass(frozen=True, slots=True)
class StylesheetIia:
    """One ``<iia>`` of the official stylesheet's output."""

    iia_id: str
    text_to_hash: str
    valid_for_approval: bool


class OfficialIiaHashStylesheet:
    """``transform_version_7.xsl`` compiled once in Saxon-HE (saxonche), the reference for the IIA hash."""

    def __init__(self, ewp_dir: Path) -> None:
        self._processor = _saxon_processor()
        self._executable = self._processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(ewp_dir / IIAS_HASH_STYLESHEET)
        )

    def transform(self, document: bytes) -> list[StylesheetIia]:
        """Run the stylesheet over a UTF-8 ``get`` response and read back every ``<iia>`` it reports."""
        source = self._processor.parse_xml(xml_text=document.decode("utf-8"))
        output = self._executable.transform_to_string(xdm_node=source)
        return [
            StylesheetIia(
                iia_id=iia.findtext("iia-id") or "",
                text_to_hash=iia.findtext("text-to-hash") or "",
                valid_for_approval=iia.findtext("valid-for-approval") != "false",
            )
            for iia in etree.fromstring(output.encode("utf-8")).iter("iia")
        ]


@functools.cache
def _saxon_processor() -> "PySaxonProcessor":
    from saxonche import PySaxonProcessor

    # Saxon/C runs one runtime per process: every stylesheet shares this processor.
    return PySaxonProcessor(license=False)
