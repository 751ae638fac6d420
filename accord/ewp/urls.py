from django.urls import path

from accord.ewp import iia_views, views

app_name = "ewp"

urlpatterns = [
    path("manifest/<str:hei_id>.xml", views.manifest, name="manifest"),
    path("echo", views.echo, name="echo"),
    path("institutions", views.institutions, name="institutions"),
    path("ounits", views.ounits, name="ounits"),
    path("iias/get", iia_views.iias_get, name="iias-get"),
    path("iias/index", iia_views.iias_index, name="iias-index"),
    path("iias/stats", iia_views.iias_stats, name="iias-stats"),
    path("iias/approval", iia_views.iias_approval, name="iias-approval"),
    path("iias/cnr", iia_views.iia_cnr, name="iia-cnr"),
    path("iias/approval-cnr", iia_views.iia_approval_cnr, name="iia-approval-cnr"),
]
