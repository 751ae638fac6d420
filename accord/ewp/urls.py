from django.urls import path

from accord.ewp import iia_views, omobility_la_views, views

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
    path("omobilities/las/get", omobility_la_views.omobility_las_get, name="omobility-las-get"),
    path("omobilities/las/index", omobility_la_views.omobility_las_index, name="omobility-las-index"),
    path("omobilities/las/update", omobility_la_views.omobility_las_update, name="omobility-las-update"),
    path("omobilities/las/stats", omobility_la_views.omobility_las_stats, name="omobility-las-stats"),
    path("omobilities/las/cnr", omobility_la_views.omobility_la_cnr, name="omobility-la-cnr"),
]
