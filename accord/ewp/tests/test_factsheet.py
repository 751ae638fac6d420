"""The Mobility Factsheet API v1 endpoint through Django's test client; every document is checked against
the official response.xsd."""

import pytest

from accord.ewp.models import ServedInstitution
from accord.ewp.node import xml
from accord.ewp.serve.params import LIMITS
from accord.ewp.tests.conftest import call
from accord.ewp.tests.test_endpoints import METHODS, assert_error, texts
from accord.testing.factories import factsheet_data, make_factsheet, make_organisation

pytestmark = pytest.mark.usefixtures("db", "partner_catalogue")

PATH = "/ewp/factsheet"
NS = xml.FACTSHEET
HOME = "home.example.edu"


@pytest.fixture
def second(db):
    """A second served institution, with a factsheet without the optional lists."""
    organisation = make_organisation(schac_code="second.example.edu")
    ServedInstitution.objects.create(organisation=organisation)
    make_factsheet(organisation, additional_requirements=[], accessibility=[], additional_info=[])
    return organisation


@pytest.mark.parametrize("method", METHODS)
def test_the_factsheet_of_a_served_institution_validates(client, schemas, served, partner_key, method):
    make_factsheet(served[0])

    response = call(client, partner_key, method, PATH, [("hei_id", HOME)])

    assert response.status_code == 200, response.content
    root = schemas.validate("factsheet", response.content)
    data = factsheet_data()
    assert texts(root, NS, "factsheet/hei-id") == [HOME]
    assert texts(root, NS, "factsheet/calendar/student-nominations/autumn-term") == ["--05-15"]
    assert texts(root, NS, "factsheet/calendar/student-applications/spring-term") == ["--12-01"]
    assert texts(root, NS, "factsheet/decision-weeks-limit") == ["4"]
    assert texts(root, NS, "factsheet/tor-weeks-limit") == ["5"]
    assert texts(root, NS, "factsheet/housing-info/email") == [data["housing_email"]]
    phone = root.find(f"{{{NS}}}factsheet/{{{NS}}}visa-info/{{{xml.PHONE}}}phone-number/{{{xml.PHONE}}}e164")
    assert phone.text == data["visa_phone"]
    assert texts(root, NS, "factsheet/application-info/website-url") == [data["application_website"]]
    assert texts(root, NS, "factsheet/additional-requirement/name") == ["Motivation letter"]
    assert texts(root, NS, "factsheet/accessibility/type") == ["service"]
    assert texts(root, NS, "factsheet/accessibility/information/email") == [data["accessibility"][0]["email"]]
    assert texts(root, NS, "factsheet/additional-info/type") == ["Recognition process"]


def test_several_institutions_in_the_order_asked_without_the_optional_parts(
    client, schemas, served, second, partner_key
):
    make_factsheet(served[0])

    response = call(client, partner_key, "POST", PATH, [("hei_id", "second.example.edu"), ("hei_id", HOME)])

    root = schemas.validate("factsheet", response.content)
    assert texts(root, NS, "factsheet/hei-id") == ["second.example.edu", HOME]
    first = root.find(f"{{{NS}}}factsheet")
    assert first.find(f"{{{NS}}}additional-requirement") is None
    assert first.find(f"{{{NS}}}accessibility") is None


def test_unknown_unserved_and_factsheet_less_institutions_are_ignored(client, schemas, served, partner_key):
    # ``served`` has no factsheet; the outsider has one but this node does not speak for it.
    make_factsheet(make_organisation(schac_code="outsider.example.edu"))

    response = call(
        client,
        partner_key,
        "GET",
        PATH,
        [("hei_id", "unknown.example.edu"), ("hei_id", "outsider.example.edu"), ("hei_id", HOME)],
    )

    assert response.status_code == 200
    root = schemas.validate("factsheet", response.content)
    assert root.tag == xml.qname(NS, "factsheet-response")
    assert len(root) == 0


@pytest.mark.parametrize("method", METHODS)
def test_a_missing_hei_id_is_refused(client, schemas, served, partner_key, method):
    assert_error(call(client, partner_key, method, PATH), schemas, 400, "hei_id is required")


def test_max_hei_ids_are_accepted_and_one_more_refused(client, schemas, served, partner_key):
    make_factsheet(served[0])
    at_limit = [("hei_id", HOME)] + [
        ("hei_id", f"u{n}.example.edu") for n in range(LIMITS.factsheet_hei_ids - 1)
    ]

    accepted = call(client, partner_key, "POST", PATH, at_limit)
    refused = call(client, partner_key, "POST", PATH, [*at_limit, ("hei_id", "one-more.example.edu")])

    assert texts(schemas.validate("factsheet", accepted.content), NS, "factsheet/hei-id") == [HOME]
    assert_error(refused, schemas, 400, f"at most {LIMITS.factsheet_hei_ids} hei_id values")


def test_an_unsigned_request_is_refused(client, schemas, served):
    make_factsheet(served[0])

    assert_error(call(client, None, "GET", PATH, [("hei_id", HOME)]), schemas, 401, "HTTP Signature")


def test_the_query_count_does_not_grow_with_the_institutions_asked(
    client, schemas, served, second, partner_key, django_assert_num_queries
):
    make_factsheet(served[0])
    for number in range(5):
        organisation = make_organisation(schac_code=f"more{number}.example.edu")
        ServedInstitution.objects.create(organisation=organisation)
        make_factsheet(organisation)
    asked = [("hei_id", HOME), ("hei_id", "second.example.edu")] + [
        ("hei_id", f"more{number}.example.edu") for number in range(5)
    ]

    with django_assert_num_queries(1):
        response = call(client, partner_key, "POST", PATH, asked)

    assert len(texts(schemas.validate("factsheet", response.content), NS, "factsheet/hei-id")) == 7
