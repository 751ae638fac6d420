from django.urls import path

from accord.core import views

app_name = "core"
urlpatterns = [
    path("<uuid:job_id>/", views.job_status, name="job-status"),
]
