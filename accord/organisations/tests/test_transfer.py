"""Bulk import and export of the directory: files in, reports out, nothing half-saved."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from accord.core.models import Job
from accord.organisations import services
from accord.organisations.choices import ContactVisibility
from accord.organisations.models import Contact, Organisation
from accord.organisations.transfer import ImportFailed, import_file
from accord.organisations.transfer.columns import ORGANISATION_COLUMNS
from accord.testing.factories import make_contact, make_unit

pytestmark = pytest.mark.django_db

HEADER = "kind,name,schac_code,pic,country_code,city,languages,fields"
GOOD = "hei,Lakeside University,lakeside.example.edu,123456789,PL,Kraków,pl;en,0413|0611"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def text(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(data: bytes, actor, **options) -> list[tuple]:
    with pytest.raises(ImportFailed) as refused:
        import_file(data, target=options.pop("target", "organisations"), actor=actor, **options)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def assert_reported(problems, row, column, fragment):
    assert any(p[0] == row and p[1] == column and fragment in p[2] for p in problems), problems


def make_rich(actor, name: str, **overrides) -> Organisation:
    values = {
        "kind": "hei",
        "name": name,
        "abbreviation": "RT",
        "country_code": "PL",
        "city_geonameid": 3094802,  # Kraków
        "street_address": "ul. Długa 1",
        "postal_code": "31-000",
        "website": "https://roundtrip.example.edu/",
        "languages": ["pl", "en"],
        "fields": ["0413", "0611"],
        "mission": "=SUM(A1) is not a formula here",
        "offers": 'Places, "quotes" and; separators',
        "seeks": "Partners\nacross lines",
        "internal_notes": "SECRET-NOTE",
    }
    values.update(overrides)
    return services.organisation_create(actor=actor, **values)


# --- Reading and checking ------------------------------------------------------------------------


def test_a_valid_csv_creates_organisations_with_city_languages_and_fields(personas):
    outcome = import_file(text(HEADER, GOOD), target="organisations", actor=personas.platform_admin)
    assert (outcome.created, outcome.updated) == (1, 0)
    organisation = Organisation.objects.get(schac_code="lakeside.example.edu")
    assert organisation.city_name == "Kraków" and organisation.timezone == "Europe/Warsaw"
    assert sorted(organisation.languages.values_list("language_code", flat=True)) == ["en", "pl"]
    assert sorted(organisation.fields.values_list("isced_code", flat=True)) == ["0413", "0611"]


def test_semicolon_csv_with_bom_and_xlsx_with_numeric_cells_are_read(personas):
    semicolon = "\ufeff" + HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";").replace("pl;en", "pl|en")
    import_file(semicolon.encode(), target="organisations", actor=personas.platform_admin)
    workbook = xlsx(
        [
            HEADER.split(","),
            ["school", "Numeric PIC School", "numeric.example.org", 987654321, "ES", 2509954, "es", ""],
        ]
    )
    import_file(workbook, target="organisations", actor=personas.platform_admin)
    school = Organisation.objects.get(schac_code="numeric.example.org")
    assert school.pic == "987654321" and school.city_name == "Valencia"


MALFORMED = {
    "bad identifier on row 3": (
        text(HEADER, GOOD, "hei,Bad PIC College,badpic.example.edu,12345,PL,,,"),
        (3, "pic", "'12345' is not a PIC: expected the 9-digit"),
    ),
    "unknown country": (
        text(HEADER, GOOD, "hei,Nowhere U,nowhere.example.edu,,XX,,,"),
        (3, "country_code", "'XX' is not an ISO 3166-1 country code"),
    ),
    "unknown city": (
        text(HEADER, GOOD, "hei,Atlantis U,atlantis.example.edu,,PL,Atlantis,,"),
        (3, "city", "No city called 'Atlantis' is known in Poland"),
    ),
    "city id in another country": (
        text(HEADER, "hei,Wrong Place U,wrong.example.edu,,PL,2509954,,"),
        (2, "city", "is Valencia, in Spain, not in Poland"),
    ),
    "duplicate SCHAC within the file": (
        text(HEADER, GOOD, GOOD.replace("123456789", "")),
        (3, "schac_code", "'lakeside.example.edu' is also on row 2"),
    ),
    "duplicate SCHAC against the database": (
        text(HEADER, GOOD, "hei,Home Again,HOME.example.edu,,PL,,,"),
        (3, "schac_code", "Home University already has the SCHAC code 'home.example.edu'"),
    ),
    "unknown kind and language": (
        text(HEADER, "castle,Castle U,castle.example.edu,,PL,,xx,"),
        (2, "kind", "'castle' is not a kind of organisation"),
    ),
    "bad website (the service's own validation)": (
        text("kind,name,country_code,website", "hei,Web U,PL,not a url"),
        (2, "website", "Enter a valid URL"),
    ),
    "missing column": (text("kind,schac_code,country_code", "hei,x.example.edu,PL"), (1, None, "'name'")),
    "unknown column": (text(HEADER + ",colour", GOOD + ",blue"), (1, None, "Unknown column 'colour'")),
    "empty file": (b"\xef\xbb\xbf\n\n", (None, None, "The file is empty")),
    "header only": (text(HEADER), (None, None, "no data rows")),
    "not a spreadsheet": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        (None, None, "neither"),
    ),
    "a damaged workbook": (b"PK\x03\x04" + b"garbage" * 50, (None, None, "not a valid XLSX workbook")),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, (None, None, "old Excel (.xls)")),
    "broken quoting": (text(HEADER, 'hei,"Unclosed,x.example.edu,,PL,,,'), (2, None, "cannot be read")),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_files_are_reported_by_row_and_column_and_nothing_is_saved(personas, case):
    data, (row, column, fragment) = MALFORMED[case]
    before = Organisation.objects.count()
    problems = problems_of(data, personas.platform_admin)
    assert_reported(problems, row, column, fragment)
    assert Organisation.objects.count() == before


def test_too_large_and_too_many_rows_are_refused(personas, settings):
    settings.ACCORD_MAX_IMPORT_BYTES = 100
    assert_reported(problems_of(text(HEADER, GOOD, GOOD), personas.platform_admin), None, None, "at most")
    settings.ACCORD_MAX_IMPORT_BYTES = 5 * 1024 * 1024
    rows = [GOOD.replace("lakeside", f"l{n}").replace("123456789", "") for n in range(3)]
    problems = problems_of(text(HEADER, *rows), personas.platform_admin, max_rows=2)
    assert_reported(problems, None, None, "more than 2 rows")
    assert not Organisation.objects.filter(name="Lakeside University").exists()


def test_every_problem_of_every_row_is_listed(personas):
    problems = problems_of(
        text(
            HEADER,
            "hei,One,one.example.edu,12,PL,Atlantis,,",
            GOOD,
            "hei,,three.example.edu,,PL,,zz,9999x",
        ),
        personas.platform_admin,
    )
    assert_reported(problems, 2, "pic", "is not a PIC")
    assert_reported(problems, 2, "city", "No city called")
    assert_reported(problems, 4, "name", "blank")
    assert_reported(problems, 4, "languages", "'zz'")
    assert_reported(problems, 4, "fields", "'9999x'")
    assert not Organisation.objects.filter(schac_code="lakeside.example.edu").exists()


def test_upsert_updates_the_organisation_with_the_same_schac_code(personas):
    data = text(
        "kind,name,schac_code,country_code,mission", "hei,Home University (renamed),home.example.edu,PL,New"
    )
    assert_reported(problems_of(data, personas.platform_admin), 2, "schac_code", "upsert")
    outcome = import_file(data, target="organisations", mode="upsert", actor=personas.platform_admin)
    assert (outcome.created, outcome.updated) == (0, 1)
    personas.home.refresh_from_db()
    assert personas.home.name == "Home University (renamed)" and personas.home.mission == "New"
    assert personas.home.internal_notes  # columns the file leaves out are left alone


# --- Round trips ---------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_file_back(client, personas):
    staff = personas.platform_admin
    make_rich(staff, "Roundtrip One", schac_code="rt1.example.edu", pic="111111111", ror_id="04m01e293")
    make_rich(staff, "Roundtrip Two", kind="ngo", erasmus_code="PL KRAKOW99", city_geonameid=None)
    client.force_login(staff)
    first = client.get("/organisations/export.csv?q=Roundtrip")
    assert first.status_code == 200 and first["Content-Type"].startswith("text/csv")
    exported = b"".join(first.streaming_content)
    assert b"SECRET-NOTE" not in exported
    assert b"'=SUM(A1)" in exported  # the formula guard

    Organisation.objects.filter(name__startswith="Roundtrip").delete()
    outcome = import_file(exported, target="organisations", actor=staff)
    assert outcome.created == 2
    again = b"".join(client.get("/organisations/export.csv?q=Roundtrip").streaming_content)
    assert again == exported


def test_xlsx_export_runs_as_a_job_and_reimports_as_updates(
    client, personas, media, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    staff = personas.platform_admin
    make_rich(staff, "Roundtrip Xlsx", schac_code="rtx.example.edu")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get("/organisations/export.xlsx?q=Roundtrip")
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/organisations/export/{job.pk}/"
    assert (job.status, job.progress, job.result["rows"]) == (Job.Status.SUCCEEDED, 100, 1)
    with django_assert_max_num_queries(5):  # session, user, the menu's two role checks, the job
        page = client.get(started["Location"]).content.decode()
    download = f"/organisations/export/{job.pk}/download/"
    assert "The file lists 1 organisation." in page and download in page and "<progress" in page
    client.force_login(personas.coordinator)
    assert client.get(download).status_code == 404  # a job is its owner's alone
    client.force_login(staff)
    response = client.get(download)
    assert response["Content-Disposition"].startswith('attachment; filename="organisations-')
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(ORGANISATION_COLUMNS)
    assert rows[1][ORGANISATION_COLUMNS.index("mission")] == "=SUM(A1) is not a formula here"
    outcome = import_file(content, target="organisations", mode="upsert", actor=staff)
    assert (outcome.created, outcome.updated) == (0, 1)


# --- Contacts and permissions --------------------------------------------------------------------

CONTACT_HEADER = "organisation,given_name,family_name,email,phone,role,unit_code,visibility"


def test_coordinators_import_contacts_of_their_own_organisation_only(personas):
    make_unit(personas.home, code="IO", name="International Office")
    own = "home.example.edu,Ada,Lovelace,ada@home.example.edu,+48 22 123 45 67,,IO,public"
    other = "partner.example.edu,Eve,Other,eve@partner.example.edu,,,,"
    problems = problems_of(text(CONTACT_HEADER, own, other), personas.coordinator, target="contacts")
    assert_reported(problems, 3, "organisation", "You may not manage contacts of Partner University")
    assert not Contact.objects.exists()

    outcome = import_file(text(CONTACT_HEADER, own), target="contacts", actor=personas.coordinator)
    assert outcome.created == 1
    contact = Contact.objects.get()
    assert (contact.phone, contact.unit.code, contact.visibility) == ("+48221234567", "IO", "public")


@pytest.mark.parametrize("persona", ["admin", "coordinator", "teacher", "student", "partner"])
def test_only_platform_staff_import_organisations(personas, persona):
    problems = problems_of(text(HEADER, GOOD), personas.by_name(persona))
    assert_reported(problems, None, None, "Only platform staff")


def test_students_and_teachers_cannot_import_contacts(personas):
    for persona in ("student", "teacher", "viewer"):
        problems = problems_of(text(CONTACT_HEADER), personas.by_name(persona), target="contacts")
        assert_reported(problems, None, None, "Only platform staff and organisations' admins")


def test_contact_rows_report_unknown_organisation_unit_and_role(personas):
    problems = problems_of(
        text(
            CONTACT_HEADER,
            "nowhere.example.edu,A,B,,,,,",
            "home.example.edu,C,D,c@x.org,,chef,NOPE,secret",
        ),
        personas.platform_admin,
        target="contacts",
    )
    assert_reported(problems, 2, "organisation", "No organisation has the SCHAC or Erasmus code")
    assert_reported(problems, 3, "role", "'chef' is not a role")
    assert_reported(problems, 3, "unit_code", "no unit with the code 'NOPE'")
    assert_reported(problems, 3, "visibility", "'secret' is not a visibility")


def test_contacts_export_holds_only_contacts_the_user_may_see(client, personas):
    make_contact(personas.home, visibility=ContactVisibility.PUBLIC, family_name="Publicova")
    make_contact(personas.home, visibility=ContactVisibility.MEMBERS, family_name="Internalski")
    for persona, sees_internal in (("teacher", True), ("partner", False)):
        client.force_login(personas.by_name(persona))
        response = client.get(f"/organisations/{personas.home.pk}/contacts/export.csv")
        content = b"".join(response.streaming_content).decode()
        assert "Publicova" in content
        assert ("Internalski" in content) is sees_internal
    # and the export imports again, as updates matched on the e-mail
    client.force_login(personas.platform_admin)
    content = b"".join(client.get(f"/organisations/{personas.home.pk}/contacts/export.csv").streaming_content)
    outcome = import_file(content, target="contacts", mode="upsert", actor=personas.platform_admin)
    assert (outcome.created, outcome.updated) == (0, 2)


# --- Jobs, pages, API and commands ---------------------------------------------------------------


def test_upload_runs_a_job_that_succeeds_with_progress_100(
    client, personas, media, django_capture_on_commit_callbacks
):
    client.force_login(personas.platform_admin)
    page = client.get("/organisations/import/")
    assert page.status_code == 200
    assert b">File</label>" in page.content and b"/organisations/import/template.csv" in page.content
    upload = io.BytesIO(text(HEADER, GOOD))
    upload.name = "directory.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/import/", {"file": upload, "mode": "create"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organisations/import/{job.pk}/"
    assert (job.status, job.progress, job.result["created"]) == (Job.Status.SUCCEEDED, 100, 1)
    assert not list((media / "imports").iterdir())  # the upload is removed afterwards
    assert "1 rows imported: 1 created" in client.get(response["Location"]).content.decode()


def test_a_refused_file_fails_the_job_with_the_report(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.platform_admin)
    upload = io.BytesIO(text(HEADER, GOOD, "hei,Bad PIC College,badpic.example.edu,12345,PL,,,"))
    upload.name = "bad.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/import/", {"file": upload, "mode": "create"})
    job = Job.objects.get()
    assert (job.status, job.progress) == (Job.Status.FAILED, 100)
    assert job.result["errors"][0] == {
        "row": 3,
        "column": "pic",
        "message": "'12345' is not a PIC: expected the 9-digit Participant Identification Code.",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was saved" in page and "<code>pic</code>" in page
    assert not Organisation.objects.filter(schac_code="lakeside.example.edu").exists()


def test_import_pages_are_for_those_who_may_import(client, personas):
    client.force_login(personas.coordinator)
    assert client.get("/organisations/import/").status_code == 403
    assert client.get("/organisations/import/contacts/").status_code == 200
    template = client.get("/organisations/import/contacts/template.xlsx")
    header = next(load_workbook(io.BytesIO(template.content)).active.values)
    assert header[0] == "organisation"
    client.force_login(personas.student)
    assert client.get("/organisations/import/contacts/").status_code == 403


def test_api_export_import_and_status(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.platform_admin)
    response = client.get("/api/v1/organisations/export?format=csv&country=ES")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Partner University"]
    xlsx_response = client.get("/api/v1/organisations/export?format=xlsx")
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/api/v1/organisations/export?format=pdf").json()["code"] == "validation_failed"

    upload = io.BytesIO(text(HEADER, GOOD))
    upload.name = "api.csv"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post("/api/v1/organisations/import", {"file": upload, "mode": "upsert"})
    assert accepted.status_code == 202
    status = client.get(f"/api/v1/organisations/import/{accepted.json()['job_id']}").json()
    assert (status["status"], status["progress"], status["result"]["created"]) == ("succeeded", 100, 1)

    client.force_login(personas.admin)
    upload.seek(0)
    refused = client.post("/api/v1/organisations/import", {"file": upload})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert client.get(f"/api/v1/organisations/import/{accepted.json()['job_id']}").status_code == 404


def test_api_refuses_oversized_uploads_at_once(client, personas, settings):
    settings.ACCORD_MAX_IMPORT_BYTES = 10
    client.force_login(personas.platform_admin)
    upload = io.BytesIO(text(HEADER, GOOD))
    upload.name = "big.csv"
    response = client.post("/api/v1/organisations/import", {"file": upload})
    assert response.status_code == 422
    assert response.json()["errors"]["file"][0].startswith("The file is")
    assert not Job.objects.exists()


def test_commands_import_and_export_and_exit_2_on_problems(personas, tmp_path, capsys):
    good, bad, out = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "out.xlsx"
    good.write_bytes(text(HEADER, GOOD))
    bad.write_bytes(text(HEADER, "hei,Bad,bad.example.edu,12345,PL,,,"))
    with pytest.raises(CommandError) as refused:
        call_command("import_organisations", str(bad), "--as", "platform_admin")
    assert refused.value.returncode == 2 and "row 2, pic: '12345' is not a PIC" in str(refused.value)
    call_command("import_organisations", str(good), "--as", "platform_admin")
    assert "1 created" in capsys.readouterr().out
    with pytest.raises(CommandError) as repeated:
        call_command("import_organisations", str(good), "--as", "platform_admin")
    assert repeated.value.returncode == 2
    call_command("import_organisations", str(good), "--mode", "upsert", "--as", "platform_admin")

    call_command("export_organisations", "--output", str(out), "--country", "PL", "--as", "platform_admin")
    names = [row[1] for row in list(load_workbook(out).active.values)[1:]]
    assert names == ["Home University", "Lakeside University"]


def test_a_contact_e_mail_is_unique_per_organisation_whatever_its_case(personas):
    from django.db import IntegrityError, transaction

    from accord.core.errors import ValidationFailed

    make_contact(personas.home, email="ada@home.example.edu")
    with pytest.raises(ValidationFailed, match="already has a contact"):
        services.contact_create(
            actor=personas.admin,
            organisation=personas.home,
            given_name="A",
            family_name="B",
            email="ADA@home.example.edu",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contact(personas.home, email="Ada@Home.example.edu")
    make_contact(personas.partner_org, email="ada@home.example.edu")  # another organisation may
    make_contact(personas.home, email="")
    make_contact(personas.home, email="")  # blank e-mails are not compared
