from django.urls import path

from accord.courses import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("organisation/<int:organisation_pk>/new/", views.create, name="create"),
    path("organisation/<int:organisation_pk>/import/", views.import_file, name="import"),
]
