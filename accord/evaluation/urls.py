from django.urls import path

from accord.evaluation.views import dashboards, objectives, reports

app_name = "evaluation"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("institutions/<int:pk>/", dashboards.institution, name="institution"),
    path("partnerships/<int:pk>/", dashboards.partnership, name="partnership"),
    path("partnerships/<int:pk>/objectives/", objectives.objectives, name="objectives"),
    path("partnerships/<int:pk>/indicators/<int:indicator_pk>/binding/", objectives.bind, name="bind"),
    path("partnerships/<int:pk>/actuals/<int:actual_pk>/evidence/", objectives.evidence, name="evidence"),
    path("programmes/<int:pk>/", dashboards.programme, name="programme"),
    path("portfolio/", dashboards.portfolio, name="portfolio-all"),
    path("portfolio/<int:pk>/", dashboards.portfolio, name="portfolio"),
    path("<str:kind>/<int:pk>/data/<str:table>.csv", dashboards.table_csv, name="csv"),
    path("<str:kind>/<int:pk>/report/", reports.request_report, name="report"),
    path("reports/<uuid:job_id>/", reports.report_status, name="report-status"),
    path("reports/<uuid:job_id>/download/", reports.report_download, name="report-download"),
]
