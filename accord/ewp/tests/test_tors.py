"""Transcripts of records over EWP: the Incoming Mobility ToRs API v3 (get, index) a receiving institution
serves, the ToR CNR v2 its transcript service owes the sending institution, the CNR receiver, and the
sending side recording a received ELMO in a grading scale of the receiving institution.

Every document served, errors included, is validated against the registry's official XSD.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from accord.algorithms.ewp.elmo import (
    ELMO_NAMESPACE,
    AcademicTerm,
    Elmo,
    ElmoError,
    GradingScheme,
    Issuer,
    Learner,
    LearningOpportunity,
    OpportunityStatus,
    Report,
    parse_elmo,
)
from accord.core.errors import Conflict
from accord.ewp.models import NotificationKind, OutgoingNotification, RemoteMobility, ServedInstitution
from accord.ewp.node import xml
from accord.ewp.pull.tors import notified_mobilities, partners_to_pull_tors, record_elmo
from accord.ewp.serve.params import LIMITS
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, call
from accord.mobilities import services
from accord.mobilities.choices import MobilitySource, MobilityStatus
from accord.mobilities.models import GradingScale, MobilityEvent
from accord.mobilities.tests.conftest import COMPONENTS, sign_all

GET, INDEX, CNR = "/ewp/imobilities/tors/get", "/ewp/imobilities/tors/index", "/ewp/imobilities/tors/cnr"
HOME, RECEIVER = "home.example.edu", "partner.example.edu"
METHODS = ["GET", "POST"]
TORS = f"{{{xml.IMOBILITY_TORS_GET}}}"
SCALE_CSV = "# scale: Spanish 0-10\ngrade;count\n10;5\n9;15\n8;30\n7;30\n6;15\n5;5\n"
ENTRIES = [
    {"code": "BD1", "title": "Bases de datos", "credits": "6", "grade": "9", "term": "1/2"},
    {"code": "RD2", "title": "Redes", "credits": "24", "grade": "3", "term": "1/2"},
]


def walk_to_completed(personas, *, sending, receiving, sender_actor, receiver_actor, year=2026):
    mobility = services.mobility_create(
        actor=sender_actor,
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=sending,
        receiving_organisation=receiving,
        academic_year=f"{year}/{year + 1}",
        planned_start=date(year, 9, 1),
        planned_end=date(year + 1, 1, 31),
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    services.mobility_transition(actor=receiver_actor, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    version = services.la_propose(actor=personas.student, mobility=mobility, components=COMPONENTS)
    sign_all(personas, mobility, version)
    # Arrival and departure are confirmed once they happened: after the stay.
    with time_machine.travel(date(year + 1, 2, 1)):
        services.mobility_record_dates(
            actor=receiver_actor,
            mobility=mobility,
            actual_start=date(year, 9, 1),
            actual_end=date(year + 1, 1, 31),
        )
    mobility.refresh_from_db()
    return mobility


@pytest.fixture
def scale(personas):
    return services.scale_save(
        actor=personas.partner,
        organisation=personas.partner_org,
        name="Spanish 0-10",
        passing_grades="10,9,8,7,6,5",
        failing_grades="4,3,2,1,0",
    )


# --- the receiving institution serves -------------------------------------------------------------------


@pytest.fixture
def receiving_node(personas, ewp_settings, write_catalogue, partner_key):
    """This node serves the receiving institution; the caller's key covers the sending one (home)."""
    ServedInstitution.objects.create(organisation=personas.partner_org)
    personas.student.first_name, personas.student.last_name = "Maria", "Nowak"
    personas.student.save()
    write_catalogue(CatalogueHost((HOME,), client_keys=(partner_key,)))
    return personas


@pytest.fixture
def recorded(receiving_node, scale):
    personas = receiving_node
    mobility = walk_to_completed(
        personas,
        sending=personas.home,
        receiving=personas.partner_org,
        sender_actor=personas.coordinator,
        receiver_actor=personas.partner,
    )
    services.transcript_record(
        actor=personas.partner, mobility=mobility, scale=scale, issued_on=date(2027, 2, 20), entries=ENTRIES
    )
    return mobility


def tors_in(root) -> list:
    return root.findall(f"{TORS}tor")


@pytest.mark.parametrize("method", METHODS)
def test_get_serves_the_transcript_as_elmo(client, partner_key, schemas, recorded, method):
    response = call(
        client, partner_key, method, GET, [("receiving_hei_id", RECEIVER), ("omobility_id", str(recorded.pk))]
    )
    assert response.status_code == 200, response.content
    root = schemas.validate("imobility-tors-get", response.content)
    (tor,) = tors_in(root)
    assert tor.findtext(f"{TORS}omobility-id") == str(recorded.pk)
    assert tor.findtext(f"{TORS}receiving-academic-year-id") == "2026/2027"
    assert tor.find(f"{TORS}gradeConversionTable") is None  # no distribution table: left out
    elmo = parse_elmo(tor.find(f"{{{ELMO_NAMESPACE}}}elmo"))
    assert elmo.learner == Learner("Maria", "Nowak")
    (report,) = elmo.reports
    assert report.issuer.hei_id == RECEIVER and report.issue_date.date() == date(2027, 2, 20)
    assert [(line.code, line.credits, line.grade, line.status) for line in report.opportunities] == [
        ("BD1", Decimal("6"), "9", OpportunityStatus.PASSED),
        ("RD2", Decimal("24"), "3", OpportunityStatus.FAILED),
    ]
    assert report.opportunities[0].academic_term.title == "Term 1/2 of 2026/2027"
    assert report.opportunities[0].distribution == ()
    assert report.grading_schemes[0].description.startswith("Spanish 0-10: passing grades, best first: 10")


def test_get_carries_the_egracons_table_when_the_receiver_has_one(
    client, partner_key, schemas, recorded, scale
):
    services.grade_table_import(
        actor=recorded.receiving_organisation.memberships.get().user,
        organisation=recorded.receiving_organisation,
        scale=scale,
        filename="es.csv",
        data=SCALE_CSV.encode(),
    )
    params = [("receiving_hei_id", RECEIVER), ("omobility_id", str(recorded.pk))]
    root = schemas.validate("imobility-tors-get", call(client, partner_key, "POST", GET, params).content)
    (tor,) = tors_in(root)
    table = tor.find(f"{TORS}gradeConversionTable/{TORS}iscedTable")
    assert table.get("iscedCode") == "0613"  # the table covers every field: the mobility's is named
    frequencies = [(f.get("label"), f.get("percentage")) for f in table.findall(f"{TORS}gradeFrequency")]
    assert frequencies == [
        ("10", "5.00"),
        ("9", "15.00"),
        ("8", "30.00"),
        ("7", "30.00"),
        ("6", "15.00"),
        ("5", "5.00"),
    ]
    elmo = parse_elmo(tor.find(f"{{{ELMO_NAMESPACE}}}elmo"))
    assert elmo.reports[0].opportunities[0].distribution[:2] == (("10", 5), ("9", 15))


def test_get_ignores_unknown_ids_and_mobilities_the_caller_did_not_send(
    client, partner_key, schemas, recorded, personas
):
    params = [("receiving_hei_id", RECEIVER), ("omobility_id", "999999"), ("omobility_id", "x-1")]
    root = schemas.validate("imobility-tors-get", call(client, partner_key, "GET", GET, params).content)
    assert tors_in(root) == []
    # The same mobility, sent by an institution the caller does not cover, is not served to it.
    type(recorded).objects.filter(pk=recorded.pk).update(sending_organisation=personas.outsider_org)
    params = [("receiving_hei_id", RECEIVER), ("omobility_id", str(recorded.pk))]
    root = schemas.validate("imobility-tors-get", call(client, partner_key, "GET", GET, params).content)
    assert tors_in(root) == []


def test_a_copy_is_served_under_the_sending_nodes_id(client, partner_key, schemas, recorded):
    RemoteMobility.objects.create(
        mobility=recorded, sending_hei_id=HOME, omobility_id="OM-17", fetched_at=timezone.now()
    )
    type(recorded).objects.filter(pk=recorded.pk).update(source=MobilitySource.EWP)
    ours = [("receiving_hei_id", RECEIVER), ("omobility_id", str(recorded.pk))]
    assert (
        tors_in(schemas.validate("imobility-tors-get", call(client, partner_key, "GET", GET, ours).content))
        == []
    )
    theirs = [("receiving_hei_id", RECEIVER), ("omobility_id", "OM-17")]
    (tor,) = tors_in(
        schemas.validate("imobility-tors-get", call(client, partner_key, "GET", GET, theirs).content)
    )
    assert tor.findtext(f"{TORS}omobility-id") == "OM-17"
    index = call(client, partner_key, "GET", INDEX, [("receiving_hei_id", RECEIVER)])
    root = schemas.validate("imobility-tors-index", index.content)
    assert [e.text for e in root] == ["OM-17"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([("omobility_id", "1")], "receiving_hei_id is required"),
        ([("receiving_hei_id", "elsewhere.example.edu"), ("omobility_id", "1")], "does not cover"),
        ([("receiving_hei_id", RECEIVER), ("receiving_hei_id", RECEIVER), ("omobility_id", "1")], "once"),
        ([("receiving_hei_id", RECEIVER)], "omobility_id is required"),
        (
            [("receiving_hei_id", RECEIVER)]
            + [("omobility_id", str(n)) for n in range(LIMITS.tor_omobility_ids + 1)],
            f"at most {LIMITS.tor_omobility_ids}",
        ),
    ],
)
def test_get_refuses_bad_parameters(client, partner_key, schemas, receiving_node, params, message):
    response = call(client, partner_key, "POST", GET, params)
    assert response.status_code == 400
    assert message in schemas.validate("error", response.content).findtext(
        f"{{{xml.COMMON}}}developer-message"
    )


def test_get_accepts_exactly_max_omobility_ids(client, partner_key, schemas, recorded):
    params = [("receiving_hei_id", RECEIVER)] + [
        ("omobility_id", str(n)) for n in range(LIMITS.tor_omobility_ids)
    ]
    response = call(client, partner_key, "POST", GET, params)
    assert response.status_code == 200
    schemas.validate("imobility-tors-get", response.content)


def test_get_and_index_need_a_signature(client, schemas, receiving_node):
    for path in (GET, INDEX):
        response = call(client, None, "GET", path, [("receiving_hei_id", RECEIVER), ("omobility_id", "1")])
        assert response.status_code == 401
        schemas.validate("error", response.content)


@pytest.mark.parametrize("method", METHODS)
def test_index_lists_the_transcripts_the_caller_may_read(client, partner_key, schemas, recorded, method):
    def index(*extra):
        response = call(client, partner_key, method, INDEX, [("receiving_hei_id", RECEIVER), *extra])
        assert response.status_code == 200, response.content
        return [element.text for element in schemas.validate("imobility-tors-index", response.content)]

    assert index() == [str(recorded.pk)]
    assert index(("sending_hei_id", HOME)) == [str(recorded.pk)]
    assert index(("sending_hei_id", HOME), ("sending_hei_id", "unknown.example.edu")) == [str(recorded.pk)]
    assert index(("sending_hei_id", "unknown.example.edu")) == []  # allowed, not ignored
    assert index(("modified_since", (timezone.now() - timedelta(hours=1)).isoformat())) == [str(recorded.pk)]
    assert index(("modified_since", (timezone.now() + timedelta(hours=1)).isoformat())) == []
    response = call(client, partner_key, method, INDEX, [("receiving_hei_id", "unknown.example.edu")])
    assert schemas.validate("imobility-tors-index", response.content).findall("*") == []


def test_index_refuses_a_malformed_date_and_a_missing_receiver(client, partner_key, schemas, receiving_node):
    for params in ([("receiving_hei_id", RECEIVER), ("modified_since", "yesterday")], []):
        response = call(client, partner_key, "GET", INDEX, params)
        assert response.status_code == 400
        schemas.validate("error", response.content)


def test_index_sees_a_transcript_recorded_again(client, partner_key, schemas, recorded, scale):
    since = timezone.now()
    MobilityEvent.objects.filter(mobility=recorded).update(at=since - timedelta(days=1))
    type(recorded.transcript).objects.filter(pk=recorded.transcript.pk).update(
        recorded_at=since - timedelta(days=1)
    )
    params = [("receiving_hei_id", RECEIVER), ("modified_since", since.isoformat())]
    assert (
        schemas.validate(
            "imobility-tors-index", call(client, partner_key, "GET", INDEX, params).content
        ).findall("*")
        == []
    )
    services.transcript_record(
        actor=recorded.receiving_organisation.memberships.get().user,
        mobility=recorded,
        scale=scale,
        issued_on=date(2027, 2, 21),
        entries=ENTRIES[:1],
    )
    root = schemas.validate("imobility-tors-index", call(client, partner_key, "GET", INDEX, params).content)
    assert [e.text for e in root] == [str(recorded.pk)]


def test_the_manifest_announces_both_apis(client, schemas, receiving_node):
    response = client.get(f"/ewp/manifest/{RECEIVER}.xml")
    root = schemas.validate("manifest", response.content)
    tors = root.find(f".//{{{xml.IMOBILITY_TORS_ENTRY}}}imobility-tors")
    assert tors.get("version") == "3.0.0"
    assert tors.findtext(f"{{{xml.IMOBILITY_TORS_ENTRY}}}get-url").endswith(GET)
    assert tors.findtext(f"{{{xml.IMOBILITY_TORS_ENTRY}}}max-omobility-ids") == str(LIMITS.tor_omobility_ids)
    cnr = root.find(f".//{{{xml.IMOBILITY_TOR_CNR_ENTRY}}}imobility-tor-cnr")
    assert cnr.get("version") == "2.0.0" and cnr.findtext(f"{{{xml.IMOBILITY_TOR_CNR_ENTRY}}}url").endswith(
        CNR
    )


# --- the transcript service owes the sending institution a ToR CNR -------------------------------------


def test_recording_a_transcript_owes_the_sender_a_tor_cnr(recorded):
    (notification,) = OutgoingNotification.objects.filter(kind=NotificationKind.TOR)
    assert (notification.sender_hei_id, notification.partner_hei_id) == (RECEIVER, HOME)
    assert notification.iia_id == str(recorded.pk)


def test_a_copy_notifies_the_sending_node_under_its_id(recorded, scale):
    OutgoingNotification.objects.all().delete()
    RemoteMobility.objects.create(
        mobility=recorded, sending_hei_id=HOME, omobility_id="OM-17", fetched_at=timezone.now()
    )
    type(recorded).objects.filter(pk=recorded.pk).update(source=MobilitySource.EWP)
    recorded.refresh_from_db()
    services.transcript_record(
        actor=recorded.receiving_organisation.memberships.get().user,
        mobility=recorded,
        scale=scale,
        issued_on=date(2027, 2, 21),
        entries=ENTRIES,
    )
    (notification,) = OutgoingNotification.objects.filter(kind=NotificationKind.TOR)
    assert (notification.partner_hei_id, notification.iia_id) == (HOME, "OM-17")


def test_no_cnr_when_the_receiving_institution_is_not_served(
    personas, ewp_settings, write_catalogue, partner_key, scale
):
    write_catalogue(CatalogueHost((HOME,), client_keys=(partner_key,)))
    mobility = walk_to_completed(
        personas,
        sending=personas.home,
        receiving=personas.partner_org,
        sender_actor=personas.coordinator,
        receiver_actor=personas.partner,
    )
    services.transcript_record(
        actor=personas.partner, mobility=mobility, scale=scale, issued_on=date(2027, 2, 20), entries=ENTRIES
    )
    assert not OutgoingNotification.objects.filter(kind=NotificationKind.TOR).exists()


def test_a_refused_transcript_owes_nothing(recorded, scale):
    OutgoingNotification.objects.all().delete()
    with pytest.raises(Exception):  # noqa: B017 - any refusal; what matters is that nothing is owed
        services.transcript_record(
            actor=recorded.receiving_organisation.memberships.get().user,
            mobility=recorded,
            scale=scale,
            issued_on=date(2027, 2, 21),
            entries=[{"title": "Redes", "credits": "5", "grade": "not a grade"}],
        )
    assert not OutgoingNotification.objects.exists()


# --- the sending institution receives -------------------------------------------------------------------


@pytest.fixture
def sending_node(personas, ewp_settings, write_catalogue, partner_key):
    """This node serves the sending institution (home); the caller's key covers the receiving one."""
    ServedInstitution.objects.create(organisation=personas.home)
    write_catalogue(CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)))
    return personas


@pytest.mark.parametrize("method", METHODS)
def test_the_cnr_receiver_answers_at_once(client, partner_key, schemas, sending_node, method):
    response = call(client, partner_key, method, CNR, [("omobility_id", "1"), ("omobility_id", "2")])
    assert response.status_code == 200
    schemas.validate("imobility-tor-cnr", response.content)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ([], 400),
        ([("omobility_id", str(n)) for n in range(LIMITS.tor_cnr_omobility_ids + 1)], 400),
        ([("receiving_hei_id", "elsewhere.example.edu"), ("omobility_id", "1")], 403),
    ],
)
def test_the_cnr_receiver_refuses(client, partner_key, schemas, sending_node, params, status):
    response = call(client, partner_key, "POST", CNR, params)
    assert response.status_code == status
    schemas.validate("error", response.content)


@pytest.fixture
def ours(sending_node):
    personas = sending_node
    return walk_to_completed(
        personas,
        sending=personas.home,
        receiving=personas.partner_org,
        sender_actor=personas.coordinator,
        receiver_actor=personas.partner,
    )


def test_only_our_mobilities_with_the_notifiers_institution_are_fetched(ours, personas):
    assert notified_mobilities([PARTNER_HEI], [str(ours.pk), "999999", "x"]) == [ours]
    assert notified_mobilities(["outsider.example.edu"], [str(ours.pk)]) == []


def line(title, grade, credits="6", status=OpportunityStatus.PASSED, code="", distribution=()):
    term = AcademicTerm("Term 1/2 of 2026/2027", date(2026, 9, 1), date(2027, 1, 31))
    return LearningOpportunity(
        title=title,
        code=code,
        credits=Decimal(credits),
        grade=grade,
        status=status,
        grading_scheme="s",
        distribution=distribution,
        academic_term=term,
    )


def elmo(*lines, description="Spanish 0-10: passing grades, best first: 10, 9, 8", issued=date(2027, 2, 20)):
    return Elmo(
        generated=datetime(2027, 2, 20, tzinfo=UTC),
        learner=Learner("Maria", "Nowak"),
        reports=(
            Report(
                issuer=Issuer(hei_id=PARTNER_HEI, name="Partner University"),
                issue_date=datetime.combine(issued, datetime.min.time(), tzinfo=UTC),
                opportunities=lines,
                grading_schemes=(GradingScheme("s", description),),
            ),
        ),
    )


DISTRIBUTION = (("10", 5), ("9", 15), ("8", 30))


def test_a_received_transcript_creates_a_scale_for_the_partner_once(ours, personas):
    received = elmo(
        line("Redes", "8", distribution=DISTRIBUTION, code="RD2"),
        line("Bases de datos", "10", credits="4.5", distribution=DISTRIBUTION),
        line("Algebra", "2", status=OpportunityStatus.FAILED),
        line("Seminar", "", credits="0"),
        line("Thesis", "9", status=OpportunityStatus.IN_PROGRESS),
    )
    assert record_elmo(ours, received) is True
    transcript = ours.transcript
    scale = transcript.scale
    assert scale.organisation == personas.partner_org and scale.name == "EWP: Spanish 0-10"
    assert scale.passing_grades == ["10", "8", "passed"]  # the distribution's order, then as met
    assert scale.failing_grades == ["2"]
    rows = [
        (e.code, e.title, e.credits, e.grade, e.term, e.passed) for e in transcript.entries.order_by("pk")
    ]
    assert rows == [
        ("RD2", "Redes", Decimal("6"), "8", "1/2", True),
        ("", "Bases de datos", Decimal("4.5"), "10", "1/2", True),
        ("", "Algebra", Decimal("6"), "2", "1/2", False),
        ("", "Seminar", Decimal("0"), "passed", "1/2", True),
    ]
    assert transcript.recorded_by.username == f"ewp:{PARTNER_HEI}"
    events = MobilityEvent.objects.filter(mobility=ours).count()
    # The same ToR again changes nothing (a CNR may be repeated, a pull may fetch it again).
    ours.refresh_from_db()
    assert record_elmo(ours, received) is False
    assert MobilityEvent.objects.filter(mobility=ours).count() == events
    # A new grade extends the partner's EWP scale; the passing order already known is kept.
    ours.refresh_from_db()
    assert record_elmo(ours, elmo(line("Redes", "9", distribution=DISTRIBUTION))) is True
    scale.refresh_from_db()
    assert scale.passing_grades == ["10", "8", "passed", "9"]
    assert GradingScale.objects.filter(organisation=personas.partner_org).count() == 1


def test_a_fitting_scale_of_the_partner_is_used(ours, personas, scale):
    assert record_elmo(ours, elmo(line("Redes", "9"), line("Algebra", "3", status=OpportunityStatus.FAILED)))
    ours.refresh_from_db()
    assert ours.transcript.scale == scale
    assert GradingScale.objects.filter(organisation=personas.partner_org).count() == 1


def test_a_grade_the_scale_calls_failing_does_not_fit_it(ours, personas, scale):
    record_elmo(ours, elmo(line("Redes", "3"), description=""))  # "3" passed here: not Spanish 0-10
    ours.refresh_from_db()
    assert ours.transcript.scale.name == "EWP grades"


def test_what_cannot_be_recorded_is_refused_and_leaves_nothing(ours, personas):
    with pytest.raises(ElmoError, match="no finished"):
        record_elmo(ours, elmo(line("Thesis", "9", status=OpportunityStatus.IN_PROGRESS)))
    with pytest.raises(ElmoError, match="longer than Accord records"):
        record_elmo(ours, elmo(line("Redes", "9" * 40)))
    other = Elmo(
        generated=datetime(2027, 2, 20, tzinfo=UTC),
        learner=Learner("Maria", "Nowak"),
        reports=(
            Report(Issuer("a.example.edu", "A"), datetime(2027, 2, 20, tzinfo=UTC), (line("Redes", "9"),)),
            Report(Issuer("b.example.edu", "B"), datetime(2027, 2, 20, tzinfo=UTC), (line("Redes", "9"),)),
        ),
    )
    with pytest.raises(ElmoError, match="reports issued by"):
        record_elmo(ours, other)
    assert not GradingScale.objects.filter(organisation=personas.partner_org).exists()


def test_a_mobility_not_yet_started_refuses_a_transcript_and_keeps_no_scale(sending_node, personas):
    mobility = services.mobility_create(
        actor=personas.coordinator,
        participant=personas.student,
        mobility_type="long_term_physical",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    with pytest.raises(Conflict):
        record_elmo(mobility, elmo(line("Redes", "9")))
    assert not GradingScale.objects.filter(organisation=personas.partner_org).exists()


def test_get_reads_the_same_number_of_queries_for_one_transcript_or_several(
    client, partner_key, recorded, personas, scale
):
    def queries(ids: list[str]) -> int:
        params = [("receiving_hei_id", RECEIVER), *(("omobility_id", value) for value in ids)]
        with CaptureQueriesContext(connection) as captured:
            response = call(client, partner_key, "POST", GET, params)
        assert len(tors_in(etree.fromstring(response.content))) == len(ids)
        return len(captured)

    one = queries([str(recorded.pk)])
    others = []
    for year in (2027, 2028):
        mobility = walk_to_completed(
            personas,
            sending=personas.home,
            receiving=personas.partner_org,
            sender_actor=personas.coordinator,
            receiver_actor=personas.partner,
            year=year,
        )
        services.transcript_record(
            actor=personas.partner,
            mobility=mobility,
            scale=scale,
            issued_on=date(year + 1, 2, 20),
            entries=ENTRIES,
        )
        others.append(str(mobility.pk))
    assert queries([str(recorded.pk), *others]) == one


def test_the_pull_asks_the_receivers_of_mobilities_awaiting_a_transcript(ours, personas):
    assert partners_to_pull_tors() == [PARTNER_HEI]
    type(ours).objects.filter(pk=ours.pk).update(status=MobilityStatus.RECOGNISED)
    assert partners_to_pull_tors() == []
