"""EMREX ELMO transcripts written and read back: every written document validates against the registry's
ELMO 2.1.1 schema, what is written reads back equal (property-based), and the official example (v1)
reads as its text says. Schema tests skip with the reason when the shared EWP folder is absent."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from accord.algorithms.ewp.elmo import (
    ELMO_NAMESPACE,
    LINE_IDENTIFIER,
    AcademicTerm,
    Elmo,
    ElmoError,
    GradingScheme,
    Issuer,
    Learner,
    LearningOpportunity,
    OpportunityStatus,
    Report,
    elmo_element,
    parse_elmo,
    parse_elmo_document,
    term_from_title,
    term_title,
)
from accord.algorithms.tests.ewp.shared import load_schema, require_ewp_shared

ELMO_XSD = "ewp-registry-service/src/main/resources/schemas/elmo-schemas-v2.1.1/schema.xsd"
OFFICIAL_EXAMPLE = "elmo-schemas/example.xml"
NS = f"{{{ELMO_NAMESPACE}}}"

TERM = AcademicTerm(title=term_title("2026/2027", "1/2"), start=date(2026, 9, 1), end=date(2027, 1, 31))
TRANSCRIPT = Elmo(
    generated=datetime(2027, 2, 20, 10, 0, tzinfo=UTC),
    learner=Learner(given_names="Maria", family_name="Nowak"),
    reports=(
        Report(
            issuer=Issuer(
                hei_id="uv.es",
                name="Universitat de València",
                name_lang="es",
                url="https://www.uv.es/",
                country="ES",
                erasmus_code="E VALENCI01",
            ),
            issue_date=datetime(2027, 2, 20, 0, 0, tzinfo=UTC),
            opportunities=(
                LearningOpportunity(
                    title="Bases de datos",
                    code="BD1",
                    credits=Decimal("6"),
                    grade="9",
                    grading_scheme="scale",
                    distribution=(("10", 5), ("9", 15), ("8", 30), ("7", 30), ("6", 15), ("5", 5)),
                    isced_code="0613",
                    start=date(2026, 9, 1),
                    end=date(2027, 1, 31),
                    academic_term=TERM,
                ),
                LearningOpportunity(
                    title="Redes",
                    credits=Decimal("4.5"),
                    grade="3",
                    status=OpportunityStatus.FAILED,
                    grading_scheme="scale",
                    start=date(2026, 9, 1),
                    end=date(2027, 1, 31),
                    academic_term=TERM,
                ),
            ),
            grading_schemes=(GradingScheme("scale", "Spanish 0-10: passing 10, 9, 8, 7, 6, 5"),),
        ),
    ),
)


@pytest.fixture(scope="module")
def elmo_schema():
    return load_schema(require_ewp_shared(), ELMO_XSD)


def test_a_transcript_validates_against_elmo_2_1_1(elmo_schema):
    element = elmo_element(TRANSCRIPT)
    elmo_schema.validate(element)
    lines = element.findall(f"{NS}report/{NS}learningOpportunitySpecification")
    assert [line.findtext(f"{NS}identifier") for line in lines] == ["BD1", "2"]
    assert lines[1].find(f"{NS}identifier").get("type") == LINE_IDENTIFIER  # no code: its position
    issuer = element.find(f"{NS}report/{NS}issuer")
    assert issuer.find(f"{NS}identifier[@type='schac']").text == "uv.es"


def test_a_transcript_reads_back_equal():
    assert parse_elmo(elmo_element(TRANSCRIPT)) == TRANSCRIPT


def test_the_full_name_stands_in_for_the_alternative_name_and_known_birth_data_is_written(elmo_schema):
    learner = Learner("Anna  Maria", "Kowalska", date_of_birth=date(2004, 5, 6), citizenship="PL", esi="x:1")
    element = elmo_element(Elmo(TRANSCRIPT.generated, learner, TRANSCRIPT.reports))
    elmo_schema.validate(element)
    assert element.findtext(f"{NS}learner/{NS}alternativeName") == "Anna Maria Kowalska"
    assert element.findtext(f"{NS}learner/{NS}dateOfBirth") == "2004-05-06"
    assert parse_elmo(element).learner == Learner("Anna Maria", "Kowalska", date(2004, 5, 6), "PL", "x:1")


def test_an_unknown_birth_date_and_citizenship_are_left_out():
    learner = elmo_element(TRANSCRIPT).find(f"{NS}learner")
    assert learner.find(f"{NS}dateOfBirth") is None and learner.find(f"{NS}citizenship") is None


def test_text_xml_cannot_carry_is_dropped_and_tokens_are_collapsed(elmo_schema):
    line = LearningOpportunity(title="Bases\x00 de \n datos\x1f", credits=Decimal("6.0"), grade=" 9 ")
    report = Report(TRANSCRIPT.reports[0].issuer, TRANSCRIPT.reports[0].issue_date, (line,))
    element = elmo_element(Elmo(TRANSCRIPT.generated, TRANSCRIPT.learner, (report,)))
    elmo_schema.validate(element)
    (read,) = parse_elmo(element).reports[0].opportunities
    assert (read.title, read.grade, read.credits) == ("Bases de datos", "9", Decimal("6"))


@pytest.mark.parametrize(
    ("elmo", "message"),
    [
        (Elmo(TRANSCRIPT.generated, TRANSCRIPT.learner, ()), "at least one report"),
        (Elmo(datetime(2027, 2, 20), TRANSCRIPT.learner, TRANSCRIPT.reports), "time zone"),
    ],
)
def test_what_cannot_be_written_is_refused(elmo, message):
    with pytest.raises(ElmoError, match=message):
        elmo_element(elmo)


def test_the_official_example_reads(elmo_schema):
    """The example of the ELMO repository (v1.7.0, the one the shared folder holds) reads: its learner,
    its issuer, and every graded or credited node of its trees, nested ones included."""
    document = (require_ewp_shared() / OFFICIAL_EXAMPLE).read_bytes()
    elmo = parse_elmo_document(document)
    assert elmo.learner.given_names == "Wojciech Łukasz"
    assert elmo.learner.date_of_birth == date(1983, 4, 12)
    (report,) = elmo.reports
    assert report.issuer.hei_id == "uw.edu.pl"
    assert report.issuer.name == "University of Warsaw"
    assert report.issue_date == datetime(2015, 10, 31, 7, 0, tzinfo=timezone(timedelta(hours=2)))
    assert [(o.code, o.credits, o.grade) for o in report.opportunities] == [
        ("MNM2-BIO", Decimal("120"), ""),
        ("EKSTERN", Decimal("15"), "Innpasset"),
        ("1000-217bMRJ", Decimal("6"), "45.1"),
        ("", None, "C"),
    ]
    compilers = report.opportunities[2]
    assert compilers.title == "Compiler construction"
    assert compilers.grading_scheme == "0-100"
    assert report.grading_scheme("0-100").description.startswith("A number of the scale")
    assert compilers.distribution[0] == ("Less than 20", 43)
    assert report.opportunities[3].title == "The importance of <br> in HTML"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<elmo/>", "expected an ELMO"),
        (b"not xml", "not a readable XML"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><elmo xmlns="' + ELMO_NAMESPACE.encode() + b'"/>', "readable"),
    ],
)
def test_unreadable_documents_are_refused(document, message):
    with pytest.raises(ElmoError, match=message):
        parse_elmo_document(document)


def test_bad_values_are_refused_when_read():
    element = elmo_element(TRANSCRIPT)
    element.find(f".//{NS}credit/{NS}value").text = "six"
    with pytest.raises(ElmoError, match="not a number"):
        parse_elmo(element)
    element = elmo_element(TRANSCRIPT)
    element.find(f".//{NS}status").text = "maybe"
    with pytest.raises(ElmoError, match="passed, failed"):
        parse_elmo(element)


def test_terms_read_back_from_the_titles_accord_writes():
    assert term_from_title(term_title("2026/2027", "2/3")) == "2/3"
    assert term_from_title(term_title("2026/2027", "")) == ""
    assert term_from_title("2009 Spring") == ""


# --- property-based: whatever is written validates and reads back equal -----------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), max_size=20
).map(lambda value: " ".join(value.split()))
_NON_EMPTY = _TEXT.filter(bool)
_DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))])
_DATETIMES = st.builds(
    lambda day, seconds, zone: (
        datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(seconds=seconds)
    ),
    _DATES,
    st.integers(0, 86399),
    _ZONES,
)
_CREDITS = st.decimals(min_value=0, max_value=999, places=1, allow_nan=False, allow_infinity=False)
_OPPORTUNITIES = st.builds(
    LearningOpportunity,
    title=_TEXT,
    code=_TEXT,
    credits=st.none() | _CREDITS,
    grade=_TEXT,
    status=st.sampled_from(OpportunityStatus),
    grading_scheme=st.sampled_from(["", "scale"]),
    distribution=st.lists(st.tuples(_NON_EMPTY, st.integers(0, 10_000)), max_size=4).map(tuple),
    isced_code=st.sampled_from(["", "0613", "06"]),
    start=st.none() | _DATES,
    end=st.none() | _DATES,
    academic_term=st.none() | st.builds(AcademicTerm, title=_TEXT, start=_DATES, end=_DATES),
).filter(lambda line: line.grade or line.credits is not None)  # only those are read back
_ELMOS = st.builds(
    Elmo,
    generated=_DATETIMES,
    learner=st.builds(
        Learner,
        given_names=_TEXT,
        family_name=_TEXT,
        date_of_birth=st.none() | _DATES,
        citizenship=st.sampled_from(["", "PL", "ES"]),
        esi=_TEXT,
    ),
    reports=st.lists(
        st.builds(
            Report,
            issuer=st.builds(
                Issuer,
                hei_id=_NON_EMPTY,
                name=_TEXT,
                name_lang=st.sampled_from(["", "en", "pl"]),
                url=_TEXT,
                country=st.sampled_from(["", "ES"]),
                erasmus_code=_TEXT,
                pic=_TEXT,
            ),
            issue_date=_DATETIMES,
            opportunities=st.lists(_OPPORTUNITIES, max_size=4).map(tuple),
            grading_schemes=st.lists(
                st.builds(GradingScheme, local_id=_NON_EMPTY, description=_TEXT), max_size=2
            ).map(tuple),
        ),
        min_size=1,
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(_ELMOS)
def test_any_transcript_reads_back_equal(elmo):
    element = elmo_element(elmo)
    # Through bytes, as a partner receives it.
    received = parse_elmo_document(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))
    assert received == elmo


@settings(max_examples=25, deadline=None)
@given(_ELMOS)
def test_any_transcript_validates(elmo_schema, elmo):
    elmo_schema.validate(elmo_element(elmo))
