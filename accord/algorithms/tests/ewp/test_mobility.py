"""Student mobilities as Outgoing Mobilities v3 and Incoming Mobilities v2 elements: what is written
validates against the registry's schemas, reads back equal, and the proposal-id follows the nomination."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.ewp.mobility import (
    IMOBILITIES_NAMESPACE,
    OMOBILITIES_NAMESPACE,
    EwpImobility,
    EwpMobilityError,
    EwpStudentMobility,
    imobility_element,
    nomination_proposal_id,
    parse_imobility,
    parse_student_mobility,
    student_mobility_element,
)
from accord.algorithms.ewp.schemas import validation_error
from accord.algorithms.tests.ewp.shared import require_ewp_shared

REGISTRY = "ewp-registry-service/src/main/resources/schemas"
MOBILITY = EwpStudentMobility(
    omobility_id="42",
    given_names="Maria",
    family_name="Nowak",
    global_id="urn:schac:personalUniqueCode:int:esi:a.example.pl:123456",
    birth_date=date(2004, 5, 17),
    nationality="PL",
    gender=2,
    email="maria@a.example.pl",
    sending_hei_id="a.example.pl",
    receiving_hei_id="b.example.es",
    receiving_academic_year="2026/2027",
    activity_attributes="long-term",
    agreement_isced="0533",
    eqf_level=6,
    nominee_isced="0533",
    status="pending",
    academic_term="2026/2027-1/1",
    sending_ounit_id="12",
    sending_iia_id="7",
    receiving_iia_id="iia-b-99",
)


def document(*elements: etree._Element, namespace=OMOBILITIES_NAMESPACE, name="omobilities-get-response"):
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace})
    root.extend(elements)
    return root


def test_written_mobilities_validate_and_read_back_equal():
    folder = require_ewp_shared()
    for mobility in (
        MOBILITY,
        replace(MOBILITY, academic_term=None, sending_iia_id=None, receiving_iia_id=None),
    ):
        element = student_mobility_element(mobility)
        root = document(element)
        assert (
            validation_error(
                folder, f"{REGISTRY}/ewp-specs-api-omobilities-v3.0.0/endpoints/get-response.xsd", root
            )
            is None
        )
        received = parse_student_mobility(etree.fromstring(etree.tostring(element)))
        assert received == replace(mobility, proposal_id=nomination_proposal_id(mobility))


def test_incoming_dates_validate_and_read_back_equal():
    folder = require_ewp_shared()
    dated = EwpImobility("42", date(2026, 9, 3), date(2027, 1, 29))
    root = document(
        imobility_element(dated),
        imobility_element(EwpImobility("43")),
        namespace=IMOBILITIES_NAMESPACE,
        name="imobilities-get-response",
    )
    assert (
        validation_error(
            folder, f"{REGISTRY}/ewp-specs-api-imobilities-v2.0.0/endpoints/get-response.xsd", root
        )
        is None
    )
    assert [parse_imobility(element) for element in root] == [dated, EwpImobility("43")]


def test_the_proposal_id_changes_with_the_nomination_only():
    proposal = nomination_proposal_id(MOBILITY)
    assert nomination_proposal_id(replace(MOBILITY, status="approved")) == proposal
    assert nomination_proposal_id(replace(MOBILITY, email="other@a.example.pl")) == proposal
    assert nomination_proposal_id(replace(MOBILITY, eqf_level=7)) != proposal
    assert nomination_proposal_id(replace(MOBILITY, receiving_academic_year="2027/2028")) != proposal
    assert (
        student_mobility_element(MOBILITY).find(f"{{{OMOBILITIES_NAMESPACE}}}nomination").get("proposal-id")
        == proposal
    )


@given(
    eqf=st.integers(1, 8),
    isced=st.from_regex(r"\A[0-9]{4}\Z"),
    attributes=st.sampled_from(["long-term", "short-term-blended", "short-term-doctoral"]),
    comment=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
)
def test_any_valid_nomination_reads_back_with_its_proposal_id(eqf, isced, attributes, comment):
    mobility = replace(
        MOBILITY, eqf_level=eqf, nominee_isced=isced, activity_attributes=attributes, comment=comment.strip()
    )
    received = parse_student_mobility(etree.fromstring(etree.tostring(student_mobility_element(mobility))))
    assert received.proposal_id == nomination_proposal_id(mobility)
    assert replace(received, proposal_id="") == mobility


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nominee_isced": "053"}, "four digits"),
        ({"gender": 3}, "ISO/IEC 5218"),
        ({"nationality": "pl"}, "two-letter"),
        ({"global_id": " "}, "European Student Identifier"),
        ({"activity_attributes": "virtual"}, "activity attributes"),
        ({"receiving_iia_id": None}, "go together"),
        ({"academic_term": "2026/2027"}, "academic term"),
        ({"status": "nominated"}, "status"),
        ({"omobility_id": "has space"}, "printable ASCII"),
    ],
)
def test_what_the_schema_would_refuse_is_refused_before_writing(change, message):
    with pytest.raises(EwpMobilityError, match=message):
        student_mobility_element(replace(MOBILITY, **change))


def test_received_mobilities_missing_what_accord_needs_are_refused():
    element = student_mobility_element(MOBILITY)
    element.find(
        f"{{{OMOBILITIES_NAMESPACE}}}student/{{{OMOBILITIES_NAMESPACE}}}birth-date"
    ).text = "17.05.2004"
    with pytest.raises(EwpMobilityError, match="birth-date"):
        parse_student_mobility(element)
    element = student_mobility_element(MOBILITY)
    del element.find(f"{{{OMOBILITIES_NAMESPACE}}}nomination").attrib["proposal-id"]
    with pytest.raises(EwpMobilityError, match="proposal-id"):
        parse_student_mobility(element)
