from django.urls import path

from accord.exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("calls/new/", views.call_edit, name="call-create"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call-edit"),
    path("calls/<int:pk>/applications/", views.application_list, name="applications"),
    path(
        "calls/<int:pk>/applications/export.<str:fmt>", views.application_export, name="applications-export"
    ),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("calls/<int:pk>/allocation/", views.allocation, name="allocation"),
    # Last among the call routes: the other call pages would otherwise match it.
    path("calls/<int:pk>/<str:action>/", views.call_action, name="call-action"),
    path("places/<int:pk>/", views.place_edit, name="place-edit"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        views.application_document,
        name="application-document",
    ),
    path("applications/<int:pk>/<str:action>/", views.application_action, name="application-action"),
    path("nominations/", views.nominations, name="nominations"),
]
