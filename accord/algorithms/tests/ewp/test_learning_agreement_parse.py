"""Reading EWP omobility-las ``la`` elements back into Accord's dataclasses: a property-based round
trip through :func:`la_element`, the official examples (read in place from the shared EWP folder,
skipped with the reason without it), and what cannot be read."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.ewp.learning_agreement import (
    OMOBILITY_LAS_NAMESPACE,
    TERM_NAMESPACE,
    EwpComponentList,
    EwpContactPerson,
    EwpInstitution,
    EwpLearningAgreement,
    EwpLearningAgreementError,
    EwpProposal,
    EwpSignature,
    EwpStudent,
    component_ref,
    full_components,
    get_response,
    la_element,
    parse_get_response,
    parse_la,
    proposal_digest,
)
from accord.algorithms.mobility.learning_agreement import (
    ChangeReason,
    ChangeStatus,
    Component,
    ComponentChange,
    Section,
    components_hash,
    components_to_dicts,
    parse_components,
)
from accord.algorithms.tests.ewp.shared import require_ewp_shared
from accord.algorithms.xml_safety import parse_untrusted_xml

SECTION_ORDER = [Section.STUDIED, Section.RECOGNISED, Section.VIRTUAL, Section.BLENDED, Section.DOCTORAL]

# Text as partners write it: letters, digits, punctuation and single spaces (component texts are read
# with their spacing normalised, as Accord stores them).
text = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Zs"), max_codepoint=0x2FFF), min_size=1, max_size=30
).map(lambda value: " ".join(value.split()))
words = text.filter(bool)
optional = st.one_of(st.just(""), words)
credits = st.one_of(
    st.none(), st.integers(min_value=0, max_value=1200).map(lambda tenths: Decimal(tenths) / 10)
)
terms = st.one_of(
    st.just(""), st.integers(1, 9).flatmap(lambda total: st.integers(1, total).map(lambda n: f"{n}/{total}"))
)
components = st.builds(
    Component,
    ref=st.just("x"),
    section=st.sampled_from(SECTION_ORDER),
    title=words,
    code=optional,
    credits=credits,
    term=terms,
    recognition_conditions=optional,
    short_description=optional,
)
changes = st.one_of(
    st.none(),
    st.builds(
        ComponentChange,
        ref=st.just("x"),
        status=st.sampled_from(ChangeStatus),
        reason_code=st.one_of(st.none(), st.sampled_from(ChangeReason)),
        reason_text=optional,
    ),
)
timestamps = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(-12 * 60, 14 * 60),
)
signatures = st.builds(
    EwpSignature, timestamp=timestamps, signer_name=optional, signer_position=optional, signer_email=optional
)
component_lists = st.builds(
    EwpComponentList,
    entries=st.lists(st.tuples(components, changes), max_size=6),
    student_signature=signatures,
    sending_signature=signatures,
    receiving_signature=st.one_of(st.none(), signatures),
)
institutions = st.builds(
    EwpInstitution,
    hei_id=words,
    contact=st.builds(EwpContactPerson, words, words, words),
    ounit_name=optional,
    ounit_id=optional,
)
agreements = st.builds(
    EwpLearningAgreement,
    omobility_id=words,
    sending=institutions,
    receiving=institutions,
    receiving_academic_year=st.just("2026/2027"),
    student=st.builds(EwpStudent, optional, optional, optional, optional),
    start_date=st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    end_date=st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    eqf_level=st.integers(5, 8),
    isced_code=st.just("0613"),
    language=st.sampled_from(["en", "es", "pl"]),
    cefr_level=st.sampled_from(["A1", "B2", "C2"]),
    first_version=component_lists,
    approved_changes=st.one_of(st.none(), component_lists),
    changes_proposal=st.one_of(st.none(), st.builds(EwpProposal, words, component_lists)),
)


def as_read(listed: EwpComponentList | None) -> EwpComponentList | None:
    """What reading gives back: components grouped in the schema's section order, refs from content."""
    if listed is None:
        return None
    entries = []
    for section in SECTION_ORDER:
        for component, change in listed.entries:
            if component.section is section:
                ref = component_ref(component)
                entries.append((replace(component, ref=ref), replace(change, ref=ref) if change else None))
    return replace(listed, entries=entries)


@settings(max_examples=150, deadline=None)
@given(agreements)
def test_reading_an_la_gives_back_what_was_written(agreement):
    read = parse_la(la_element(agreement))

    proposal = agreement.changes_proposal
    assert read == replace(
        agreement,
        first_version=as_read(agreement.first_version),
        approved_changes=as_read(agreement.approved_changes),
        changes_proposal=replace(proposal, components=as_read(proposal.components)) if proposal else None,
    )


@given(st.lists(components, min_size=1, max_size=5, unique_by=component_ref))
def test_refs_follow_the_content_and_survive_the_stored_form(items):
    # Accord needs a term on studied and recognised components, which EWP leaves optional.
    items = [replace(component, term=component.term or "1/1") for component in items]
    with_refs = [replace(component, ref=component_ref(component)) for component in items]
    assert [component_ref(replace(c, ref="other")) for c in with_refs] == [c.ref for c in with_refs]
    assert parse_components(components_to_dicts(with_refs)) == tuple(with_refs)


SIGNED = EwpSignature(
    datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "Ada Lovelace", "Coordinator", "ada@example.org"
)


def listed(*entries) -> EwpComponentList:
    return EwpComponentList(list(entries), SIGNED, SIGNED)


def course(title: str, section: Section = Section.STUDIED) -> Component:
    component = Component("", section, title, credits=Decimal(5), term="1/2")
    return replace(component, ref=component_ref(component))


def test_a_list_of_changes_is_read_as_the_whole_list_it_describes():
    first = listed(
        (course("Algebra"), None), (course("Logic"), None), (course("Analiza", Section.RECOGNISED), None)
    )
    logic, compilers = course("Logic"), course("Compilers")
    changes = listed(
        (logic, ComponentChange(logic.ref, ChangeStatus.DELETED, ChangeReason.NOT_AVAILABLE)),
        (compilers, ComponentChange(compilers.ref, ChangeStatus.INSERTED, ChangeReason.SUBSTITUTING_DELETED)),
    )

    whole, found = full_components(first, changes)

    assert [c.title for c in whole] == ["Algebra", "Compilers", "Analiza"]
    assert [change.status for change in found] == [ChangeStatus.DELETED, ChangeStatus.INSERTED]
    assert full_components(None, first)[0] == tuple(c for c, _ in first.entries)
    with pytest.raises(EwpLearningAgreementError, match="not in the first version"):
        full_components(listed((course("Algebra"), None)), changes)
    with pytest.raises(EwpLearningAgreementError, match="without a status"):
        full_components(first, listed(changes.entries[0], (course("Extra"), None)))
    with pytest.raises(EwpLearningAgreementError, match="needs the first version"):
        full_components(None, changes)


def test_an_accord_proposal_id_gives_its_version_and_hash_any_other_the_hash_of_the_components():
    items = [course("Algebra")]
    digest = "ab" * 32
    assert proposal_digest(f"7-{digest}", items) == (7, digest)
    assert proposal_digest("59B15BAF222F868493C167125FA32452E946", items) == (None, components_hash(items))
    assert proposal_digest(f"7-{digest}x", items) == (None, components_hash(items))


def test_documents_that_cannot_be_read_are_refused():
    with pytest.raises(EwpLearningAgreementError, match="not safe"):
        parse_get_response(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with pytest.raises(EwpLearningAgreementError, match="expected an omobility-las-get-response"):
        parse_get_response(b"<other/>")
    agreement = EwpLearningAgreement(
        omobility_id="1",
        sending=EwpInstitution("a.example", EwpContactPerson("A", "B", "a@a.example")),
        receiving=EwpInstitution("b.example", EwpContactPerson("C", "D", "c@b.example")),
        receiving_academic_year="2026/2027",
        student=EwpStudent(),
        start_date=date(2026, 9, 1),
        end_date=date(2027, 1, 31),
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
        changes_proposal=EwpProposal("p1", listed((course("Algebra"), None))),
    )
    document = get_response([agreement])
    assert parse_get_response(document) == [agreement]
    for broken, message in (
        (
            document.replace(b"<eqf-level-studied-at-departure>6<", b"<eqf-level-studied-at-departure>six<"),
            "eqf",
        ),
        (document.replace(b'id="p1"', b'id=""'), "no id"),
        (
            document.replace(
                b"<timestamp>2026-07-01T10:00:00+00:00</timestamp>", b"<timestamp>soon</timestamp>", 1
            ),
            "timestamp",
        ),
        (document.replace(b"<start-date>2026-09-01</start-date>", b""), "start-date"),
    ):
        with pytest.raises(EwpLearningAgreementError, match=message):
            parse_get_response(broken)


# --- the official examples ----------------------------------------------------------------------------------


def test_the_official_get_response_example_is_read():
    folder = require_ewp_shared() / "ewp-specs-api-omobility-las" / "examples"

    (la,) = parse_get_response((folder / "get-response-example.xml").read_bytes())

    assert la.omobility_id == "c442c289-5541-4cae-9edb-8ad83e133613"
    assert (la.sending.hei_id, la.receiving.hei_id) == ("uio.no", "uw.edu.pl")
    assert (la.start_date, la.end_date) == (date(2019, 2, 1), date(2019, 6, 30))
    assert la.first_version.receiving_signature.signer_name == "Paweł Tomasz Kowalski"
    first = [component.title for component, _change in la.first_version.entries]
    assert first == ["Introductory calculus", "Calculus", "Algebra with Geometry"]
    approved, found = full_components(la.first_version, la.approved_changes)
    assert "Algebra" in [component.title for component in approved]
    assert all(change.status is ChangeStatus.INSERTED for change in found)
    assert la.changes_proposal.proposal_id == "59B15BAF222F868493C167125FA32452E946"
    proposed, _changes = full_components(la.first_version, la.changes_proposal.components)
    assert proposed


def _namespaced(document: bytes) -> etree._Element:
    """A dashboard scenario ``la`` (written without namespaces) moved into the get-response namespace."""
    root = parse_untrusted_xml(document)
    for element in root.iter():
        if isinstance(element.tag, str) and not etree.QName(element).namespace:
            name = etree.QName(element).localname
            namespace = TERM_NAMESPACE if name in {"term-number", "total-terms"} else OMOBILITY_LAS_NAMESPACE
            element.tag = f"{{{namespace}}}{name}"
    return root


def dashboard_examples() -> list[Path]:
    folder = (
        require_ewp_shared() / "ewp-specs-api-omobility-las/examples/ola-dashboard-example-scenarios/src/xml"
    )
    return sorted(folder.glob("Ex*.xml"), key=lambda path: int(path.stem[2:]))


def test_the_official_dashboard_scenarios_are_read():
    roots = [_namespaced(path.read_bytes()) for path in dashboard_examples()]
    # Some scenarios illustrate update requests rather than learning agreements.
    las = [root for root in roots if etree.QName(root).localname == "la"]
    assert len(las) >= 5
    for root in las:
        if root.find(f"{{{OMOBILITY_LAS_NAMESPACE}}}start-year-month") is None:
            with pytest.raises(EwpLearningAgreementError, match="start-date"):
                parse_la(root)  # a fragment that leaves out the dates the schema requires
            continue
        la = parse_la(root)
        assert la.omobility_id and (la.first_version or la.changes_proposal)
        if la.approved_changes is not None:
            full_components(la.first_version, la.approved_changes)
        if la.changes_proposal is not None:
            full_components(la.first_version, la.changes_proposal.components)
