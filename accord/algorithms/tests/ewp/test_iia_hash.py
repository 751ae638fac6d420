"""The native IIA v7 hash against the official stylesheet (``transform_version_7.xsl`` run by saxonche).

The official examples must give the ``iia-hash`` written in them, and generated documents, both
schema-valid ones and odd ones beyond the schema, must give exactly the stylesheet's output.
"""

import copy
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.ewp.iia_hash import (
    IiaHash,
    IiaHashError,
    hash_get_response,
    hash_iia,
)
from accord.algorithms.tests.ewp.iia_strategies import (
    NAMESPACES,
    OTHER_NS,
    agreement,
    child,
    odd_documents,
    serialise,
    tag,
    valid_get_responses,
)
from accord.algorithms.tests.ewp.shared import (
    IIAS_GET_RESPONSE_EXAMPLE,
    IIAS_GET_RESPONSE_XSD,
    IIAS_XSLT_KIT_EXAMPLE,
    OfficialIiaHashStylesheet,
    StylesheetIia,
    load_schema,
    require_ewp_shared,
)
from accord.algorithms.xml_safety import UnsafeXmlError

if TYPE_CHECKING:
    import xmlschema


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


def test_documents_with_a_doctype_are_refused_raw_or_already_parsed() -> None:
    document = b'<!DOCTYPE iias-get-response SYSTEM "http://example.org/iias.dtd">\n<iias-get-response/>'
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        hash_get_response(document)
    tree = etree.fromstring(document, etree.XMLParser(load_dtd=False, no_network=True))
    with pytest.raises(UnsafeXmlError):
        hash_get_response(tree)
    with pytest.raises(UnsafeXmlError):
        hash_iia(tree)


def test_text_must_be_given_as_bytes() -> None:
    with pytest.raises(TypeError, match="bytes"):
        hash_get_response("<iias-get-response/>")  # type: ignore[arg-type]
