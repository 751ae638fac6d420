from django.urls import path

from accord.discovery import views

app_name = "discovery"

urlpatterns = [
    path("", views.partners, name="partners"),
    path("invite/<int:organisation_pk>/<int:candidate_pk>/", views.invite, name="invite"),
    path("equivalents/", views.equivalents, name="equivalents"),
    path("equivalents/approve/<int:course_pk>/", views.approve, name="approve"),
    path("index/", views.reindex, name="reindex"),
]
