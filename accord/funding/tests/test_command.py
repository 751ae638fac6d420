"""``manage.py grant_calculate``: per id the total and the lines; invalid entries reported by id."""

import json

from django.core.management import call_command

ENTRIES = [
    {
        "id": "long",
        "activity": "student-studies",
        "start": "2024-09-01",
        "end": "2025-01-31",
        "distance_km": 1200,
        "green_travel": False,
        "fewer_opportunities": True,
        "country_group": 2,
    },
    {
        "id": "staff",
        "activity": "staff-teaching",
        "start": "2025-05-05",
        "end": "2025-05-09",
        "from": {"country": "FR", "city": "Lyon"},
        "to": {"country": "PL", "city": "Kraków"},
        "travel_days": 2,
    },
    {
        "id": "reversed",
        "activity": "student-studies",
        "start": "2025-03-01",
        "end": "2025-02-01",
        "country_group": 1,
    },
    {
        "id": "nowhere",
        "activity": "staff-training",
        "start": "2025-05-05",
        "end": "2025-05-09",
        "from": {"country": "FR", "city": "Xyzzyville"},
        "to": {"country": "PL", "city": "Kraków"},
    },
    {"id": "too-long", "activity": "student-short-term", "start": "2025-05-01", "end": "2025-06-30"},
]


def test_grant_calculate_prints_totals_and_lines_and_reports_bad_entries(tmp_path, capsys, db):
    file = tmp_path / "mobilities.json"
    file.write_text(json.dumps(ENTRIES), encoding="utf-8")
    call_command("grant_calculate", "--rules", "erasmus-ka131-2024", str(file), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["long"]["total"] == "4338.00"
    assert result["long"]["lines"][0] == {
        "label": "Individual support × 5 months",
        "quantity": "5",
        "rate": "540",
        "amount": "2700.00",
    }
    # Lyon–Kraków is about 1,220 km: 7 days × 140 (Poland, group 3) + 309.
    assert result["staff"]["total"] == "1289.00"
    assert result["reversed"] == {
        "errors": [{"rule": "end", "message": "The end date is before the start date."}]
    }
    assert result["nowhere"]["errors"][0]["rule"] == "from"
    assert result["too-long"]["errors"][0]["rule"] == "activities.student-short-term.duration"
