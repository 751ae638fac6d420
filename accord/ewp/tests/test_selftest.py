"""ewp_selftest against Accord itself on a live server: every check passes, and a broken endpoint is
reported as failing. The node is published at an https:// address (as its manifest must be to
validate) and reached over loopback HTTP through a forwarding transport adapter."""

import io
import json

import pytest
import requests
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from lxml import etree

from accord.accounts.choices import Role
from accord.algorithms.ewp import schemas as ewp_schemas
from accord.algorithms.tests.ewp.shared import require_ewp_shared
from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.core.models import Job
from accord.ewp.node import xml
from accord.ewp.node.keys import node_private_key
from accord.ewp.selftest import CHECKS, Node, Status, run_selftest
from accord.ewp.selftest.documents import OMOBILITY_LAS_UPDATE_REQUEST_XSD
from accord.ewp.selftest.learning_agreements import update_request
from accord.ewp.serve import discovery, institutions, omobility_las
from accord.ewp.serve.params import Limits
from accord.ewp.tasks import SELFTEST_JOB
from accord.ewp.tests.conftest import (
    BASE_URL,
    PARTNER_HEI,
    CatalogueHost,
    catalogue_document,
    served_institution,
)
from accord.organisations.models import Organisation
from accord.testing.factories import make_factsheet, make_user

pytestmark = pytest.mark.usefixtures("transactional_db")

HEI = "home.example.edu"
ALLOWED_HOSTS = ["accord.example.edu", "localhost", "127.0.0.1", "testserver"]


class Loopback(requests.adapters.HTTPAdapter):
    """Sends requests for ``public`` to ``local`` instead, keeping the Host header that was signed."""

    def __init__(self, public: str, local: str):
        super().__init__()
        self.public, self.local = public, local

    def send(self, request, **kwargs):
        request.url = self.local + request.url[len(self.public) :]
        return super().send(request, **kwargs)


@pytest.fixture
def node(ewp_settings, node_key_pem, served, write_catalogue, partner_key):
    """The live node, published at BASE_URL, trusting its own key (the self-test signs with it)."""
    ewp_settings.ACCORD_EWP_PRIVATE_KEY = node_key_pem
    ewp_settings.ALLOWED_HOSTS = ALLOWED_HOSTS
    key = node_private_key()
    write_catalogue(*catalogue_hosts(key, partner_key))
    return key


def catalogue_hosts(key, partner_key) -> tuple[CatalogueHost, ...]:
    return (
        CatalogueHost((HEI,), client_keys=(key,), server_keys=(key,)),
        CatalogueHost((PARTNER_HEI,), client_keys=(partner_key,)),
    )


@pytest.fixture(scope="module")
def selftest(live_server, django_db_blocker, tmp_path_factory, node_key_pem, partner_key):
    """Runs the whole self-test against the node set up as ``node`` does, with a factsheet recorded,
    and empties the database afterwards, as a transactional test does.

    A run takes seconds, so the module's tests share its runs: each test reads the report of one.
    """
    ewp_dir = require_ewp_shared()
    catalogue = tmp_path_factory.mktemp("selftest") / "catalogue.xml"

    def run():
        published = override_settings(
            ACCORD_EWP_BASE_URL=BASE_URL,
            ACCORD_EWP_PRIVATE_KEY=node_key_pem,
            ACCORD_EWP_REGISTRY_CATALOGUE=str(catalogue),
            ALLOWED_HOSTS=ALLOWED_HOSTS,
        )
        with published, django_db_blocker.unblock():
            key = node_private_key()
            catalogue.write_bytes(catalogue_document(*catalogue_hosts(key, partner_key)))
            make_factsheet(served_institution()[0])
            session = requests.Session()
            session.mount(BASE_URL, Loopback(BASE_URL, live_server.url))
            try:
                return run_selftest(BASE_URL, key=key, hei_id=HEI, schemas=ewp_dir, session=session)
            finally:
                call_command("flush", interactive=False, verbosity=0)

    return run


@pytest.fixture(scope="module")
def report(selftest):
    """The report of a run against Accord as it is."""
    return selftest()


def stats_with_a_stray_element(counts):
    root = etree.Element(
        xml.qname(xml.OMOBILITY_LAS_STATS, "las-outgoing-stats-response"),
        nsmap={None: xml.OMOBILITY_LAS_STATS},
    )
    xml.sub(root, xml.OMOBILITY_LAS_STATS, "stray", "x")
    return xml.to_bytes(root)


def echo_with_a_stray_element(*, hei_ids, echoes):
    root = etree.Element(xml.qname(xml.ECHO, "response"), nsmap={None: xml.ECHO})
    xml.sub(root, xml.ECHO, "stray", "x")
    return xml.to_bytes(root)


@pytest.fixture(scope="module")
def faulty_report(selftest):
    """The report of one run against a node with a fault in each of several endpoints, each on its
    own API: learning agreements get no longer enforces the max-omobility-ids its manifest entry
    announces and their stats serve a document its schema refuses; institutions no longer enforce
    max-hei-ids (the manifest still announces 10); echo answers with a stray element."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(omobility_las, "LIMITS", Limits(omobility_ids=1000))
        patch.setattr(omobility_las, "stats_response", stats_with_a_stray_element)
        patch.setattr(institutions, "LIMITS", Limits(hei_ids=1000))
        patch.setattr(discovery, "echo_response", echo_with_a_stray_element)
        return selftest()


def by_name(report) -> dict:
    return {result.name: result for result in report.results}


# Checks of the mobility, transcript and learning-agreement APIs, named so that a renamed or dropped
# check is noticed (the run below also requires every check to pass or be explained).
_REPRESENTATIVE_CHECKS = (
    "imobility-tors get: POST",
    "imobility-tors get: unknown omobility_id ignored",
    "imobility-tors get: max-omobility-ids + 1 omobility_id values → 400",
    "imobility-tors index: GET",
    "imobility-tors index: malformed modified_since → 400",
    "imobility-tor cnr: POST",
    "imobility-tor cnr: key not in the catalogue → 403",
    "imobility-tor stats: GET",
    "imobility-tor stats: POST",
    "imobility-tor stats: Digest not matching the body → 400",
    "omobilities get: POST",
    "omobilities get: unknown omobility_id ignored",
    "omobilities get: max-omobility-ids + 1 omobility_id values → 400",
    "omobilities index: malformed modified_since → 400",
    "imobilities get: GET",
    "imobilities get: missing receiving_hei_id → 400",
    "omobility cnr: POST",
    "imobility cnr: max-omobility-ids + 1 omobility_id values → 400",
    "imobility cnr: key not in the catalogue → 403",
    "omobility stats: GET",
    "omobility stats: stale Date → 400",
    "omobility-las get: GET",
    "omobility-las get: unknown omobility_id ignored",
    "omobility-las get: missing sending_hei_id → 400",
    "omobility-las get: max-omobility-ids + 1 omobility_id values → 400",
    "omobility-las index: POST",
    "omobility-las index: malformed modified_since → 400",
    "omobility-las index: malformed receiving_academic_year_id → 400",
    "omobility-las stats: GET",
    "omobility-las update: empty body → 400",
    "omobility-las update: non-XML body → 400",
    "omobility-las update: approval of an unknown omobility_id → 400/409",
    "omobility-las update: Digest not matching the body → 400",
    "omobility-la cnr: POST",
    "omobility-la cnr: missing sending_hei_id → 400",
    "omobility-la cnr: max-omobility-ids + 1 omobility_id values → 400",
    "omobility-la cnr: key not in the catalogue → 403",
    "omobility-la cnr stats: GET",
    "omobility-la cnr stats: unsigned request → 401",
)


def test_accord_passes_its_own_selftest(report) -> None:
    failures = [f"{r.name}: {r.message}" for r in report.results if r.status == Status.FAIL]
    assert failures == []
    results = by_name(report)
    assert results["schemas"].status == Status.PASS
    assert results["discovery: manifest"].status == Status.PASS
    assert results["echo: signed response on request"].status == Status.PASS
    assert results["iias get: max-iia-ids + 1 iia_id values → 400"].status == Status.PASS
    assert results["iia cnr: POST"].status == Status.PASS
    for name in _REPRESENTATIVE_CHECKS:
        assert results[name].status == Status.PASS, results[name].message
    # Skipped only where the node has nothing to show (no agreement is served to this key here):
    # nothing Accord's manifest declares is left "not checked" (an "api …" result).
    skipped = {r.name: r.message for r in report.results if r.status == Status.SKIP}
    assert skipped.pop("iias get: iia-hash recomputes").startswith("the index lists no agreement")
    assert skipped == {}
    # Every API the self-test knows is declared by Accord and passes its checks.
    assert {check.api for check in CHECKS} - {None} <= {
        check.api for check in CHECKS if results[check.name].status == Status.PASS
    }
    assert report.passed


def test_the_factsheet_checks_read_a_recorded_factsheet(report) -> None:
    results = by_name(report)

    for method in ("GET", "POST"):
        assert results[f"factsheet: {method}"].status == Status.PASS
        assert "(1 factsheet)" in results[f"factsheet: {method}"].message
    for name in (
        "factsheet: unknown hei_id ignored",
        "factsheet: missing hei_id → 400",
        "factsheet: max-hei-ids hei_id values accepted",
        "factsheet: max-hei-ids + 1 hei_id values → 400",
        "factsheet: unsigned request → 401",
    ):
        assert results[name].status == Status.PASS, results[name].message


def test_the_update_request_the_selftest_sends_is_valid() -> None:
    folder = ewp_schemas.schema_folder(require_ewp_shared())
    root = parse_untrusted_xml(update_request(Node(manifest_url="", key=None, hei_id=HEI)))

    assert ewp_schemas.validation_error(folder, OMOBILITY_LAS_UPDATE_REQUEST_XSD, root) is None


def test_faults_in_the_learning_agreement_endpoints_are_reported(faulty_report) -> None:
    results = by_name(faulty_report)
    limit = results["omobility-las get: max-omobility-ids + 1 omobility_id values → 400"]
    assert limit.status == Status.FAIL
    assert "answered HTTP 200, expected 400" in limit.message
    assert results["omobility-las stats: POST"].status == Status.FAIL
    assert "invalid against ewp-specs-api-omobility-las/endpoints/stats-response.xsd" in (
        results["omobility-las stats: POST"].message
    )
    assert results["omobility-las get: GET"].status == Status.PASS
    assert not faulty_report.passed


def test_an_endpoint_ignoring_its_limit_is_reported(faulty_report) -> None:
    result = by_name(faulty_report)["institutions: max-hei-ids + 1 hei_id values → 400"]
    assert result.status == Status.FAIL
    assert "answered HTTP 200, expected 400" in result.message
    assert not faulty_report.passed


def test_an_invalid_document_is_reported(faulty_report) -> None:
    results = by_name(faulty_report)

    assert results["echo: GET"].status == Status.FAIL
    assert "invalid against ewp-specs-api-echo/response.xsd" in results["echo: GET"].message
    assert results["institutions: GET"].status == Status.PASS


def test_the_command_reports_and_skips_xsd_validation_without_schemas(
    live_server, node, ewp_settings, node_key_pem
) -> None:
    # Published at the live server's own http:// address: structurally fine, though the manifest could
    # not validate (the schema wants https), which is why no schemas are given here.
    ewp_settings.ACCORD_EWP_BASE_URL = live_server.url
    ewp_settings.ACCORD_EWP_SCHEMAS = ""
    out = io.StringIO()

    call_command(
        "ewp_selftest", live_server.url, "--hei", HEI, "--key", str(node_key_pem), "--json", stdout=out
    )

    report = json.loads(out.getvalue())
    assert report["passed"] is True
    schemas = next(result for result in report["results"] if result["name"] == "schemas")
    assert schemas["status"] == "skip"
    assert "XSD validation skipped" in schemas["message"]
    assert report["counts"]["fail"] == 0


def test_without_an_address_the_command_tests_this_node_where_its_manifest_says(
    live_server, node, ewp_settings, node_key_pem
) -> None:
    # `PORT=8101 make run` sets this address; the node then tests itself there, whichever HEI it serves.
    ewp_settings.ACCORD_EWP_BASE_URL = live_server.url
    ewp_settings.ACCORD_EWP_SCHEMAS = ""
    out = io.StringIO()

    call_command("ewp_selftest", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["manifest_url"] == f"{live_server.url}/ewp/manifest/{HEI}.xml"
    assert report["passed"] is True and report["counts"]["pass"] > 100, report["counts"]


def test_without_an_address_the_command_asks_which_institution_when_it_cannot_tell(ewp_settings) -> None:
    with pytest.raises(CommandError, match="this node serves: no institution yet"):
        call_command("ewp_selftest")


def test_the_command_exits_1_when_a_check_fails(live_server, node, ewp_settings, node_key_pem) -> None:
    ewp_settings.ACCORD_EWP_BASE_URL = live_server.url
    out = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command(
            "ewp_selftest",
            f"{live_server.url}/ewp/manifest/{HEI}.xml",
            "--key",
            str(node_key_pem),
            "--schemas",
            str(require_ewp_shared()),
            stdout=out,
        )

    assert exited.value.code == 1
    assert "FAIL  discovery: manifest: " in out.getvalue()  # http:// URLs do not validate
    assert "skip  echo: GET: no usable manifest" in out.getvalue()


def test_an_admin_runs_the_self_test_from_the_ewp_page(client, live_server, node, ewp_settings) -> None:
    # The page starts a background job (run at once here: Celery is eager in tests) against the node's
    # own manifest address, and shows its results once finished.
    ewp_settings.ACCORD_EWP_BASE_URL = live_server.url
    ewp_settings.ACCORD_EWP_SCHEMAS = ""
    organisation = Organisation.objects.get(schac_code=HEI)
    admin = make_user("ewp-admin", organisation=organisation, role=Role.ADMIN)
    client.force_login(admin)

    response = client.post(reverse("ewp:page-selftest", args=[organisation.pk]))

    assert response.status_code == 302
    job = Job.objects.get(kind=SELFTEST_JOB)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["manifest_url"] == f"{live_server.url}/ewp/manifest/{HEI}.xml"
    assert job.result["counts"]["fail"] == 0 and job.result["counts"]["pass"] > 100, job.result["counts"]
    page = client.get(reverse("ewp:page", args=[organisation.pk])).content.decode()
    assert f"{job.result['counts']['pass']} passed, 0 failed" in page
