"""Parsing XML that comes from outside: partners' EWP messages, registry catalogues, uploaded files.

Pure Python (lxml), no Django import. :func:`parse_untrusted_xml` is the one way Accord parses XML it
did not write: no DTD is loaded, no entity is expanded, nothing is fetched from the network, and a
document that declares a DOCTYPE at all is refused (:class:`UnsafeXmlError`) rather than parsed with
its declarations ignored, since no EWP message needs one.
"""

import threading
from typing import Final

from lxml import etree

__all__ = ["UnsafeXmlError", "parse_untrusted_xml", "refuse_doctype"]

# One parser per thread, as lxml recommends: a shared parser would serialise concurrent parsing.
_PARSERS: Final = threading.local()


class UnsafeXmlError(ValueError):
    """The document declares a DOCTYPE (and so possibly entities); it is refused, not expanded."""


def parse_untrusted_xml(document: bytes) -> etree._Element:
    """Parse XML received from a partner: no DTD, no entity expansion, no network access.

    Raises :class:`UnsafeXmlError` for any document with a DOCTYPE and ``lxml.etree.XMLSyntaxError``
    for malformed XML.
    """
    if not isinstance(document, bytes):
        raise TypeError(f"expected the raw bytes of an XML document, got {type(document).__name__}")
    root = etree.fromstring(document, _safe_parser())
    refuse_doctype(root)
    return root


def refuse_doctype(element: etree._Element) -> None:
    """Raise :class:`UnsafeXmlError` when the document ``element`` belongs to declares a DOCTYPE.

    For trees parsed elsewhere, which callers hand over already built.
    """
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXmlError("XML with a DOCTYPE is refused: EWP messages never need a DTD or entities.")


def _safe_parser() -> etree.XMLParser:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        # Comments and processing instructions carry nothing any reader of EWP messages uses (and
        # never reach an XPath string value nor ``count(*)``, so the IIA hash is unchanged): dropping
        # them while parsing is free.
        parser = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser
