"""Messages are for people: no sentence a user reads names an internal path (``components[0].term``),
key (``planned_end``, ``__all__``) or dotted name. Checked two ways: the messages of a battery of bad
inputs to the API and pages of mobilities, agreements, exchanges and partnerships, and the message
strings written in every service module."""

import ast
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import accord
from accord.exchanges import services as exchange_services
from accord.exchanges.tests.conftest import application_fields, call_fields
from accord.mobilities import services
from accord.mobilities.models import AgreementVersion
from accord.mobilities.tests.conftest import COMPONENTS
from accord.testing.factories import agreement_document, make_partnership

pytestmark = pytest.mark.django_db

# A list index after a name, a dunder, a dotted snake_case path, or a bare snake_case key.
LEAK = re.compile(r"\w\[\d*\]|__\w|\b[a-z]+_[a-z0-9_]+\.[a-z_]+|\b[a-z]+(?:_[a-z0-9]+)+\b")
# Placeholders name the values a translator must keep, not what the reader sees.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
ERROR_TYPES = {
    "DomainError",
    "ValidationFailed",
    "Conflict",
    "PermissionDenied",
    "NotFound",
    "PreconditionFailed",
}


def leaks(messages: list[str]) -> list[str]:
    return [message for message in messages if LEAK.search(message)]


def sentences(body: dict) -> list[str]:
    """The sentences of an error body a person reads: its message and every field's messages."""
    found = [body["message"]]
    for messages in body.get("errors", {}).values():
        found += messages
    return found


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_pattern_catches_the_reported_leak():
    assert leaks(["components[0].term: 'Aut' is not a term: write n/t", "planned_end: too late"]) == [
        "components[0].term: 'Aut' is not a term: write n/t",
        "planned_end: too late",
    ]
    assert leaks(["Component 1 (Bases de datos): 'Aut' is not a term.", "Planned end: too late."]) == []


def test_bad_learning_agreements_answer_in_words(client, personas, mobility):
    client.force_login(personas.student)
    url = f"/api/v1/mobilities/{mobility.pk}/learning-agreement/versions"
    bad = [
        {**COMPONENTS[0], "term": "Aut", "credits": "-1"},
        {**COMPONENTS[1], "title": "", "credits": "x"},
        {**COMPONENTS[2], "section": "elsewhere", "term": ""},
    ]
    response = post(client, url, {"components": bad})
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body["errors"]) >= {"components[0].term", "components[0].credits", "components[1].title"}
    assert body["errors"]["components[0].term"] == [
        "Component 1 (Bases de datos): 'Aut' is not a term: write it as 1/2 for the first of two terms "
        "(2/2 the second, 1/1 the whole year), or pick one from the list."
    ]
    assert leaks(sentences(body)) == []
    assert not AgreementVersion.objects.exists()


def test_a_term_typed_in_words_is_understood_not_cut(client, personas, mobility):
    client.force_login(personas.student)
    url = f"/api/v1/mobilities/{mobility.pk}/learning-agreement/versions"
    words = [{**COMPONENTS[0], "term": "Autumn"}, {**COMPONENTS[1], "term": "spring semester"}, COMPONENTS[2]]
    response = post(client, url, {"components": words})
    assert response.status_code == 201, response.content
    assert [c["term"] for c in AgreementVersion.objects.get().components] == ["1/2", "2/2", "1/2"]


def test_the_propose_page_shows_each_error_on_its_row_and_field(client, personas, mobility):
    client.force_login(personas.student)
    data = {
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-0-section": "studied",
        "c-0-title": "Redes",
        "c-0-credits": "6",
        "c-0-term": "1/2",
        "c-1-section": "studied",
        "c-1-title": "Bases de datos",
        "c-1-credits": "6",
        "c-1-term": "Aut",
        "base_version": "0",
    }
    response = client.post(f"/mobilities/{mobility.pk}/propose/", data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset[0].errors == {}
    assert formset[1].errors["term"] == [
        "'Aut' is not a term: write it as 1/2 for the first of two terms (2/2 the second, 1/1 the whole "
        "year), or pick one from the list."
    ]
    assert response.context["form"].non_field_errors() == []
    assert 'list="terms"' in response.content.decode()


def test_mobility_refusals_answer_in_words(client, personas, mobility, approved):
    client.force_login(personas.coordinator)
    url = f"/api/v1/mobilities/{mobility.pk}"
    bodies = [
        client.patch(
            url,
            {"planned_end": "2035-01-01", "isced_code": "0418", "language": "xx", "cefr_level": "C9"},
            content_type="application/json",
        ).json(),
        client.patch(
            url, {"eqf_level": 5}, content_type="application/json", headers={"If-Match": "x"}
        ).json(),
        post(client, f"{url}/status", {"status": "cancelled", "reason": ""}).json(),
        post(client, f"{url}/status", {"status": "completed"}).json(),
    ]
    client.force_login(personas.partner)
    bodies.append(
        post(client, f"{url}/dates", {"actual_start": "2027-09-15", "actual_end": "2028-02-10"}).json()
    )
    bodies.append(
        post(client, f"{url}/dates", {"actual_start": "2026-09-15", "actual_end": "2026-09-01"}).json()
    )
    client.force_login(personas.coordinator)
    bodies.append(
        post(
            client,
            "/api/v1/mobilities/",
            {
                "participant_id": personas.partner.pk,
                "mobility_type": "long_term_physical",
                "sending_organisation_id": personas.home.pk,
                "receiving_organisation_id": personas.home.pk,
                "academic_year": "26/27",
                "planned_start": "2026-09-01",
                "planned_end": "2026-08-01",
                "isced_code": "x",
            },
        ).json()
    )
    messages = [sentence for body in bodies for sentence in sentences(body)]
    assert len(messages) >= 12
    assert leaks(messages) == []


def test_agreement_partnership_and_exchange_refusals_answer_in_words(client, personas, agreement):
    client.force_login(personas.coordinator)
    bodies = [
        post(
            client,
            "/api/v1/partnerships/",
            {"title": "Solo", "model": "other", "members": [{"organisation_id": 999999, "role": "partner"}]},
        ).json()
    ]
    partnership = make_partnership(personas.home, personas.partner_org)
    document = agreement_document(personas.home, personas.partner_org, eqf_levels=[0], mobilities_per_year=0)
    bodies.append(
        post(
            client,
            "/api/v1/agreements/",
            {"partnership_id": partnership.pk, "title": "", "content": document},
        ).json()
    )
    call = exchange_services.call_create(actor=personas.coordinator, owner=personas.home, **call_fields())
    exchange_services.places_generate(actor=personas.coordinator, call=call)
    call = exchange_services.call_open(actor=personas.coordinator, call=call)
    client.force_login(personas.student)
    places = [place.pk for place in call.places.all()]
    bodies.append(
        post(
            client,
            f"/api/v1/exchanges/calls/{call.pk}/applications",
            {**application_fields(grade_average="x", isced_code="9"), "choices": places * 3},
        ).json()
    )
    bodies.append(
        post(client, f"/api/v1/mobilities/{0}/learning-agreement/versions", {"components": ["x"]}).json()
    )
    messages = [sentence for body in bodies for sentence in sentences(body)]
    assert len(messages) >= 4
    assert leaks(messages) == []


def test_the_dates_page_refuses_a_future_day_on_its_field(client, personas, mobility, approved):
    client.force_login(personas.partner)
    mobility.refresh_from_db()
    response = client.post(
        f"/mobilities/{mobility.pk}/dates/",
        {"actual_start": "2027-09-15", "actual_end": "2028-02-10", "version": mobility.version},
    )
    form = response.context["form"]
    assert "once it has happened" in form.errors["actual_start"][0]
    assert "once it has happened" in form.errors["actual_end"][0]
    assert form.non_field_errors() == []
    assert mobility.planned_start == date(2026, 9, 1)


# --- the messages written in the services --------------------------------------------------------


def _strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    elif isinstance(node, ast.Call):
        for argument in node.args:
            yield from _strings(argument)
    elif isinstance(node, ast.BinOp):
        yield from _strings(node.left)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            if value is not None:
                yield from _strings(value)


def _service_messages() -> Iterator[tuple[str, int, str]]:
    root = Path(accord.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or not ("services" in path.parts or path.name == "services.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            found: list[str] = []
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in ERROR_TYPES and node.args:
                    found = list(_strings(node.args[0]))
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and target.value.id == "errors"
                for target in node.targets
            ):
                found = list(_strings(node.value))
            for message in found:
                yield str(path.relative_to(root)), node.lineno, message


def test_no_service_message_names_a_path_or_key():
    messages = list(_service_messages())
    assert len(messages) > 200
    leaking = [
        f"{path}:{line}: {message}"
        for path, line, message in messages
        if LEAK.search(PLACEHOLDER.sub("", message))
    ]
    assert leaking == []


def test_the_transcript_page_shows_each_error_on_its_row(client, personas, mobility, approved):
    services.mobility_record_dates(actor=personas.partner, mobility=mobility, actual_start=date(2026, 9, 3))
    scale = services.scale_save(
        actor=personas.partner,
        organisation=personas.partner_org,
        name="Spanish 0-10",
        passing_grades="10,9,8",
    )
    client.force_login(personas.partner)
    data = {
        "scale": scale.pk,
        "issued_on": "2027-02-20",
        "e-TOTAL_FORMS": "3",
        "e-INITIAL_FORMS": "0",
        "e-0-title": "Bases de datos",
        "e-0-credits": "6",
        "e-0-grade": "9",
        "e-0-term": "Autumn",
        "e-2-title": "Redes",
        "e-2-credits": "6",
        "e-2-grade": "A+",
        "e-2-term": "Aut",
    }
    response = client.post(f"/mobilities/{mobility.pk}/transcript/", data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset[0].errors == {} and formset[1].errors == {}
    assert formset[2].errors["grade"] == ["'A+' is not a grade of Spanish 0-10 (10, 9, 8)."]
    assert formset[2].errors["term"][0].startswith("'Aut' is not a term: write it as 1/2")
    assert response.context["form"].non_field_errors() == []
    data["e-2-grade"], data["e-2-term"] = "8", "spring"
    assert client.post(f"/mobilities/{mobility.pk}/transcript/", data).status_code == 302
    assert [entry.term for entry in mobility.transcript.entries.order_by("pk")] == ["1/2", "2/2"]
