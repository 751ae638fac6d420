"""Transcripts, grade distribution tables, conversion (tables or by hand) and recognition rates."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.mobilities import selectors, services
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import GradeConversion, GradeDistributionTable, Transcript

HOST_CSV = "# scale: Spanish 0-10\ngrade;count\n10;5\n9;15\n8;30\n7;30\n6;15\n5;5\n"
HOME_CSV = "grade,count\n5,10\n4.5,20\n4,40\n3.5,20\n3,10\n"


@pytest.fixture
def scales(personas):
    host = services.scale_save(
        actor=personas.partner,
        organisation=personas.partner_org,
        name="Spanish 0-10",
        passing_grades="10,9,8,7,6,5",
        failing_grades="4,3,2,1,0",
    )
    home = services.scale_save(
        actor=personas.coordinator,
        organisation=personas.home,
        name="Polish 2-5",
        passing_grades=["5", "4.5", "4", "3.5", "3"],
        failing_grades=["2"],
    )
    return host, home


@pytest.fixture
def tables(personas, scales):
    host, home = scales
    host_table = services.grade_table_import(
        actor=personas.partner,
        organisation=personas.partner_org,
        scale=host,
        filename="es.csv",
        data=HOST_CSV.encode(),
        isced_code="06",
    )
    home_table = services.grade_table_import(
        actor=personas.coordinator,
        organisation=personas.home,
        scale=home,
        filename="pl.csv",
        data=HOME_CSV.encode(),
        eqf_level=6,
    )
    services.settings_save(
        actor=personas.coordinator,
        organisation=personas.home,
        conversion_policy="middle",
        transcript_days=35,
        home_scale=home,
    )
    return host_table, home_table


@pytest.fixture
def completed(personas, mobility, approved):
    services.mobility_record_dates(
        actor=personas.partner, mobility=mobility, actual_start=date(2026, 9, 1), actual_end=date(2027, 1, 31)
    )
    return mobility


def record(personas, mobility, scale, entries):
    return services.transcript_record(
        actor=personas.partner, mobility=mobility, scale=scale, issued_on=date(2027, 2, 20), entries=entries
    )


ENTRIES = [
    {"code": "BD1", "title": "Bases de datos", "credits": "6", "grade": "9"},
    {"code": "", "title": "Redes", "credits": "24", "grade": "4"},
]


def test_a_transcript_links_entries_to_the_agreement_and_marks_failures(personas, completed, scales):
    transcript = record(personas, completed, scales[0], ENTRIES)
    entries = list(transcript.entries.order_by("pk"))
    assert [(e.component_ref, e.passed) for e in entries] == [("a", True), ("b", False)]


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"title": "X", "credits": "-1", "grade": "9"}, "entries[1].credits"),
        ({"title": "X", "credits": "5", "grade": "A+"}, "entries[1].grade"),
        ({"title": "", "credits": "5", "grade": "9"}, "entries[1].title"),
    ],
)
def test_a_bad_entry_is_named_and_nothing_is_written(personas, completed, scales, entry, field):
    with pytest.raises(ValidationFailed) as caught:
        record(personas, completed, scales[0], [ENTRIES[0], entry])
    assert field in caught.value.errors
    assert not Transcript.objects.exists()


def test_only_the_receiver_records_and_only_in_its_own_scale(personas, completed, scales):
    with pytest.raises(PermissionDenied):
        services.transcript_record(
            actor=personas.coordinator,
            mobility=completed,
            scale=scales[0],
            issued_on=date(2027, 2, 1),
            entries=ENTRIES,
        )
    with pytest.raises(ValidationFailed) as caught:
        record(personas, completed, scales[1], ENTRIES)
    assert "scale_id" in caught.value.errors


def test_transcripts_import_from_csv_and_xlsx_and_malformed_files_name_their_rows(
    personas, completed, scales
):
    with pytest.raises(ValidationFailed) as caught:
        services.transcript_import(
            actor=personas.partner,
            mobility=completed,
            scale=scales[0],
            issued_on=date(2027, 2, 1),
            filename="tor.csv",
            data=b"code,title,credits,grade\nBD1,Bases de datos,6,9\nX,Redes,5,A+\n",
        )
    assert list(caught.value.errors) == ["row 3"]
    with pytest.raises(ValidationFailed) as caught:
        services.transcript_import(
            actor=personas.partner,
            mobility=completed,
            scale=scales[0],
            issued_on=date(2027, 2, 1),
            filename="tor.csv",
            data=b"course;points\nA;5\n",
        )
    assert "row 1" in caught.value.errors
    assert not Transcript.objects.exists()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Code", "Title", "Credits", "Grade"])
    workbook.active.append(["BD1", "Bases de datos", 6, 9])
    buffer = io.BytesIO()
    workbook.save(buffer)
    transcript = services.transcript_import(
        actor=personas.partner,
        mobility=completed,
        scale=scales[0],
        issued_on=date(2027, 2, 1),
        filename="tor.xlsx",
        data=buffer.getvalue(),
    )
    assert transcript.entries.get().grade == "9"


def test_tables_must_use_the_scale_in_its_order(personas, scales):
    with pytest.raises(ValidationFailed) as caught:
        services.grade_table_import(
            actor=personas.partner,
            organisation=personas.partner_org,
            scale=scales[0],
            filename="t.csv",
            data=b"grade,count\n9,3\n10,4\n",
        )
    assert "best first" in caught.value.errors["file"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.grade_table_import(
            actor=personas.partner,
            organisation=personas.partner_org,
            scale=scales[0],
            filename="t.csv",
            data=b"grade,count\n10,x\n",
        )
    assert "row 2" in caught.value.errors["file"][0]
    assert not GradeDistributionTable.objects.exists()


def test_a_grade_converts_with_the_tables_and_the_policy(personas, completed, scales, tables):
    transcript = record(personas, completed, scales[0], ENTRIES)
    entry = transcript.entries.get(code="BD1")
    conversion = services.grade_convert(actor=personas.coordinator, entry=entry)
    # 9 covers 5-20 % of the host table; home 5 covers 0-10 % and 4.5 covers 10-30 %: the middle of two
    # is the better one.
    assert (conversion.home_grade, conversion.policy, conversion.method) == ("5", "middle", "table")
    assert conversion.host_table == tables[0] and conversion.home_table == tables[1]
    lowest = services.grade_convert(actor=personas.coordinator, entry=entry, policy="lowest")
    assert lowest.home_grade == "4.5" and GradeConversion.objects.count() == 1
    with pytest.raises(Conflict) as caught:
        services.grade_convert(actor=personas.coordinator, entry=transcript.entries.get(title="Redes"))
    assert caught.value.code == "failed_grade"


def test_without_a_table_the_conversion_is_manual_with_a_reason(personas, completed, scales):
    transcript = record(personas, completed, scales[0], ENTRIES)
    entry = transcript.entries.get(code="BD1")
    with pytest.raises(Conflict) as caught:
        services.grade_convert(actor=personas.coordinator, entry=entry)
    assert caught.value.code == "no_table"
    assert "home scale" in caught.value.message
    with pytest.raises(ValidationFailed) as caught:
        services.grade_convert_manual(actor=personas.coordinator, entry=entry, home_grade="4.5", reason="x")
    assert "home scale on the grading page" in caught.value.errors["home_grade"][0]
    services.settings_save(
        actor=personas.coordinator,
        organisation=personas.home,
        conversion_policy="middle",
        transcript_days=35,
        home_scale=scales[1],
    )
    with pytest.raises(ValidationFailed) as caught:
        services.grade_convert_manual(actor=personas.coordinator, entry=entry, home_grade="4.5", reason=" ")
    assert list(caught.value.errors) == ["reason"]
    conversion = services.grade_convert_manual(
        actor=personas.coordinator, entry=entry, home_grade="4.5", reason="No table for this field yet"
    )
    assert conversion.method == "manual" and "No table" in conversion.explanation


def test_recognition_completes_the_mobility_and_feeds_the_rates(personas, completed, scales):
    transcript = record(personas, completed, scales[0], ENTRIES)
    with pytest.raises(ValidationFailed) as caught:
        services.recognition_record(
            actor=personas.coordinator, mobility=completed, items=[{"title": "DB", "credits": "-6"}]
        )
    assert "items[0].credits" in caught.value.errors
    services.recognition_record(
        actor=personas.coordinator,
        mobility=completed,
        items=[
            {
                "title": "Databases",
                "credits": "6",
                "home_grade": "5",
                "entry_id": transcript.entries.get(code="BD1").pk,
            }
        ],
        complete=True,
    )
    completed.refresh_from_db()
    assert completed.status == MobilityStatus.RECOGNISED
    (row,) = selectors.recognition_rates(user=personas.coordinator, by="partner")
    assert (row.label, row.figures.planned, row.figures.recognised, row.figures.rate) == (
        "Partner University",
        Decimal(30),
        Decimal(6),
        Decimal("20.0"),
    )
    assert selectors.recognition_rates(user=personas.outsider, by="agreement") == []


def test_overdue_transcripts_use_the_receivers_deadline(personas, completed):
    assert selectors.transcripts_overdue(user=personas.coordinator, today=date(2027, 3, 7)) == []
    (late,) = selectors.transcripts_overdue(user=personas.partner, today=date(2027, 3, 10))
    assert (late.due, late.days_late) == (date(2027, 3, 7), 3)


def test_reminders_go_once_for_waiting_signatures_and_overdue_transcripts(
    personas, completed, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("mobility_reminders", "--today", "2027-03-10")
        call_command("mobility_reminders", "--today", "2027-03-11")
    overdue = [m for m in mail.outbox if "transcript of records" in m.subject and "overdue" in m.subject]
    assert [m.to for m in overdue] == [["partner@example.org"]]


def test_the_transcript_is_written_from_the_version_read(client, personas, completed, scales):
    """Two people at the receiving side record the transcript from the same page: the second is
    refused (412) instead of replacing the first's grades unseen."""
    client.force_login(personas.partner)
    etag = client.get(f"/api/v1/mobilities/{completed.pk}")["ETag"]
    body = {"scale_id": scales[0].pk, "issued_on": "2027-02-20", "entries": ENTRIES}
    url = f"/api/v1/mobilities/{completed.pk}/transcript"
    first = client.put(url, body, content_type="application/json", headers={"If-Match": etag})
    assert first.status_code == 200, first.content
    assert client.get(url)["ETag"] == first["ETag"] != etag
    changed = {**body, "entries": [{**ENTRIES[0], "grade": "5"}]}
    stale = client.put(url, changed, content_type="application/json", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert list(completed.transcript.entries.order_by("pk").values_list("grade", flat=True)) == ["9", "4"]


def test_recognition_is_written_from_the_version_read(client, personas, completed, scales):
    record(personas, completed, scales[0], ENTRIES)
    client.force_login(personas.coordinator)
    url = f"/api/v1/mobilities/{completed.pk}"
    etag = client.get(url)["ETag"]
    items = {"items": [{"title": "Databases", "credits": "6", "home_grade": "5"}], "complete": False}
    saved = client.put(
        f"{url}/recognition", items, content_type="application/json", headers={"If-Match": etag}
    )
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != etag
    stale = client.put(
        f"{url}/recognition",
        {**items, "complete": True},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert stale.status_code == 412
    completed.refresh_from_db()
    assert completed.status == MobilityStatus.COMPLETED


def test_the_mobility_list_answers_not_modified_until_a_mobility_changes(client, personas, completed, scales):
    client.force_login(personas.coordinator)
    listed = client.get("/api/v1/mobilities/")
    etag = listed["ETag"]
    assert client.get("/api/v1/mobilities/", headers={"If-None-Match": etag}).status_code == 304
    record(personas, completed, scales[0], ENTRIES)
    assert client.get("/api/v1/mobilities/", headers={"If-None-Match": etag}).status_code == 200
