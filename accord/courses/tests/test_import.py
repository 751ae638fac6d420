"""Importing a catalogue: all or nothing, every problem named by row and column."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from accord.core.errors import PermissionDenied
from accord.courses.importing import course_import
from accord.courses.models import Course
from accord.courses.tests.factories import make_course
from accord.organisations.transfer.columns import ImportFailed

pytestmark = pytest.mark.django_db

HEADER = "code,title,description,ects,isced,eqf,language\n"
GOOD = (
    HEADER + 'INF-DB,Datenbanksysteme,"Relationales Modell, SQL, Transaktionen",6,0612,6,de\n'
    'INF-NET,Rechnernetze,"Schichtenmodelle, IP, TCP","7,5",0612,6,de\n'
)


def test_a_good_file_adds_and_updates_courses(personas):
    make_course(personas.home, code="INF-DB", title="Old title")
    outcome = course_import(actor=personas.coordinator, organisation=personas.home, data=GOOD.encode())
    assert (outcome.rows, outcome.created, outcome.updated) == (2, 1, 1)
    assert Course.objects.get(code="INF-DB").title == "Datenbanksysteme"
    assert str(Course.objects.get(code="INF-NET").ects) == "7.5"


def test_a_file_with_broken_rows_imports_nothing_and_names_each_problem(personas):
    data = (
        HEADER + "A1,Algebra,Matrices,6,0541,6,en\n"
        "A2,Analysis,Limits,six,0541,6,en\n"
        "A3,Unknown field,Something,6,9876,6,en\n"
        "A4,No description,,6,0541,6,en\n"
        "A1,Twice,Again,6,0541,6,en\n"
    )
    with pytest.raises(ImportFailed) as refused:
        course_import(actor=personas.coordinator, organisation=personas.home, data=data.encode())
    problems = {(problem.row, problem.column): problem.message for problem in refused.value.problems}
    assert problems[(3, "ects")] == "'six' is not a number of ECTS credits."
    assert problems[(4, "isced")] == "'9876' is not an ISCED-F 2013 field."
    assert "Describe the course" in problems[(5, "description")]
    assert problems[(6, "code")] == "Row 2 already has this code."
    assert not Course.objects.exists()


def test_missing_columns_are_named(personas):
    with pytest.raises(ImportFailed) as refused:
        course_import(actor=personas.coordinator, organisation=personas.home, data=b"code,title\nA,B\n")
    assert "Missing required columns" in refused.value.problems[0].message


def test_an_xlsx_workbook_with_translations(personas):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "title", "description", "ects", "isced", "eqf", "language", "title_en", "mode"])
    sheet.append(["BIO-GEN", "Genetik", "Vererbung, DNA", 6, "0511", 6, "de", "Genetics", "blended"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    course_import(actor=personas.admin, organisation=personas.home, data=buffer.getvalue())
    course = Course.objects.get(code="BIO-GEN")
    assert (
        course.translations == {"en": {"title": "Genetics", "description": ""}} and course.mode == "blended"
    )


def test_only_the_catalogue_s_managers_import(personas):
    with pytest.raises(PermissionDenied):
        course_import(actor=personas.partner, organisation=personas.home, data=GOOD.encode())


def test_the_command(personas, tmp_path, capsys):
    good = tmp_path / "courses.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_courses", "home.example.edu", str(good), "--as", "admin")
    assert "2 created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "X,Title,Text,lots,0612,6,de\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_courses", "home.example.edu", str(bad), "--as", "admin")
    assert refused.value.returncode == 2 and "row 2, ects: 'lots' is not a number" in str(refused.value)
    with pytest.raises(CommandError, match="No organisation has the SCHAC code"):
        call_command("import_courses", "nowhere.example.edu", str(good), "--as", "admin")
