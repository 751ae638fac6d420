from django.urls import path

from accord.surveys.views import answer, results, templates

app_name = "surveys"

urlpatterns = [
    path("", results.survey_list, name="list"),
    path("new/", results.open_survey, name="open"),
    path("mine/", answer.mine, name="mine"),
    path("answer/<str:token>/", answer.answer, name="answer"),
    path("<int:pk>/", results.detail, name="detail"),
    path("<int:pk>/results.csv", results.export, name="export"),
    path("<int:pk>/schedule/", results.schedule, name="schedule"),
    path("<int:pk>/invite/", results.invite, name="invite"),
    path("templates/", templates.template_list, name="templates"),
    path("templates/new/", templates.template_create, name="template-create"),
    path("templates/<int:pk>/edit/", templates.template_edit, name="template-edit"),
]
