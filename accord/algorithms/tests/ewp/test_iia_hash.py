"""The native IIA v7 hash against the official stylesheet (``transform_version_7.xsl`` run by saxonche).

The official examples must give the ``iia-hash`` written in them, and generated documents, both
schema-valid ones and odd ones beyond the schema, must give exactly the stylesheet's output.
"""

import copy
import hashlib
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.ewp.iia_hash import (
    IIAS_V7_NAMESPACE,
    IiaHash,
    IiaHashError,
    UnsafeXmlError,
    hash_get_response,
    hash_iia,
    parse_untrusted_xml,
)
from accord.algorithms.tests.ewp.shared import (
    ENV_VAR,
    IIAS_GET_RESPONSE_EXAMPLE,
    IIAS_GET_RESPONSE_XSD,
    IIAS_XSLT_KIT_EXAMPLE,
    OfficialIiaHashStylesheet,
    StylesheetIia,
    ewp_shared_dir,
    load_schema,
    offline_uri_mapper,
    require_ewp_shared,
)

if TYPE_CHECKING:
    import xmlschema

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]
CONTACT_NS = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OTHER_NS = "urn:example:other"
NAMESPACES = {None: IIAS_V7_NAMESPACE, "c": CONTACT_NS}
MOBILITY_TYPES = (
    "student-studies-mobility-spec",
    "student-traineeship-mobility-spec",
    "staff-teacher-mobility-spec",
    "staff-training-mobility-spec",
)
# Only these two need a recommended language skill; the other two allow none.
TYPES_REQUIRING_LANGUAGE_SKILL = {"student-studies-mobility-spec", "staff-teacher-mobility-spec"}


@pytest.fixture(scope="module")
def ewp_dir() -> Path:
    return require_ewp_shared()


@pytest.fixture(scope="module")
def stylesheet(ewp_dir: Path) -> OfficialIiaHashStylesheet:
    pytest.importorskip("saxonche", reason="saxonche runs the official XSLT 2.0 stylesheet")
    return OfficialIiaHashStylesheet(ewp_dir)


@pytest.fixture(scope="module")
def get_response_schema(ewp_dir: Path) -> "xmlschema.XMLSchema":
    return load_schema(ewp_dir, IIAS_GET_RESPONSE_XSD)


def reported(results: Iterable[IiaHash | StylesheetIia]) -> list[tuple[str, str, bool]]:
    """What the stylesheet outputs per agreement: ``iia-id``, ``text-to-hash``, ``valid-for-approval``."""
    return [(found.iia_id, found.text_to_hash, found.valid_for_approval) for found in results]


def assert_same_as_stylesheet(document: bytes, stylesheet: OfficialIiaHashStylesheet) -> list[IiaHash]:
    native = hash_get_response(document)
    assert reported(native) == reported(stylesheet.transform(document))
    for found in native:
        assert found.hash == hashlib.sha256(found.text_to_hash.encode("utf-8")).hexdigest()
    return native


def tag(name: str) -> str:
    return f"{{{IIAS_V7_NAMESPACE}}}{name}"


def child(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag(name))
    element.text = text
    return element


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


# --- The official examples --------------------------------------------------------------------------


@pytest.mark.parametrize("example", [IIAS_XSLT_KIT_EXAMPLE, IIAS_GET_RESPONSE_EXAMPLE])
def test_official_examples_give_their_written_hash_and_the_stylesheet_text(
    example: str, ewp_dir: Path, stylesheet: OfficialIiaHashStylesheet
) -> None:
    document = (ewp_dir / example).read_bytes()
    native = assert_same_as_stylesheet(document, stylesheet)
    written = [element.text for element in etree.fromstring(document).iter(tag("iia-hash"))]
    assert [found.hash for found in native] == written


def test_xslt_kit_example_shows_the_v6_migration_rules(ewp_dir: Path) -> None:
    (found,) = hash_get_response((ewp_dir / IIAS_XSLT_KIT_EXAMPLE).read_bytes())
    assert found.iia_id == "0f7a5682-faf7-49a7-9cc7-ec486c49a281"
    assert found.text_to_hash.startswith("_iia-id_1=0f7a5682-faf7-49a7-9cc7-ec486c49a281__iia-id_2=1954991_")
    # The v6-value replaces the four-digit ISCED code; flagged elements and contacts are left out.
    assert "_student-studies-mobility-spec.subject-area.isced-f-code=031_" in found.text_to_hash
    assert "student-studies-mobility-spec.mobilities-per-year" not in found.text_to_hash
    assert "student-studies-mobility-spec.recommended-language-skill" not in found.text_to_hash
    assert "XYZ" not in found.text_to_hash
    assert found.text_to_hash.endswith(
        "_receiving-first-academic-year-id=2016/2017__receiving-last-academic-year-id=2017/2018_"
    )
    assert found.valid_for_approval is False


# --- Hypothesis: schema-valid IIAs v7 get responses --------------------------------------------------

XML_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
) | st.sampled_from("\t\n\r ")
BLANKS = st.sampled_from(["", " ", "\n", "\n    ", "\t", "\r\n  "])
ASCII_IDENTIFIERS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)
FLAG_VALUES = st.sampled_from(["true", "1", "false", "0", " true ", "\ttrue"])


@st.composite
def free_text(draw: st.DrawFn) -> str:
    """An xs:string value, often with blanks and newlines around it and non-ASCII inside."""
    core = draw(
        st.text(XML_CHARACTERS, max_size=12) | st.sampled_from(["Łódź", "Ἀθῆναι", "日本語", "e\u0301", "😀"])
    )
    return draw(BLANKS) + core + draw(BLANKS)


@st.composite
def collapsed(draw: st.DrawFn, lexical_forms: st.SearchStrategy[str]) -> str:
    """A value of a whitespace-collapsing XSD type, where blanks around the value stay valid."""
    return draw(BLANKS) + draw(lexical_forms) + draw(BLANKS)


def positive_integers(maximum: int) -> st.SearchStrategy[str]:
    return st.integers(1, maximum).flatmap(lambda n: st.sampled_from([str(n), f"+{n}", f"00{n}"]))


def decimals() -> st.SearchStrategy[str]:
    return st.sampled_from(["5", "10", "4.5", "0.25", "12.50", "+3", "007.10"])


def academic_year() -> st.SearchStrategy[str]:
    return st.integers(2000, 2090).map(lambda year: f"{year}/{year + 1}")


@st.composite
def contact(draw: st.DrawFn, element_tag: str) -> etree._Element:
    element = etree.Element(element_tag)
    for _ in range(draw(st.integers(1, 2))):
        name = etree.SubElement(element, f"{{{CONTACT_NS}}}contact-name")
        name.text = draw(free_text())
        if draw(st.booleans()):
            name.set(XML_LANG, draw(st.sampled_from(["en", "pl", "de-AT"])))
    if draw(st.booleans()):
        etree.SubElement(element, f"{{{CONTACT_NS}}}email").text = "someone@example.org"
    return element


@st.composite
def subject_area(draw: st.DrawFn) -> etree._Element:
    area = etree.Element(tag("subject-area"))
    code = child(area, "isced-f-code", draw(st.from_regex(r"[0-9]{4}", fullmatch=True)))
    if draw(st.integers(0, 3)) == 0:
        code.set("v6-value", draw(st.from_regex(r"[0-9]{1,3}", fullmatch=True)))
    if draw(st.booleans()):
        child(area, "isced-clarification", draw(free_text()))
    return area


@st.composite
def language_skill(draw: st.DrawFn) -> etree._Element:
    skill = etree.Element(tag("recommended-language-skill"))
    if draw(st.integers(0, 4)) == 0:
        skill.set("not-yet-defined", draw(FLAG_VALUES))
    child(skill, "language", draw(collapsed(st.sampled_from(["en", "pl", "pt-BR", "sr-Latn", "no"]))))
    if draw(st.booleans()):
        child(skill, "cefr-level", draw(st.sampled_from(["A1", "B1", "B2", "C1", "C2"])))
    if draw(st.booleans()):
        skill.append(draw(subject_area()))
    return skill


@st.composite
def mobility(draw: st.DrawFn, mobility_type: str) -> etree._Element:
    spec = etree.Element(tag(mobility_type))
    child(spec, "sending-hei-id", draw(free_text()))
    if draw(st.booleans()):
        child(spec, "sending-ounit-id", draw(ASCII_IDENTIFIERS))
    spec.extend(draw(st.lists(contact(tag("sending-contact")), max_size=2)))
    child(spec, "receiving-hei-id", draw(free_text()))
    if draw(st.booleans()):
        child(spec, "receiving-ounit-id", draw(ASCII_IDENTIFIERS))
    spec.extend(draw(st.lists(contact(tag("receiving-contact")), max_size=1)))
    child(spec, "receiving-first-academic-year-id", draw(academic_year()))
    child(spec, "receiving-last-academic-year-id", draw(academic_year()))
    places = child(spec, "mobilities-per-year", draw(collapsed(positive_integers(99))))
    if draw(st.integers(0, 4)) == 0:
        places.set("not-yet-defined", draw(FLAG_VALUES))
    minimum_skills = 1 if mobility_type in TYPES_REQUIRING_LANGUAGE_SKILL else 0
    spec.extend(draw(st.lists(language_skill(), min_size=minimum_skills, max_size=3)))
    spec.extend(draw(st.lists(subject_area(), max_size=3)))
    if draw(st.booleans()):
        child(spec, "other-info-terms", draw(free_text()))
    if mobility_type.startswith("student"):
        if draw(st.booleans()):
            child(spec, "total-months-per-year", draw(collapsed(decimals())))
        child(spec, "blended", draw(collapsed(st.sampled_from(["true", "false", "1", "0"]))))
        for _ in range(draw(st.integers(0, 3))):
            child(spec, "eqf-level", draw(collapsed(st.sampled_from(["5", "6", "7", "8", "+7", "07"]))))
    elif draw(st.booleans()):
        child(spec, "total-days-per-year", draw(collapsed(decimals())))
    return spec


@st.composite
def partner(draw: st.DrawFn) -> etree._Element:
    element = etree.Element(tag("partner"))
    child(element, "hei-id", draw(free_text()))
    if draw(st.booleans()):
        child(element, "ounit-id", draw(ASCII_IDENTIFIERS))
    if draw(st.integers(0, 5)) > 0:
        child(element, "iia-id", draw(ASCII_IDENTIFIERS))
    if draw(st.booleans()):
        child(element, "iia-code", draw(free_text()))
    if draw(st.booleans()):
        element.append(draw(contact(tag("signing-contact"))))
    element.extend(draw(st.lists(contact(f"{{{CONTACT_NS}}}contact"), max_size=1)))
    return element


@st.composite
def agreement(draw: st.DrawFn) -> etree._Element:
    iia = etree.Element(tag("iia"))
    iia.extend([draw(partner()), draw(partner())])
    child(iia, "in-effect", draw(st.sampled_from(["true", "false"])))
    conditions = child(iia, "cooperation-conditions")
    if draw(st.integers(0, 5)) == 0:
        conditions.set("terminated-as-a-whole", draw(FLAG_VALUES))
    for mobility_type in MOBILITY_TYPES:
        conditions.extend(draw(st.lists(mobility(mobility_type), max_size=2)))
    child(iia, "iia-hash", "0" * 64)
    return iia


@st.composite
def valid_get_responses(draw: st.DrawFn) -> bytes:
    response = etree.Element(tag("iias-get-response"), nsmap=NAMESPACES)
    response.extend(draw(st.lists(agreement(), min_size=1, max_size=2)))
    return serialise(response)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(document=valid_get_responses())
def test_schema_valid_documents_hash_like_the_stylesheet(
    document: bytes, stylesheet: OfficialIiaHashStylesheet, get_response_schema: "xmlschema.XMLSchema"
) -> None:
    get_response_schema.validate(document)
    assert_same_as_stylesheet(document, stylesheet)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(iia=agreement())
def test_a_single_agreement_hashes_like_a_response_that_holds_only_it(iia: etree._Element) -> None:
    response = etree.Element(tag("iias-get-response"), nsmap=NAMESPACES)
    response.append(copy.deepcopy(iia))
    assert hash_iia(iia) == hash_get_response(serialise(response))[0]


# --- Hypothesis: documents beyond the schema ---------------------------------------------------------

ODD_NAMES = (
    "sending-hei-id",
    "sending-contact",
    "receiving-contact",
    "receiving-first-academic-year-id",
    "receiving-last-academic-year-id",
    "isced-f-code",
    "subject-area",
    "recommended-language-skill",
    "cooperation-conditions",
    "iia",
    "x",
)
ODD_ATTRIBUTES = (
    ("not-yet-defined", FLAG_VALUES),
    (f"{{{OTHER_NS}}}not-yet-defined", FLAG_VALUES),
    ("v6-value", st.sampled_from(["", "12", " ", "031"])),
    (f"{{{OTHER_NS}}}v6-value", st.just("7")),
    ("terminated-as-a-whole", FLAG_VALUES),
    (XML_LANG, st.just("en")),
    ("code", st.text(XML_CHARACTERS, max_size=5)),
)


@st.composite
def odd_tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(ODD_NAMES))
    namespace = draw(st.sampled_from([IIAS_V7_NAMESPACE, IIAS_V7_NAMESPACE, OTHER_NS, None]))
    return name if namespace is None else f"{{{namespace}}}{name}"


@st.composite
def odd_attributes(draw: st.DrawFn, element: etree._Element) -> None:
    for name, values in draw(st.lists(st.sampled_from(ODD_ATTRIBUTES), max_size=2, unique_by=lambda a: a[0])):
        element.set(name, draw(values))


@st.composite
def odd_content(draw: st.DrawFn, element: etree._Element, depth: int) -> None:
    """Text with blanks, CDATA, comments and processing instructions, or child elements, or both."""
    if draw(st.booleans()):
        element.text = draw(free_text()) if draw(st.integers(0, 5)) else etree.CDATA("a<b>&c")
    if draw(st.integers(0, 5)) == 0:
        remark = etree.Comment("note") if draw(st.booleans()) else etree.ProcessingInstruction("pi", "x")
        remark.tail = draw(free_text())
        element.append(remark)
    if depth < 3:
        for _ in range(draw(st.integers(0, 3 - depth))):
            element.append(draw(odd_element(depth + 1)))


@st.composite
def odd_element(draw: st.DrawFn, depth: int) -> etree._Element:
    element = etree.Element(draw(odd_tag()))
    draw(odd_attributes(element))
    draw(odd_content(element, depth))
    if depth > 1 and draw(st.booleans()):
        element.tail = draw(free_text())
    return element


@st.composite
def odd_agreement(draw: st.DrawFn) -> etree._Element:
    iia = etree.Element(draw(st.sampled_from([tag("iia"), "iia", f"{{{OTHER_NS}}}iia"])))
    for _ in range(draw(st.integers(0, 4))):  # multilateral as in IIAs v6, or no partner at all
        element = etree.SubElement(iia, tag("partner"))
        if draw(st.integers(0, 4)):
            etree.SubElement(element, draw(st.sampled_from([tag("iia-id"), "iia-id"]))).text = draw(
                free_text()
            )
    for _ in range(draw(st.integers(1, 2))):
        conditions = etree.SubElement(
            iia, draw(st.sampled_from([tag("cooperation-conditions"), "cooperation-conditions"]))
        )
        draw(odd_attributes(conditions))
        conditions.extend(draw(st.lists(odd_element(1), max_size=4)))
    return iia


@st.composite
def odd_documents(draw: st.DrawFn) -> bytes:
    root = etree.Element(draw(st.sampled_from([tag("iias-get-response"), "response"])), nsmap={"o": OTHER_NS})
    root.extend(draw(st.lists(odd_agreement(), min_size=1, max_size=3)))
    return serialise(root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=odd_documents())
def test_documents_beyond_the_schema_hash_like_the_stylesheet(
    document: bytes, stylesheet: OfficialIiaHashStylesheet
) -> None:
    from saxonche import PySaxonApiError

    try:
        reference = stylesheet.transform(document)
    except PySaxonApiError:
        # Two first/last academic years in one mobility: the stylesheet fails, and so must we.
        with pytest.raises(IiaHashError):
            hash_get_response(document)
        return
    native = hash_get_response(document)
    assert reported(native) == reported(reference)
    # A tree that keeps its comments and processing instructions, as a caller may pass, hashes the same.
    assert hash_get_response(etree.fromstring(document)) == native


# --- Hand-built documents ------------------------------------------------------------------------------


def response_of(*agreements: etree._Element) -> bytes:
    response = etree.Element(tag("iias-get-response"), nsmap=NAMESPACES)
    response.extend(agreements)
    return serialise(response)


def minimal_agreement(*iia_ids: str | None, terminated: str | None = None) -> etree._Element:
    iia = etree.Element(tag("iia"))
    for iia_id in iia_ids:
        element = child(iia, "partner")
        child(element, "hei-id", "hei.example")
        if iia_id is not None:
            child(element, "iia-id", iia_id)
    child(iia, "in-effect", "true")
    conditions = child(iia, "cooperation-conditions")
    if terminated is not None:
        conditions.set("terminated-as-a-whole", terminated)
    spec = child(conditions, "staff-training-mobility-spec")
    child(spec, "sending-hei-id", "a.example")
    child(spec, "receiving-hei-id", "b.example")
    child(spec, "receiving-first-academic-year-id", "2024/2025")
    child(spec, "receiving-last-academic-year-id", "2026/2027")
    child(spec, "mobilities-per-year", "3")
    return iia


def test_multilateral_partners_are_numbered_and_a_missing_iia_id_is_empty(
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    (found,) = assert_same_as_stylesheet(response_of(minimal_agreement("A-1", None, "C-3")), stylesheet)
    assert found.iia_id == "A-1"
    assert found.text_to_hash.startswith("_iia-id_1=A-1__iia-id_2=__iia-id_3=C-3_")


def test_one_terminated_agreement_marks_every_agreement_of_the_response(
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    terminated, ordinary = minimal_agreement("T", "t", terminated="true"), minimal_agreement("O", "o")
    found = assert_same_as_stylesheet(
        response_of(copy.deepcopy(terminated), copy.deepcopy(ordinary)), stylesheet
    )
    assert all(result.text_to_hash.startswith("_@terminated-as-a-whole@__iia-id_1=") for result in found)
    # Per agreement, only the terminated one carries the marker.
    assert hash_iia(terminated).text_to_hash.startswith("_@terminated-as-a-whole@_")
    assert hash_iia(ordinary).text_to_hash.startswith("_iia-id_1=O_")


def test_one_v6_placeholder_makes_every_agreement_of_the_response_invalid_for_approval(
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    migrated, current = minimal_agreement("M", "m"), minimal_agreement("C", "c")
    migrated.find(f".//{tag('mobilities-per-year')}").set("not-yet-defined", "1")
    found = assert_same_as_stylesheet(
        response_of(copy.deepcopy(migrated), copy.deepcopy(current)), stylesheet
    )
    assert [result.valid_for_approval for result in found] == [False, False]
    assert "mobilities-per-year" not in found[0].text_to_hash
    assert hash_iia(migrated).valid_for_approval is False
    assert hash_iia(current).valid_for_approval is True


def test_a_flag_spelt_with_blanks_is_valid_xml_schema_but_not_a_flag_for_the_stylesheet(
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    iia = minimal_agreement("A", "B", terminated=" true")
    iia.find(f".//{tag('mobilities-per-year')}").set("not-yet-defined", " true")
    (found,) = assert_same_as_stylesheet(response_of(iia), stylesheet)
    assert "_cooperation-conditions.staff-training-mobility-spec.mobilities-per-year=3_" in found.text_to_hash
    assert not found.text_to_hash.startswith("_@terminated")
    assert found.valid_for_approval is True


def test_attributes_come_before_the_value_named_after_three_ancestors(
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    iia = minimal_agreement("A", "B")
    other_terms = child(
        iia.find(f".//{tag('staff-training-mobility-spec')}"), "other-info-terms", " Ünïcode\n"
    )
    other_terms.set("kind", "free")
    other_terms.set(f"{{{OTHER_NS}}}not-yet-defined", "true")
    (found,) = assert_same_as_stylesheet(response_of(iia), stylesheet)
    assert (
        "_@cooperation-conditions.staff-training-mobility-spec.other-info-terms.kind=free@_"
        "_@cooperation-conditions.staff-training-mobility-spec.other-info-terms.not-yet-defined=true@_"
        "_cooperation-conditions.staff-training-mobility-spec.other-info-terms= Ünïcode\n_"
    ) in found.text_to_hash


def test_line_ends_and_blanks_in_attributes_are_normalised_by_the_parser_as_by_saxon(
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    document = (
        b"<iias-get-response>\r\n<iia><partner><iia-id>A</iia-id></partner><cooperation-conditions><m>"
        b'<x a="tab\there\nnewline &#10;kept">line1\r\nline2\rline3 &#13;&lt;&amp;</x>'
        b"</m></cooperation-conditions></iia></iias-get-response>"
    )
    (found,) = assert_same_as_stylesheet(document, stylesheet)
    assert (
        "_@cooperation-conditions.m.x.a=tab here newline \nkept@_"
        "_cooperation-conditions.m.x=line1\nline2\nline3 \r<&_"
    ) in found.text_to_hash


def test_two_iia_ids_in_a_partner_fail_as_in_the_stylesheet(stylesheet: OfficialIiaHashStylesheet) -> None:
    from saxonche import PySaxonApiError

    iia = minimal_agreement("A", "B")
    child(iia.find(tag("partner")), "iia-id", "A-again")
    with pytest.raises(PySaxonApiError):
        stylesheet.transform(response_of(copy.deepcopy(iia)))
    with pytest.raises(IiaHashError, match="iia-id"):
        hash_iia(iia)


# --- What changes the hash ----------------------------------------------------------------------------


def cooperation_condition_leaves(root: etree._Element) -> Iterator[etree._Element]:
    for conditions in root.iter(tag("cooperation-conditions")):
        yield from (element for element in conditions.iterdescendants(etree.Element) if len(element) == 0)


def with_changed_leaf(document: bytes, position: int) -> bytes:
    root = etree.fromstring(document)
    leaf = list(cooperation_condition_leaves(root))[position]
    leaf.text = (leaf.text or "") + "9"
    return serialise(root)


def is_inside(element: etree._Element, names: set[str]) -> bool:
    return any(etree.QName(ancestor).localname in names for ancestor in element.iterancestors())


def is_not_yet_defined(element: etree._Element) -> bool:
    return any(node.get("not-yet-defined") in ("true", "1") for node in (element, *element.iterancestors()))


def is_hashed(leaf: etree._Element) -> bool:
    return not (
        is_inside(leaf, {"sending-contact", "receiving-contact"})
        or is_not_yet_defined(leaf)
        or bool(leaf.get("v6-value"))  # the v6 ISCED code is hashed instead of the text
    )


@pytest.mark.parametrize("example", [IIAS_XSLT_KIT_EXAMPLE, IIAS_GET_RESPONSE_EXAMPLE])
def test_every_cooperation_condition_value_is_hashed_but_contacts_and_placeholders_are_not(
    example: str, ewp_dir: Path
) -> None:
    document = (ewp_dir / example).read_bytes()
    (original,) = hash_get_response(document)
    leaves = list(cooperation_condition_leaves(etree.fromstring(document)))
    for position, leaf in enumerate(leaves):
        (changed,) = hash_get_response(with_changed_leaf(document, position))
        assert (changed.hash != original.hash) is is_hashed(leaf), etree.QName(leaf).localname


CONTACTS = {"sending-contact", "receiving-contact", "signing-contact", "contact"}
OUTSIDE_THE_CONDITIONS = {
    "signing-contact",
    "contact",
    "hei-id",
    "iia-code",
    "signing-date",
    "in-effect",
    "pdf-file",
}


@pytest.mark.parametrize("example", [IIAS_XSLT_KIT_EXAMPLE, IIAS_GET_RESPONSE_EXAMPLE])
def test_partner_contacts_and_other_data_outside_the_conditions_are_not_hashed(
    example: str, ewp_dir: Path
) -> None:
    document = (ewp_dir / example).read_bytes()
    root = etree.fromstring(document)
    targets = [
        element
        for element in root.iter(etree.Element)
        if etree.QName(element).localname in OUTSIDE_THE_CONDITIONS
    ]
    assert len(targets) >= 8
    for target in targets:
        for element in target.iter(etree.Element):
            if len(element) == 0:
                element.text = (element.text or "") + " changed"
    assert hash_get_response(serialise(root)) == hash_get_response(document)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=valid_get_responses(), data=st.data())
def test_changing_any_hashed_value_of_generated_agreements_changes_the_hash(
    document: bytes, data: st.DataObject
) -> None:
    root = etree.fromstring(document)
    hashed = [position for position, leaf in enumerate(cooperation_condition_leaves(root)) if is_hashed(leaf)]
    assume(hashed)
    position = data.draw(st.sampled_from(hashed))
    assert hash_get_response(with_changed_leaf(document, position)) != hash_get_response(document)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=valid_get_responses())
def test_contacts_never_affect_the_hash(document: bytes) -> None:
    root = etree.fromstring(document)
    contacts = [element for element in root.iter(etree.Element) if etree.QName(element).localname in CONTACTS]
    for contact_element in contacts:
        contact_element.getparent().remove(contact_element)
    assert hash_get_response(serialise(root)) == hash_get_response(document)


def test_v6_value_and_academic_years_are_hashed(ewp_dir: Path) -> None:
    document = (ewp_dir / IIAS_XSLT_KIT_EXAMPLE).read_bytes()
    (original,) = hash_get_response(document)
    root = etree.fromstring(document)
    next(root.iter(tag("isced-f-code"))).set("v6-value", "032")
    (changed_isced,) = hash_get_response(serialise(root))
    root = etree.fromstring(document)
    next(root.iter(tag("receiving-last-academic-year-id"))).text = "2021/2022"
    (changed_year,) = hash_get_response(serialise(root))
    assert len({original.hash, changed_isced.hash, changed_year.hash}) == 3


# --- Unsafe input ---------------------------------------------------------------------------------------

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


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, b"<!DOCTYPE a><a/>"])
def test_documents_with_a_doctype_are_refused(document: bytes) -> None:
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        hash_get_response(document)
    with pytest.raises(UnsafeXmlError):
        parse_untrusted_xml(document)


def test_a_tree_parsed_elsewhere_with_a_doctype_is_refused_too() -> None:
    tree = etree.fromstring(EXTERNAL_DTD, etree.XMLParser(load_dtd=False, no_network=True))
    with pytest.raises(UnsafeXmlError):
        hash_get_response(tree)
    with pytest.raises(UnsafeXmlError):
        hash_iia(tree)


def test_text_must_be_given_as_bytes() -> None:
    with pytest.raises(TypeError, match="bytes"):
        hash_get_response("<iias-get-response/>")  # type: ignore[arg-type]


# --- Helpers -------------------------------------------------------------------------------------------


def test_the_shared_folder_is_found_through_the_environment_variable(
    ewp_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    assert ewp_shared_dir() is None
    monkeypatch.setenv(ENV_VAR, str(ewp_dir))
    assert ewp_shared_dir() == ewp_dir
    monkeypatch.delenv(ENV_VAR)
    default = (REPOSITORY_ROOT / ".." / "shared" / "ewp").resolve()
    assert ewp_shared_dir() == (default if default.is_dir() else None)


def test_the_uri_mapper_serves_schema_imports_from_the_shared_folder(ewp_dir: Path) -> None:
    to_local = offline_uri_mapper(ewp_dir)
    common_types = "https://raw.githubusercontent.com/erasmus-without-paper/ewp-specs-architecture/stable-v1/common-types.xsd"
    assert to_local(common_types) == (ewp_dir / "ewp-specs-architecture" / "common-types.xsd").as_uri()
    assert to_local("http://www.w3.org/2001/xml.xsd") == "http://www.w3.org/2001/xml.xsd"


# --- Purity -----------------------------------------------------------------------------------------------


def test_importing_the_module_does_not_import_django() -> None:
    script = "import sys, accord.algorithms.ewp.iia_hash; sys.exit('django' in sys.modules)"
    command = [sys.executable, "-c", script]
    completed = subprocess.run(command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr or "django was imported"
