from django.urls import path

from accord.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
