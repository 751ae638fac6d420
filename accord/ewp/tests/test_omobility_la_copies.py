"""The receiving side of Outgoing Mobility Learning Agreements over real HTTP, on one node that plays
both parts: it serves the sending institution (home) and keeps a copy of home's mobility for the
receiving one (partner), as a second node would. The catalogue lists one host covering both HEIs with
the node's own key, so every call (get, index, update, the CNR) is signed and checked as between two
nodes. Both institutions being served, no CNR goes out by itself: each test refreshes the copy when
it wants to, which makes the stale and refused cases reproducible. ``test_peer_learning_agreement``
runs the same exchange between two processes, notifications included.

Every document exchanged is validated against its official XSD (skipped without the shared folder).
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from accord.agreements import services as agreements
from accord.algorithms.ewp.http_signature import generate_private_key, private_key_to_pem
from accord.algorithms.tests.ewp.shared import load_schema, require_ewp_shared
from accord.core.errors import Conflict, DomainError
from accord.ewp.models import RemoteMobility, ServedInstitution
from accord.ewp.node import xml
from accord.ewp.pull import omobility_las
from accord.ewp.pull.omobility_las import UpdateSignature, update_request
from accord.ewp.serve.omobility_las import proposal_id
from accord.ewp.tests.conftest import PARTNER_HEI, CatalogueHost, call, catalogue_document
from accord.mobilities import services
from accord.mobilities.choices import MobilitySource, MobilityStatus, SignerRole, VersionStatus
from accord.mobilities.models import Mobility, Signature
from accord.testing.factories import (
    agreement_document,
    make_agreement,
    make_contact,
    make_partnership,
    make_user,
)

pytestmark = pytest.mark.usefixtures("transactional_db")
HOME = "home.example.edu"
COMPONENTS = [
    {
        "ref": "a",
        "section": "studied",
        "title": "Bases de datos",
        "code": "BD1",
        "credits": "6",
        "term": "1/2",
    },
    {"ref": "b", "section": "studied", "title": "Redes", "code": "RD2", "credits": "24", "term": "1/2"},
    {"ref": "r", "section": "recognised", "title": "Databases and networks", "credits": "30", "term": "1/2"},
]
OMLA = "ewp-specs-api-omobility-las/endpoints/"


@pytest.fixture(scope="module")
def update_schema():
    return load_schema(require_ewp_shared(), OMLA + "update-request.xsd")


@pytest.fixture
def node(personas, live_server, settings, tmp_path):
    """One node serving home and partner, listed with its own key at the live server's address."""
    key = generate_private_key()
    (tmp_path / "key.pem").write_bytes(private_key_to_pem(key))
    catalogue = tmp_path / "catalogue.xml"
    catalogue.write_bytes(
        catalogue_document(
            CatalogueHost(
                (HOME, PARTNER_HEI), client_keys=(key,), server_keys=(key,), base_url=live_server.url
            )
        )
    )
    settings.ACCORD_EWP_PRIVATE_KEY = tmp_path / "key.pem"
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(catalogue)
    settings.ACCORD_EWP_BASE_URL = live_server.url
    for organisation in (personas.home, personas.partner_org):
        ServedInstitution.objects.create(organisation=organisation)
    for user, (given, family) in (
        (personas.student, ("Maria", "Nowak")),
        (personas.coordinator, ("Jan", "Kowalski")),
        (personas.partner, ("Ana", "Ruiz")),
    ):
        user.first_name, user.last_name = given, family
        user.save()
    make_contact(
        personas.partner_org, given_name="Ines", family_name="Garcia", email="ines@partner.example.edu"
    )
    personas.key = key
    return personas


def original(node, *, accepted: bool = True) -> Mobility:
    """Home's mobility to partner: the master record."""
    partnership = make_partnership(node.home, node.partner_org)
    agreement = make_agreement(node.coordinator, partnership, agreement_document(node.home, node.partner_org))
    version = agreement.current_version
    agreements.agreement_share(actor=node.coordinator, agreement=agreement, version_number=version.number)
    agreements.agreement_approve(
        actor=node.partner, agreement=agreement, version_number=1, conditions_hash=version.conditions_hash
    )
    mobility = services.mobility_create(
        actor=node.coordinator,
        participant=node.student,
        mobility_type="long_term_physical",
        sending_organisation=node.home,
        receiving_organisation=node.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        agreement=agreement,
        condition_key="c1",
        eqf_level=6,
        isced_code="0613",
        language="es",
        cefr_level="B2",
    )
    if accepted:
        services.mobility_transition(actor=node.partner, mobility=mobility, to_status=MobilityStatus.ACCEPTED)
    return mobility


def copy_of(node, master: Mobility) -> Mobility:
    """Partner's copy of ``master``, as fetching home's Outgoing Mobilities leaves it: accepted."""
    copy = Mobility.objects.create(
        participant=make_user("incoming", first_name="Maria", last_name="Nowak"),
        mobility_type="long_term_physical",
        sending_organisation=node.home,
        receiving_organisation=node.partner_org,
        academic_year="2026/2027",
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 1, 31),
        status=MobilityStatus.ACCEPTED,
        source=MobilitySource.EWP,
    )
    RemoteMobility.objects.create(
        mobility=copy, sending_hei_id=HOME, omobility_id=str(master.pk), fetched_at=timezone.now()
    )
    return copy


def propose(node, mobility, components=COMPONENTS, **extra):
    version = services.la_propose(actor=node.student, mobility=mobility, components=components, **extra)
    for actor in (node.student, node.coordinator):
        services.la_sign(
            actor=actor,
            mobility=mobility,
            version_number=version.number,
            components_hash=version.components_hash,
        )
    return version


def refresh(master: Mobility):
    return omobility_las.refresh(HOME, [str(master.pk)])


def current(mobility: Mobility):
    mobility.learning_agreement.refresh_from_db()
    return mobility.learning_agreement.current_version


def test_the_receiving_coordinator_approves_through_the_sending_node(node):
    master = original(node)
    copy = copy_of(node, master)
    version = propose(node, master)

    report = refresh(master)

    assert report.stored == [str(master.pk)] and report.skipped == []
    held = current(copy)
    assert proposal_id(held) == proposal_id(version)  # the copy names the proposal as home serves it
    assert RemoteMobility.objects.get(mobility=copy).la_fetched_at is not None

    signature = services.la_sign(
        actor=node.partner,
        mobility=copy,
        version_number=held.number,
        components_hash=held.components_hash,
        position="Erasmus coordinator",
    )

    # Home recorded the approval first, with the signer the update named …
    master.refresh_from_db()
    assert master.status == MobilityStatus.LA_APPROVED
    at_home = master.learning_agreement.approved_version.signatures.get(role=SignerRole.RECEIVING)
    assert at_home.signer.username == f"ewp:{PARTNER_HEI}"
    assert (at_home.signer_name, at_home.signer_email) == ("Ana Ruiz", node.partner.email)
    assert "Erasmus coordinator" in at_home.signer_position
    # … then the copy, which moves as a local mobility would; fetching again changes nothing.
    copy.refresh_from_db()
    assert signature.signer == node.partner
    assert copy.status == MobilityStatus.LA_APPROVED
    assert current(copy).status == VersionStatus.APPROVED
    again = refresh(master)
    assert again.stored == [str(master.pk)]
    assert Signature.objects.filter(version__learning_agreement__mobility=copy).count() == 3


def test_a_comment_goes_to_the_sending_node_and_the_answer_comes_back_as_a_new_proposal(node):
    master = original(node)
    copy = copy_of(node, master)
    propose(node, master)
    refresh(master)
    held = current(copy)

    comment = services.la_comment(
        actor=node.partner, mobility=copy, version_number=held.number, text="Redes is not offered."
    )

    at_home = master.learning_agreement.versions.get(number=1)
    assert at_home.status == VersionStatus.COMMENTED
    assert "Redes is not offered." in at_home.comments.get().text
    assert "Ana Ruiz" in at_home.comments.get().text
    assert current(copy).status == VersionStatus.COMMENTED and comment.author == node.partner

    answer = [COMPONENTS[0], {**COMPONENTS[1], "title": "Compiladores"}, COMPONENTS[2]]
    version = propose(node, master, answer, base_version=1)
    refresh(master)
    assert proposal_id(current(copy)) == proposal_id(version)
    assert copy.learning_agreement.versions.get(number=1).status == VersionStatus.COMMENTED


def test_an_answer_to_a_proposal_home_no_longer_serves_is_refused_and_nothing_is_recorded(node):
    master = original(node)
    copy = copy_of(node, master)
    propose(node, master)
    refresh(master)
    held = current(copy)
    propose(
        node, master, [*COMPONENTS, {"ref": "v", "section": "virtual", "title": "Seminar"}], base_version=1
    )

    with pytest.raises(Conflict) as refused:
        services.la_sign(
            actor=node.partner,
            mobility=copy,
            version_number=held.number,
            components_hash=held.components_hash,
        )

    assert refused.value.code == "stale_version"
    assert not Signature.objects.filter(role=SignerRole.RECEIVING).exists()


def test_the_sending_nodes_refusal_and_an_unreachable_node_record_nothing(node, settings, tmp_path):
    master = original(node, accepted=False)  # home has not accepted the student: it refuses to sign
    copy = copy_of(node, master)
    propose(node, master)
    refresh(master)
    held = current(copy)

    with pytest.raises(Conflict, match="Accept the participant") as refused:
        services.la_sign(
            actor=node.partner,
            mobility=copy,
            version_number=held.number,
            components_hash=held.components_hash,
        )
    assert refused.value.code == "remote_conflict"

    dead = tmp_path / "dead.xml"
    dead.write_bytes(
        catalogue_document(
            CatalogueHost(
                (HOME, PARTNER_HEI),
                client_keys=(node.key,),
                server_keys=(node.key,),
                base_url="http://127.0.0.1:9",
            )
        )
    )
    settings.ACCORD_EWP_REGISTRY_CATALOGUE = str(dead)
    with pytest.raises(DomainError) as unreachable:
        services.la_comment(actor=node.partner, mobility=copy, version_number=held.number, text="Hello?")
    assert unreachable.value.code == "partner_unavailable"
    assert not Signature.objects.filter(role=SignerRole.RECEIVING).exists()
    assert current(copy).status == VersionStatus.PROPOSED and not current(copy).comments.exists()


def test_a_cnr_makes_the_node_fetch_and_the_pull_catches_up_with_what_changed(node, client):
    master = original(node)
    copy = copy_of(node, master)
    propose(node, master)

    response = call(
        client,
        node.key,
        "POST",
        "/ewp/omobilities/las/cnr",
        [("sending_hei_id", HOME), ("omobility_id", str(master.pk))],
    )

    assert response.status_code == 200
    assert current(copy).number == 1
    fetched = RemoteMobility.objects.get(mobility=copy).la_fetched_at

    # Home changes the agreement with no notification: the pull asks the index for what changed since.
    services.la_comment(actor=node.partner, mobility=master, version_number=1, text="Redes is full.")
    version = propose(node, master, [COMPONENTS[0], COMPONENTS[2]], base_version=1)
    results = omobility_las.pull_all()

    assert list(results) == [HOME] and results[HOME].stored == [str(master.pk)]
    assert proposal_id(current(copy)) == proposal_id(version)
    assert RemoteMobility.objects.get(mobility=copy).la_fetched_at > fetched

    # Where celery beat does not run, the command pulls the same (from cron).
    services.la_comment(actor=node.partner, mobility=master, version_number=2, text="Not this one either.")
    version = propose(node, master, [COMPONENTS[0]], base_version=2)
    out = StringIO()
    call_command("ewp_pull", "--mobilities", stdout=out)

    assert f"{HOME}: learning agreements: 1 stored, 0 skipped" in out.getvalue()
    assert proposal_id(current(copy)) == proposal_id(version)


def test_update_requests_are_valid_documents(update_schema):
    signature = UpdateSignature("Ana Ruiz", "Erasmus coordinator", "ana@partner.example.edu", timezone.now())
    for comment in (None, "Redes is not offered."):
        body = update_request(
            sending_hei_id=HOME,
            omobility_id="7",
            proposal_id="1-" + "ab" * 32,
            signature=signature,
            comment=comment,
        )
        update_schema.validate(body)
        action = etree.fromstring(body)[1]
        assert action.tag == f"{{{xml.OMOBILITY_LAS_UPDATE_REQUEST}}}" + (
            "approve-proposal-v1" if comment is None else "comment-proposal-v1"
        )


def test_a_learning_agreement_of_a_mobility_without_a_copy_fetches_the_mobility_first(node):
    master = original(node)
    services.participant_details_save(
        actor=node.coordinator,
        participant=node.student,
        birth_date=date(2004, 5, 17),
        nationality="PL",
        gender=2,
        global_id="urn:schac:personalUniqueCode:int:esi:home.example.edu:42",
    )
    version = propose(node, master)

    report = refresh(master)

    copy = RemoteMobility.objects.get(sending_hei_id=HOME, omobility_id=str(master.pk)).mobility
    assert report.stored == [str(master.pk)]
    assert (copy.source, copy.status) == (MobilitySource.EWP, MobilityStatus.ACCEPTED)
    assert proposal_id(current(copy)) == proposal_id(version)


def test_when_the_senders_notification_arrives_while_it_answers_its_report_is_the_record(node):
    # Partner is no longer served here, so home's acts notify it at once, as a second node would be:
    # the copy is refreshed while home answers the forwarded act, before the act returns.
    ServedInstitution.objects.filter(organisation=node.partner_org).delete()
    master = original(node)
    copy = copy_of(node, master)
    propose(node, master)
    held = current(copy)  # recorded through home's notification
    assert held.signatures.count() == 2

    comment = services.la_comment(actor=node.partner, mobility=copy, version_number=held.number, text="Full.")

    assert comment.version == current(copy) and current(copy).status == VersionStatus.COMMENTED
    answer = propose(node, master, [COMPONENTS[0], COMPONENTS[2]], base_version=1)
    held = current(copy)
    assert proposal_id(held) == proposal_id(answer)

    signature = services.la_sign(
        actor=node.partner, mobility=copy, version_number=held.number, components_hash=held.components_hash
    )

    assert signature.signer.username == f"ewp:{HOME}"  # the sender's report, recorded by the refresh
    assert signature.signer_name == "Ana Ruiz"
    copy.refresh_from_db()
    assert copy.status == MobilityStatus.LA_APPROVED
    assert (
        Signature.objects.filter(
            version__learning_agreement__mobility=copy, role=SignerRole.RECEIVING
        ).count()
        == 1
    )
