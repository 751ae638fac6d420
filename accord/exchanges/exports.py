"""The applications list as CSV or XLSX, with the same filters as the page and the API."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from accord.algorithms.allocation.selection import normalise_grade

HEADER = [
    "id",
    "student",
    "email",
    "status",
    "grade_average",
    "grading_scale",
    "grade_0_10",
    "eqf_level",
    "isced_code",
    "year_of_study",
    "languages",
    "priority",
    "reviews",
    "review_average",
    "choices",
    "submitted_at",
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _row(application) -> list:
    average = application.review_average
    return [
        application.pk,
        application.student.get_full_name() or application.student.username,
        application.student.email,
        application.status,
        float(application.grade_average),
        application.grading_scale,
        normalise_grade(float(application.grade_average), application.grading_scale),
        application.eqf_level,
        application.isced_code,
        application.year_of_study,
        ", ".join(f"{code} {level}" for code, level in sorted(application.languages.items())),
        "yes" if application.priority else "no",
        application.review_count,
        round(float(average), 2) if average is not None else "",
        " > ".join(choice.place.name for choice in application.choices.all()),
        application.submitted_at.isoformat() if application.submitted_at else "",
    ]


def applications_export(applications, fmt: str, filename: str) -> HttpResponse:
    rows = [HEADER, *(_row(application) for application in applications)]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        content: bytes = buffer.getvalue().encode("utf-8-sig")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Applications")
        for row in rows:
            sheet.append(row)
        output = io.BytesIO()
        workbook.save(output)
        content = output.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
