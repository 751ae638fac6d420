"""Conversion finds its tables as EGRACONS practice does (same field and cycle, else the broader field,
else every field of the cycle, else tables for every cycle) and says which it used; the manual
conversion explains what is missing on its fields."""

from datetime import date

import pytest

from accord.core.errors import Conflict, ValidationFailed
from accord.mobilities import services
from accord.mobilities.models import GradeConversion, Mobility
from accord.mobilities.tests.test_grades import ENTRIES, HOME_CSV, HOST_CSV, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(personas, mobility, approved):
    services.mobility_record_dates(
        actor=personas.partner, mobility=mobility, actual_start=date(2026, 9, 1), actual_end=date(2027, 1, 31)
    )
    Mobility.objects.filter(pk=mobility.pk).update(isced_code="0413")
    mobility.refresh_from_db()
    return mobility


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
    services.settings_save(
        actor=personas.coordinator,
        organisation=personas.home,
        conversion_policy="middle",
        transcript_days=35,
        home_scale=home,
    )
    return host, home


def table(personas, scales, side, isced_code="", eqf_level=None):
    actor, organisation, scale, data = (
        (personas.partner, personas.partner_org, scales[0], HOST_CSV)
        if side == "host"
        else (personas.coordinator, personas.home, scales[1], HOME_CSV)
    )
    return services.grade_table_import(
        actor=actor,
        organisation=organisation,
        scale=scale,
        filename="t.csv",
        data=data.encode(),
        isced_code=isced_code,
        eqf_level=eqf_level,
    )


def convert(personas, completed, scales):
    entry = record(personas, completed, scales[0], ENTRIES).entries.get(code="BD1")
    return services.grade_convert(actor=personas.coordinator, entry=entry)


def test_the_reported_mobility_in_0413_converts_with_the_broad_field_tables(personas, completed, scales):
    host = table(personas, scales, "host", "04", 6)
    home = table(personas, scales, "home", "04", 6)
    table(personas, scales, "host", "", None)
    conversion = convert(personas, completed, scales)
    assert (conversion.host_table, conversion.home_table) == (host, home)
    assert conversion.tables_used == (
        "Converted with the tables for broad field 04 Business, administration and law, EQF 6 "
        "(no table for 0413)."
    )


def test_a_common_group_wins_over_a_narrower_table_of_one_side(personas, completed, scales):
    table(personas, scales, "host", "0413", 6)
    host = table(personas, scales, "host", "", 6)
    home = table(personas, scales, "home", "", 6)
    conversion = convert(personas, completed, scales)
    assert (conversion.host_table, conversion.home_table) == (host, home)
    assert conversion.tables_used == "Converted with the tables for all fields, EQF 6 (no table for 0413)."


def test_the_exact_group_says_nothing_is_missing_and_general_tables_say_every_cycle(
    personas, completed, scales
):
    table(personas, scales, "host", "", None)
    table(personas, scales, "home", "", None)
    general = convert(personas, completed, scales)
    assert general.tables_used == (
        "Converted with the tables for all fields, every cycle (no table for 0413 at EQF 6)."
    )
    table(personas, scales, "host", "0413", 6)
    table(personas, scales, "home", "0413", 6)
    exact = convert(personas, completed, scales)
    assert exact.tables_used == (
        "Converted with the tables for detailed field 0413 Management and administration, EQF 6."
    )


def test_without_a_fitting_table_the_refusal_names_the_side_and_the_group(personas, completed, scales):
    table(personas, scales, "host", "04", 6)
    table(personas, scales, "home", "05", 6)
    with pytest.raises(Conflict) as caught:
        convert(personas, completed, scales)
    assert caught.value.message == (
        "No grade distribution table of the sending institution fits detailed field 0413 Management and "
        "administration, EQF 6, nor a broader field or cycle; convert the grade by hand with a reason."
    )


def test_the_api_and_the_pages_show_the_tables_used(client, personas, completed, scales):
    table(personas, scales, "host", "04", 6)
    table(personas, scales, "home", "04", 6)
    entry = record(personas, completed, scales[0], ENTRIES).entries.get(code="BD1")
    client.force_login(personas.coordinator)
    page = client.get(f"/mobilities/{completed.pk}/entries/{entry.pk}/convert/").content.decode()
    assert "broad field 04 Business, administration and law, EQF 6 (no table for 0413)" in page
    converted = client.post(
        f"/api/v1/mobilities/{completed.pk}/transcript/entries/{entry.pk}/conversion",
        {},
        content_type="application/json",
    )
    assert converted.status_code == 200, converted.content
    assert "broad field 04" in converted.json()["tables_used"]
    transcript = client.get(f"/api/v1/mobilities/{completed.pk}/transcript").json()
    assert "broad field 04" in transcript["entries"][0]["conversion"]["tables_used"]
    assert "broad field 04" in client.get(f"/mobilities/{completed.pk}/").content.decode()


def test_the_manual_conversion_explains_each_missing_field(client, personas, completed, scales):
    entry = record(personas, completed, scales[0], ENTRIES).entries.get(code="BD1")
    with pytest.raises(ValidationFailed) as caught:
        services.grade_convert_manual(actor=personas.coordinator, entry=entry, home_grade="", reason="")
    assert caught.value.errors == {
        "home_grade": ["Give the home grade, one of Polish 2-5: 5, 4.5, 4, 3.5, 3, 2."],
        "reason": ["Say why no table is used: the student reads this reason."],
    }
    with pytest.raises(ValidationFailed) as caught:
        services.grade_convert_manual(actor=personas.coordinator, entry=entry, home_grade="B", reason="x")
    assert "'B' is not a grade of Polish 2-5" in caught.value.errors["home_grade"][0]

    client.force_login(personas.coordinator)
    url = f"/mobilities/{completed.pk}/entries/{entry.pk}/convert/"
    page = client.post(url, {"manual": "1", "home_grade": "", "reason": ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Give the home grade" in html and "Say why no table is used" in html
    assert 'data-testid="manual"' in html and "open" in html.split('data-testid="manual"')[0][-20:]
    assert not GradeConversion.objects.exists()
    done = client.post(url, {"manual": "1", "home_grade": "4.5", "reason": "No table for 0413 yet"})
    assert done.status_code == 302
    assert GradeConversion.objects.get().home_grade == "4.5"
