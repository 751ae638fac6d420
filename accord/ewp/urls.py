from django.urls import path

from accord.ewp.serve import (
    discovery_views,
    factsheet_views,
    iia_views,
    imobilities_views,
    omobilities_views,
    omobility_la_views,
    stats_views,
    tor_views,
)

app_name = "ewp"

urlpatterns = [
    path("manifest/<str:hei_id>.xml", discovery_views.manifest, name="manifest"),
    path("echo", discovery_views.echo, name="echo"),
    path("institutions", discovery_views.institutions, name="institutions"),
    path("ounits", discovery_views.ounits, name="ounits"),
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
    path(
        "omobilities/las/incoming-stats",
        stats_views.omobility_la_incoming_stats,
        name="omobility-las-incoming-stats",
    ),
    path("omobilities/stats", stats_views.omobility_stats, name="omobility-stats"),
    path("omobilities/get", omobilities_views.omobilities_get, name="omobilities-get"),
    path("omobilities/index", omobilities_views.omobilities_index, name="omobilities-index"),
    path("omobilities/update", omobilities_views.omobilities_update, name="omobilities-update"),
    path("omobilities/cnr", omobilities_views.omobility_cnr, name="omobility-cnr"),
    path("imobilities/get", imobilities_views.imobilities_get, name="imobilities-get"),
    path("imobilities/cnr", imobilities_views.imobility_cnr, name="imobility-cnr"),
    path("factsheet", factsheet_views.factsheet, name="factsheet"),
    path("imobilities/tors/get", tor_views.imobility_tors_get, name="imobility-tors-get"),
    path("imobilities/tors/index", tor_views.imobility_tors_index, name="imobility-tors-index"),
    path("imobilities/tors/cnr", tor_views.imobility_tor_cnr, name="imobility-tor-cnr"),
    path("imobilities/tors/stats", stats_views.imobility_tor_stats, name="imobility-tor-stats"),
]
