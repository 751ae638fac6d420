from django.urls import path

from accord.funding.views import grants, overview, rules

app_name = "funding"

urlpatterns = [
    path("", overview.home, name="home"),
    path("budgets/<int:pk>/", overview.budget, name="budget"),
    path("budgets/<int:pk>/summary.pdf", overview.budget_pdf, name="budget-pdf"),
    path("runway/", overview.runway, name="runway"),
    path("reports/", overview.report, name="report"),
    path("beneficiary-module.<str:fmt>", overview.beneficiary_export, name="beneficiary-export"),
    path("rules/<int:pk>/", rules.rule_set, name="rule-set"),
    path("rules/<int:pk>/draft/", rules.draft, name="rule-set-draft"),
    path("rules/versions/<int:pk>/edit/", rules.version_edit, name="version-edit"),
    path("rules/versions/<int:pk>/publish/", rules.publish, name="version-publish"),
    path("grants/", grants.grant_list, name="grants"),
    path("grants/<int:pk>/", grants.grant_detail, name="grant"),
    path("grants/<int:pk>/edit/", grants.grant_edit, name="grant-edit"),
    path("grants/<int:pk>/payments/", grants.payment_add, name="payment-add"),
    path("grants/<int:pk>/agreement.pdf", grants.grant_pdf, name="grant-pdf"),
    path("mobilities/<int:mobility_pk>/grant/", grants.grant_create, name="grant-create"),
    path("forecast/", grants.forecast, name="forecast"),
    path("forecast/applicants/", grants.applicant_forecast, name="applicant-forecast"),
]
