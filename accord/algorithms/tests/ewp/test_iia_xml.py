"""Agreement contents to EWP IIAs v7 XML and back: schema-valid, and exact for everything hashed."""

import dataclasses
import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.agreements.content import AgreementContent, conditions_hash, parse_content
from accord.algorithms.ewp.iia_hash import hash_iia
from accord.algorithms.ewp.iia_xml import (
    IiaXmlError,
    content_from_iia,
    get_response,
    get_response_of,
    iia_element,
    reorder_partners,
    write_iia,
)
from accord.algorithms.tests.agreements.test_strategies import contents
from accord.algorithms.tests.ewp.shared import (
    IIAS_GET_RESPONSE_EXAMPLE,
    IIAS_GET_RESPONSE_XSD,
    IIAS_XSLT_KIT_EXAMPLE,
    OfficialIiaHashStylesheet,
    load_schema,
    require_ewp_shared,
)
from accord.algorithms.xml_safety import parse_untrusted_xml


@pytest.fixture(scope="module")
def ewp_dir() -> Path:
    return require_ewp_shared()


@pytest.fixture(scope="module")
def schema(ewp_dir: Path):
    return load_schema(ewp_dir, IIAS_GET_RESPONSE_XSD)


@pytest.fixture(scope="module")
def stylesheet(ewp_dir: Path) -> OfficialIiaHashStylesheet:
    pytest.importorskip("saxonche", reason="saxonche runs the official XSLT 2.0 stylesheet")
    return OfficialIiaHashStylesheet(ewp_dir)


def official_iias(ewp_dir: Path, relative: str) -> list[etree._Element]:
    root = parse_untrusted_xml((ewp_dir / relative).read_bytes())
    return list(root.iter("{*}iia"))


def named_by_hei_id(content: AgreementContent) -> AgreementContent:
    """The content with every partner named by a hei-id, as an imported copy names them."""
    partners = tuple(
        dataclasses.replace(
            partner,
            organisation_ref=f"{partner.organisation_ref}.edu",
            hei_id=f"{partner.organisation_ref}.edu",
        )
        for partner in content.partners
    )
    return dataclasses.replace(content, partners=partners)


erasmus_contents = (
    contents().filter(lambda content: content.terms.agreement_type == "erasmus_iia").map(named_by_hei_id)
)


def test_the_official_example_imports_and_exports_to_the_same_hash(ewp_dir: Path, schema) -> None:
    for iia in official_iias(ewp_dir, IIAS_GET_RESPONSE_EXAMPLE):
        imported = content_from_iia(iia)
        assert imported.iia_hash == hash_iia(iia).hash
        content = parse_content(imported.document)
        exported = iia_element(content, in_effect=imported.in_effect)
        assert hash_iia(exported).hash == hash_iia(iia).hash
        assert exported.findtext("{*}iia-hash") == imported.iia_hash
        schema.validate(get_response([exported]))
        assert conditions_hash(parse_content(content_from_iia(exported).document)) == conditions_hash(content)


def test_v6_migration_markers_are_reported_and_the_v7_values_kept(ewp_dir: Path) -> None:
    (iia,) = official_iias(ewp_dir, IIAS_XSLT_KIT_EXAMPLE)
    imported = content_from_iia(iia)
    assert imported.not_yet_defined
    content = parse_content(imported.document)
    studies = content.conditions[0]
    # The v7 code is kept, not the "v6-value" the stylesheet hashes while partners migrate.
    assert [area.isced_code for area in studies.subject_areas] == ["0314"]
    assert studies.mobilities_per_year == 2
    # Those markers are all that separates the re-exported copy from the received one.
    exported = iia_element(content, in_effect=imported.in_effect)
    assert hash_iia(exported).valid_for_approval
    assert not hash_iia(iia).valid_for_approval


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow]
)
@given(content=erasmus_contents, in_effect=st.booleans())
def test_every_erasmus_content_round_trips_exactly_through_valid_xml(
    content: AgreementContent, in_effect: bool, schema
) -> None:
    exported = iia_element(content, in_effect=in_effect)
    schema.validate(get_response([exported]))
    imported = content_from_iia(parse_untrusted_xml(etree.tostring(exported)))
    back = parse_content(imported.document)
    assert conditions_hash(back) == conditions_hash(content)
    assert imported.in_effect == in_effect
    assert hash_iia(iia_element(back, in_effect=in_effect)).hash == imported.iia_hash
    assert [dataclasses.replace(p, organisation_ref="") for p in back.partners] == [
        dataclasses.replace(p, organisation_ref="") for p in content.partners
    ]


# Markup, character references and line ends in the free texts: what the writer must escape and the
# hash must still see exactly as a reader of the XML does.
markup_texts = st.text(alphabet="a &<>\r\n\t\"']]>é\U0001f600", min_size=1, max_size=10)


@st.composite
def contents_with_markup(draw: st.DrawFn) -> AgreementContent:
    content = draw(erasmus_contents)
    conditions = tuple(
        dataclasses.replace(
            condition,
            other_info=draw(markup_texts),
            subject_areas=tuple(
                dataclasses.replace(area, clarification=draw(markup_texts))
                for area in condition.subject_areas
            ),
        )
        for condition in content.conditions
    )
    partners = tuple(
        dataclasses.replace(partner, signing_contact=draw(st.none() | markup_texts))
        for partner in content.partners
    )
    return dataclasses.replace(content, partners=partners, conditions=conditions)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow]
)
@given(content=contents_with_markup(), in_effect=st.booleans(), terminated=st.booleans())
def test_the_hash_computed_while_writing_is_the_official_stylesheets(
    content: AgreementContent,
    in_effect: bool,
    terminated: bool,
    schema,
    stylesheet: OfficialIiaHashStylesheet,
) -> None:
    written = write_iia(content, in_effect=in_effect, terminated_as_a_whole=terminated)
    document = get_response_of([written])
    schema.validate(document)
    (reference,) = stylesheet.transform(document)
    found = written.hash
    assert (found.iia_id, found.text_to_hash, found.valid_for_approval) == (
        reference.iia_id,
        reference.text_to_hash,
        reference.valid_for_approval,
    )
    assert found.hash == hashlib.sha256(reference.text_to_hash.encode()).hexdigest()
    (element,) = parse_untrusted_xml(document)
    assert hash_iia(element) == found
    assert element.findtext("{*}iia-hash") == found.hash


def test_a_response_of_written_iias_holds_each_of_them_in_order(schema) -> None:
    first, second = (
        write_iia(parse_content(_bilateral(code)), in_effect=False) for code in ("one & <two>", "three")
    )
    document = get_response_of([first, second])
    schema.validate(document)
    root = parse_untrusted_xml(document)
    assert [hash_iia(element) for element in root] == [first.hash, second.hash]
    assert root[0].findtext("{*}partner/{*}iia-code") == "one & <two>"
    schema.validate(get_response_of([]))


def test_text_xml_cannot_carry_is_refused_rather_than_written() -> None:
    content = parse_content(_bilateral("code\x0bwith a vertical tab"))
    with pytest.raises(IiaXmlError, match="character XML cannot carry"):
        write_iia(content, in_effect=False)


def _bilateral(iia_code: str) -> dict:
    return {
        "partners": [
            {"organisation_ref": "a.edu", "hei_id": "a.edu", "partner_agreement_code": iia_code},
            {"organisation_ref": "b.edu", "hei_id": "b.edu"},
        ],
        "conditions": [
            {
                "key": "c1",
                "mobility_type": "staff_training",
                "sending_partner": 0,
                "receiving_partner": 1,
                "first_academic_year": "2026/2027",
                "last_academic_year": "2027/2028",
                "mobilities_per_year": 2,
            }
        ],
        "terms": {"agreement_type": "erasmus_iia"},
    }


def test_partners_are_reordered_with_their_conditions() -> None:
    document = {
        "partners": [{"hei_id": "a.edu"}, {"hei_id": "b.edu"}],
        "conditions": [{"sending_partner": 0, "receiving_partner": 1}],
    }
    reordered = reorder_partners(document, "B.edu")
    assert [p["hei_id"] for p in reordered["partners"]] == ["b.edu", "a.edu"]
    assert reordered["conditions"] == [{"sending_partner": 1, "receiving_partner": 0}]
    with pytest.raises(IiaXmlError):
        reorder_partners(document, "c.edu")


def test_contents_ewp_cannot_carry_are_refused_with_a_reason() -> None:
    content = parse_content(
        {
            "partners": [{"organisation_ref": "1"}, {"organisation_ref": "2", "hei_id": "b.edu"}],
            "conditions": [],
            "terms": {"agreement_type": "erasmus_iia"},
        }
    )
    with pytest.raises(IiaXmlError, match="hei-id"):
        iia_element(content, in_effect=False)


def test_a_condition_naming_a_stranger_is_refused() -> None:
    iia = etree.fromstring(
        b'<iia xmlns="https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd">'
        b"<partner><hei-id>a.edu</hei-id></partner><partner><hei-id>b.edu</hei-id></partner>"
        b"<in-effect>false</in-effect><cooperation-conditions><staff-training-mobility-spec>"
        b"<sending-hei-id>c.edu</sending-hei-id><receiving-hei-id>b.edu</receiving-hei-id>"
        b"</staff-training-mobility-spec></cooperation-conditions></iia>"
    )
    with pytest.raises(IiaXmlError, match=r"c\.edu"):
        content_from_iia(iia)
