"""Learning agreements written as EWP omobility-las ``la`` elements, validated against the official
``get-response.xsd`` read in place from the shared EWP folder (skipped with the reason without it)."""

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from accord.algorithms.ewp.learning_agreement import (
    OMOBILITY_LAS_NAMESPACE,
    EwpComponentList,
    EwpContactPerson,
    EwpInstitution,
    EwpLearningAgreement,
    EwpLearningAgreementError,
    EwpProposal,
    EwpSignature,
    EwpStudent,
    change_entries,
    get_response,
    la_element,
)
from accord.algorithms.mobility.learning_agreement import ChangeReason, changes_between, parse_components
from accord.algorithms.tests.ewp.shared import load_schema, require_ewp_shared

if TYPE_CHECKING:
    import xmlschema

GET_RESPONSE_XSD = "ewp-specs-api-omobility-las/endpoints/get-response.xsd"
SIGNED = EwpSignature(
    datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "Ada Lovelace", "Coordinator", "ada@example.org"
)

FIRST = parse_components(
    [
        {
            "ref": "a",
            "section": "studied",
            "title": "Bases de datos",
            "code": "BD1",
            "credits": "6",
            "term": "1/2",
        },
        {"ref": "b", "section": "studied", "title": "Redes", "credits": "5", "term": "1/2"},
        {"ref": "r", "section": "recognised", "title": "Bazy danych", "credits": "11", "term": "1/2"},
        {"ref": "v", "section": "virtual", "title": "Online seminar", "short_description": "Weekly"},
    ]
)
CHANGED = parse_components(
    [
        {
            "ref": "a",
            "section": "studied",
            "title": "Bases de datos",
            "code": "BD1",
            "credits": "6",
            "term": "1/2",
        },
        {"ref": "c", "section": "studied", "title": "Compiladores", "credits": "5", "term": "1/2"},
        {"ref": "r", "section": "recognised", "title": "Bazy danych", "credits": "11", "term": "1/2"},
        {"ref": "v", "section": "virtual", "title": "Online seminar", "short_description": "Weekly"},
    ]
)


def institution(hei_id: str) -> EwpInstitution:
    return EwpInstitution(hei_id, EwpContactPerson("Ada", "Lovelace", f"ada@{hei_id}"), "Faculty", "7")


def learning_agreement(**overrides) -> EwpLearningAgreement:
    changes = changes_between(
        FIRST, CHANGED, {"b": (ChangeReason.NOT_AVAILABLE, ""), "c": (ChangeReason.SUBSTITUTING_DELETED, "")}
    )
    values = {
        "omobility_id": "42",
        "sending": institution("home.example.edu"),
        "receiving": institution("partner.example.edu"),
        "receiving_academic_year": "2026/2027",
        "student": EwpStudent("Sam", "Student", "sam@example.org"),
        "start_date": date(2026, 9, 1),
        "end_date": date(2027, 1, 31),
        "eqf_level": 6,
        "isced_code": "0613",
        "language": "es",
        "cefr_level": "B2",
        "first_version": EwpComponentList([(c, None) for c in FIRST], SIGNED, SIGNED, SIGNED),
        "changes_proposal": EwpProposal(
            "v2", EwpComponentList(change_entries(FIRST, CHANGED, changes), SIGNED, SIGNED)
        ),
    }
    values.update(overrides)
    return EwpLearningAgreement(**values)


@pytest.fixture(scope="module")
def schema() -> "xmlschema.XMLSchema":
    return load_schema(require_ewp_shared(), GET_RESPONSE_XSD)


def test_a_first_version_with_a_pending_change_is_a_valid_get_response(schema):
    document = get_response([learning_agreement()])
    schema.validate(document)
    root = etree.fromstring(document)
    ns = {"la": OMOBILITY_LAS_NAMESPACE}
    statuses = [
        (c.findtext("la:title", namespaces=ns), c.get("status"), c.get("reason-code"))
        for c in root.iterfind("la:la/la:changes-proposal/la:components-studied/la:component", ns)
    ]
    assert statuses == [
        ("Redes", "deleted", "not-available"),
        ("Compiladores", "inserted", "substituting-deleted"),
    ]
    assert (
        root.findtext("la:la/la:first-version/la:components-studied/la:component/la:los-code", namespaces=ns)
        == "BD1"
    )


def test_an_unapproved_first_proposal_and_approved_changes_are_valid_too(schema):
    proposal_only = learning_agreement(
        first_version=None,
        changes_proposal=EwpProposal("v1", EwpComponentList([(c, None) for c in FIRST], SIGNED, SIGNED)),
    )
    changes = changes_between(FIRST, CHANGED, {"b": (None, "cancelled by host"), "c": (None, "replacement")})
    approved = learning_agreement(
        approved_changes=EwpComponentList(change_entries(FIRST, CHANGED, changes), SIGNED, SIGNED, SIGNED),
        changes_proposal=None,
    )
    schema.validate(get_response([proposal_only, approved]))


def test_what_ewp_cannot_carry_is_refused():
    staff = parse_components([{"ref": "t", "section": "activity", "title": "Teaching", "hours": "8"}])
    with pytest.raises(EwpLearningAgreementError, match="does not exchange"):
        la_element(learning_agreement(first_version=EwpComponentList([(staff[0], None)], SIGNED, SIGNED)))
    with pytest.raises(EwpLearningAgreementError, match="first version or a changes proposal"):
        la_element(learning_agreement(first_version=None, changes_proposal=None))
    naive = EwpSignature(datetime(2026, 7, 1, 10, 0))
    with pytest.raises(EwpLearningAgreementError, match="time zone"):
        la_element(learning_agreement(first_version=EwpComponentList([(FIRST[0], None)], naive, naive)))
