"""The demo course catalogues: Aurora (Warsaw, the home university: Polish titles with English
translations), Turia (Valencia, in Spanish), Spree (Berlin, in German) and Rhône-Alpes (Lyon, in
French), written through the courses services; and two equivalences Aurora approved before for
Turia's courses, so that suggestions show the institution's memory. Aurora's own catalogue is put in
the semantic index (its ten courses take about a second); the others are indexed by the job on the
"What does this course count as?" page. A catalogue that exists already is left alone.
"""

from decimal import Decimal

from accord.accounts.models import User
from accord.courses import services as courses
from accord.courses.models import Course
from accord.discovery import indexing
from accord.discovery import services as discovery
from accord.organisations.models import Organisation

# code | title | description | ects | isced | eqf | (English title for Aurora's translations)
AURORA = (
    (
        "INF-101",
        "Bazy danych",
        "Model relacyjny, modelowanie encji i związków, język SQL, normalizacja, "
        "transakcje i współbieżność, indeksy.",
        "6",
        "0612",
        6,
        "Databases",
    ),
    (
        "INF-102",
        "Sieci komputerowe",
        "Model warstwowy, Ethernet, adresacja IP i routing, TCP i UDP, DNS i HTTP, "
        "podstawy bezpieczeństwa sieci.",
        "5",
        "0612",
        6,
        "Computer networks",
    ),
    (
        "INF-103",
        "Algorytmy i struktury danych",
        "Sortowanie i wyszukiwanie, złożoność obliczeniowa, listy, drzewa, "
        "tablice mieszające, grafy, programowanie dynamiczne.",
        "6",
        "0613",
        6,
        "Algorithms and data structures",
    ),
    (
        "INF-201",
        "Uczenie maszynowe",
        "Uczenie nadzorowane i nienadzorowane, regresja, drzewa decyzyjne, "
        "sieci neuronowe, walidacja krzyżowa.",
        "6",
        "0613",
        7,
        "Machine learning",
    ),
    (
        "MAT-101",
        "Algebra liniowa",
        "Przestrzenie wektorowe, macierze, układy równań liniowych, wyznaczniki, wartości własne.",
        "6",
        "0541",
        6,
        "Linear algebra",
    ),
    (
        "MAT-102",
        "Analiza matematyczna I",
        "Ciągi i szeregi, granice i ciągłość funkcji, pochodne, całka Riemanna, wzór Taylora.",
        "7",
        "0541",
        6,
        "Calculus I",
    ),
    (
        "EKO-101",
        "Mikroekonomia",
        "Teoria konsumenta i popytu, produkcja i koszty, konkurencja doskonała, monopol, "
        "oligopol, teoria gier.",
        "5",
        "0311",
        6,
        "Microeconomics",
    ),
    (
        "EKO-102",
        "Makroekonomia",
        "Rachunek dochodu narodowego, model IS-LM, polityka pieniężna i fiskalna, "
        "inflacja i bezrobocie, wzrost gospodarczy.",
        "5",
        "0311",
        6,
        "Macroeconomics",
    ),
    (
        "ZAR-201",
        "Marketing",
        "Zachowania konsumentów, badania rynku, segmentacja i pozycjonowanie, produkt, "
        "cena, promocja i dystrybucja.",
        "5",
        "0414",
        6,
        "Marketing",
    ),
    (
        "ZAR-202",
        "Rachunkowość finansowa",
        "Księgowość, bilans i rachunek zysków i strat, wycena aktywów i zobowiązań, "
        "sprawozdania finansowe według MSSF.",
        "6",
        "0411",
        6,
        "Financial accounting",
    ),
)
TURIA = (
    (
        "BD-11",
        "Bases de datos",
        "Modelo relacional, diseño entidad-relación, SQL, normalización, "
        "transacciones y control de concurrencia.",
        "6",
        "0612",
        6,
    ),
    (
        "RC-12",
        "Redes de computadores",
        "Arquitectura de capas, Ethernet, direccionamiento IP y encaminamiento, TCP y UDP, DNS y HTTP.",
        "6",
        "0612",
        6,
    ),
    (
        "AA-21",
        "Aprendizaje automático",
        "Aprendizaje supervisado y no supervisado, regresión lineal y logística, "
        "árboles de decisión, redes neuronales.",
        "6",
        "0613",
        7,
    ),
    (
        "MI-13",
        "Microeconomía",
        "Teoría del consumidor, producción y costes, competencia perfecta, monopolio, "
        "oligopolio y teoría de juegos.",
        "6",
        "0311",
        6,
    ),
    (
        "MK-22",
        "Dirección de marketing",
        "Comportamiento del consumidor, investigación de mercados, "
        "segmentación y posicionamiento, marketing mix.",
        "6",
        "0414",
        6,
    ),
    (
        "AL-14",
        "Álgebra lineal",
        "Espacios vectoriales, matrices, sistemas de ecuaciones lineales, determinantes, valores propios.",
        "6",
        "0541",
        6,
    ),
)
SPREE = (
    (
        "INF-DB",
        "Datenbanksysteme",
        "Relationales Modell, ER-Modellierung, SQL, Normalformen, Transaktionen, Indexstrukturen.",
        "6",
        "0612",
        6,
    ),
    (
        "WI-MAK",
        "Makroökonomik",
        "Volkswirtschaftliche Gesamtrechnung, IS-LM-Modell, Geld- und Fiskalpolitik, Inflation, Wachstum.",
        "6",
        "0311",
        6,
    ),
    (
        "MA-AN1",
        "Analysis I",
        "Folgen und Reihen, Stetigkeit, Differentialrechnung, Riemann-Integral, Taylorentwicklung.",
        "9",
        "0541",
        6,
    ),
)
RHONE = (
    (
        "INF-RES",
        "Réseaux informatiques",
        "Modèle en couches, Ethernet, adressage IP et routage, TCP et UDP, DNS et HTTP.",
        "5",
        "0612",
        6,
    ),
    (
        "ECO-MAC",
        "Macroéconomie",
        "Comptabilité nationale, modèle IS-LM, politiques monétaire et budgétaire, inflation et chômage.",
        "5",
        "0311",
        6,
    ),
    (
        "GES-CPT",
        "Comptabilité financière",
        "Tenue des comptes, bilan et compte de résultat, évaluation des actifs, "
        "états financiers en normes IFRS.",
        "6",
        "0411",
        6,
    ),
)
CATALOGUES = {
    "aurora": ("pl", AURORA),
    "turia": ("es", TURIA),
    "spree": ("de", SPREE),
    "rhone-alpes": ("fr", RHONE),
}
# Turia's courses Aurora recognised before: host code → Aurora's code.
APPROVED = (("BD-11", "INF-101"), ("MI-13", "EKO-101"))


def seed_courses(*, organisations: dict[str, Organisation], actor: User) -> int:
    """Fill the demo catalogues and Aurora's memory; returns how many courses were created."""
    created = 0
    for key, (language, rows) in CATALOGUES.items():
        organisation = organisations.get(key)
        if organisation is None or Course.objects.filter(organisation=organisation).exists():
            continue
        for code, title, description, ects, isced, eqf, *english in rows:
            courses.course_create(
                actor=actor,
                organisation=organisation,
                code=code,
                title=title,
                description=description,
                ects=Decimal(ects),
                language=language,
                isced_code=isced,
                eqf_level=eqf,
                translations={"en": {"title": english[0], "description": ""}} if english else {},
            )
            created += 1
    home, host = organisations.get("aurora"), organisations.get("turia")
    if created and home is not None and host is not None:
        home_courses = {course.code: course for course in Course.objects.filter(organisation=home)}
        host_courses = {course.code: course for course in Course.objects.filter(organisation=host)}
        for host_code, home_code in APPROVED:
            discovery.equivalence_approve(
                actor=actor,
                home_course=home_courses[home_code],
                host_title=host_courses[host_code].title,
                host_code=host_code,
                host_organisation=host,
            )
        indexing.index_refresh(organisation_id=home.pk)
    return created
