"""Equivalence suggestions: ranked home courses with reasons, the institution's memory, the command."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from accord.courses.tests.factories import make_course
from accord.discovery import indexing, selectors, services
from accord.discovery.models import CourseVector
from accord.mobilities.models import AgreementVersion, LearningAgreement, Mobility

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(personas):
    home = personas.home
    return {
        "db": make_course(
            home,
            code="INF-DB",
            title="Datenbanksysteme",
            description="Relationales Modell, SQL, Normalformen, Transaktionen",
            ects=6,
            isced_code="0612",
            language="de",
        ),
        "net": make_course(
            home,
            code="INF-NET",
            title="Rechnernetze",
            description="Schichtenmodelle, Ethernet, IP, TCP, Routing",
            ects=6,
            isced_code="0612",
            language="de",
        ),
        "gen": make_course(
            home,
            code="BIO-GEN",
            title="Genetik",
            description="Mendelsche Vererbung, DNA, Transkription, Mutationen",
            ects=6,
            isced_code="0511",
            language="de",
        ),
        "mik": make_course(
            home,
            code="WI-MIK",
            title="Mikroökonomik",
            description="Haushaltstheorie, Monopol, Oligopol, Spieltheorie",
            ects=6,
            isced_code="0311",
            language="de",
        ),
    }


def suggest(personas, **query):
    return selectors.suggest_equivalents(
        user=personas.coordinator, home_organisation_id=personas.home.pk, **query
    )


def test_the_best_home_course_comes_first_with_its_reasons(personas, catalogue):
    answer = suggest(
        personas,
        title="Genética",
        description="Herencia mendeliana, ADN, mutaciones",
        ects=6,
        isced="0511",
        eqf=6,
        language="es",
    )
    best = answer.suggestions[0]
    assert best.course == catalogue["gen"]
    assert any(reason.startswith("Similar content") for reason in best.reasons)
    assert (
        "Credits: 6 ECTS here, 6 at home." in best.reasons
        and "Field of education: 0511 and 0511." in best.reasons
    )
    assert not answer.semantic and answer.notes[0].startswith("The semantic index is not available")


def test_a_text_in_another_script_says_what_the_suggestions_rest_on(personas, catalogue):
    answer = suggest(personas, title="علم الوراثة", description="الوراثة المندلية", ects=6, isced="0511")
    assert answer.suggestions[0].course == catalogue["gen"]
    assert any("suggestions rest on credits, field and level only" in note for note in answer.notes)


def test_an_approved_equivalence_is_remembered(personas, catalogue):
    services.equivalence_approve(
        actor=personas.coordinator,
        home_course=catalogue["net"],
        host_title="Bases de datos",
        host_organisation=personas.partner_org,
    )
    answer = suggest(
        personas,
        title="Bases de datos",
        description="Modelo relacional, SQL",
        host_organisation_id=personas.partner_org.pk,
    )
    assert answer.suggestions[0].course == catalogue["net"]
    assert answer.suggestions[0].reasons[0] == "Recognised for this course once before."


def test_approved_learning_agreements_are_remembered(personas, catalogue):
    mobility = Mobility.objects.create(
        participant=personas.student,
        mobility_type="student_studies",
        sending_organisation=personas.home,
        receiving_organisation=personas.partner_org,
        academic_year="2025/2026",
        planned_start=date(2025, 9, 1),
        planned_end=date(2026, 1, 31),
    )
    agreement = LearningAgreement.objects.create(mobility=mobility, kind="learning")
    version = AgreementVersion.objects.create(
        learning_agreement=agreement,
        number=1,
        components=[
            {
                "ref": "a",
                "section": "studied",
                "title": "Economía industrial",
                "code": "EI-3",
                "credits": "6",
            },
            {"ref": "r", "section": "recognised", "title": "Mikroökonomik", "code": "WI-MIK", "credits": "6"},
        ],
        components_hash="0" * 64,
        status="approved",
    )
    agreement.approved_version = version
    agreement.save()
    answer = suggest(
        personas, title="Economía industrial", host_organisation_id=personas.partner_org.pk, host_code="EI-3"
    )
    assert answer.suggestions[0].course == catalogue["mik"]
    assert any("Without a description" in note for note in answer.notes)


def test_only_the_home_institution_approves(personas, catalogue):
    from accord.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.equivalence_approve(actor=personas.partner, home_course=catalogue["db"], host_title="X")


def test_the_command_prints_json(personas, catalogue, capsys):
    call_command(
        "suggest_equivalents",
        "--home",
        "home.example.edu",
        "--title",
        "Redes de computadores",
        "--description",
        "Ethernet, IP, TCP",
        "--ects",
        "6",
        "--limit",
        "2",
        "--json",
        "--as",
        "coordinator",
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["suggestions"][0]["code"] == "INF-NET"
    assert len(printed["suggestions"]) == 2 and printed["suggestions"][0]["reasons"]


def test_the_semantic_index_matches_across_languages_and_reindexes_only_what_changed(
    personas, catalogue, semantic
):
    assert indexing.index_refresh()["indexed"] == 4
    assert indexing.index_refresh()["indexed"] == 0
    answer = suggest(
        personas,
        title="Microéconomie",
        description="Théorie du consommateur, monopole, oligopole, théorie des jeux",
    )
    assert answer.semantic and answer.suggestions[0].course == catalogue["mik"]
    from accord.courses import services as courses

    courses.course_update(
        actor=personas.coordinator, course=catalogue["db"], description="SQL und Transaktionen"
    )
    assert not CourseVector.objects.filter(course=catalogue["db"]).exists()
    assert indexing.index_refresh()["indexed"] == 1


def test_the_page_and_the_fragment(client, personas, catalogue, django_assert_max_num_queries):
    client.force_login(personas.coordinator)
    query = {
        "home": personas.home.pk,
        "title": "Genetics",
        "description": "Mendel, DNA",
        "ects": "6",
        "isced": "0511",
    }
    with django_assert_max_num_queries(12):
        page = client.get("/discovery/equivalents/", query)
    assert "BIO-GEN" in page.content.decode() and "Approve: counts as BIO-GEN" in page.content.decode()
    fragment = client.get("/discovery/equivalents/", query, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<section id="suggestions"')
    approved = client.post(
        f"/discovery/equivalents/approve/{catalogue['gen'].pk}/", {"host_title": "Genetics"}
    )
    assert approved.status_code == 302


def test_the_api(client, personas, catalogue):
    client.force_login(personas.coordinator)
    answer = client.post(
        "/api/v1/discovery/equivalents",
        {
            "home_organisation_id": personas.home.pk,
            "title": "Computer networks",
            "description": "Ethernet, TCP, IP routing",
            "limit": 3,
        },
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["suggestions"][0]["code"] == "INF-NET"


def test_updating_the_index_is_a_job_with_progress(client, personas, catalogue):
    from accord.core.models import Job

    client.force_login(personas.coordinator)
    answer = client.post("/discovery/index/")
    job = Job.objects.get(kind="discovery.index")
    assert answer.status_code == 302 and answer["Location"].endswith(f"{job.pk}/")
    client.force_login(personas.student)
    assert client.post("/discovery/index/").status_code == 403
