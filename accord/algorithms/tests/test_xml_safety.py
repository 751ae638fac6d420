"""The parser of XML from outside refuses anything with a DOCTYPE, whether it expands entities or not."""

import pytest
from lxml import etree

from accord.algorithms.xml_safety import UnsafeXmlError, parse_untrusted_xml, refuse_doctype

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE iias-get-response [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<iias-get-response><iia><partner><iia-id>&lol3;</iia-id></partner></iia></iias-get-response>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iias-get-response [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iias-get-response><iia><partner><iia-id>&secret;</iia-id></partner></iia></iias-get-response>"""
EXTERNAL_DTD = b"""<!DOCTYPE iias-get-response SYSTEM "http://example.org/iias.dtd">
<iias-get-response/>"""
DOCUMENTS_WITH_A_DOCTYPE = [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, b"<!DOCTYPE a><a/>"]


@pytest.mark.parametrize("document", DOCUMENTS_WITH_A_DOCTYPE)
def test_documents_with_a_doctype_are_refused(document: bytes) -> None:
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        parse_untrusted_xml(document)


def test_a_tree_parsed_elsewhere_with_a_doctype_is_refused_too() -> None:
    tree = etree.fromstring(EXTERNAL_DTD, etree.XMLParser(load_dtd=False, no_network=True))
    with pytest.raises(UnsafeXmlError):
        refuse_doctype(tree)


def test_text_must_be_given_as_bytes() -> None:
    with pytest.raises(TypeError, match="bytes"):
        parse_untrusted_xml("<iias-get-response/>")  # type: ignore[arg-type]


def test_comments_and_processing_instructions_are_dropped() -> None:
    root = parse_untrusted_xml(b"<a><!-- note --><?pi x?><b>text</b></a>")
    assert etree.tostring(root) == b"<a><b>text</b></a>"
