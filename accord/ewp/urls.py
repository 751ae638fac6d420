from django.urls import path

from accord.ewp.notify import receivers
from accord.ewp.page import views as page
from accord.ewp.serve import (
    discovery,
    factsheet,
    iias,
    imobilities,
    institutions,
    omobilities,
    omobility_las,
    stats,
    tors,
)

app_name = "ewp"

urlpatterns = [
    # The EWP page of an institution, for its admins (the rest are the EWP APIs themselves).
    path("node/<int:pk>/", page.page, name="page"),
    path("node/<int:pk>/serve", page.serve, name="page-serve"),
    path("node/<int:pk>/key", page.key, name="page-key"),
    path("node/<int:pk>/key/<str:which>.pem", page.public_key, name="page-public-key"),
    path("node/<int:pk>/outbox/<int:notification_id>/retry", page.retry, name="page-retry"),
    path("node/<int:pk>/selftest", page.selftest, name="page-selftest"),
    path("node/<int:pk>/selftest/progress", page.selftest_progress, name="page-selftest-progress"),
    path("node/<int:pk>/iias/import", page.iias_import, name="page-iias-import"),
    path("node/<int:pk>/iias/export.xml", page.iias_export, name="page-iias-export"),
    path("node/<int:pk>/status", page.overview, name="page-overview"),
    path("manifest/<str:hei_id>.xml", discovery.manifest, name="manifest"),
    path("echo", discovery.echo, name="echo"),
    path("institutions", institutions.institutions, name="institutions"),
    path("ounits", institutions.ounits, name="ounits"),
    path("iias/get", iias.iias_get, name="iias-get"),
    path("iias/index", iias.iias_index, name="iias-index"),
    path("iias/stats", iias.iias_stats, name="iias-stats"),
    path("iias/approval", iias.iias_approval, name="iias-approval"),
    path("iias/cnr", receivers.iia_cnr, name="iia-cnr"),
    path("iias/approval-cnr", receivers.iia_approval_cnr, name="iia-approval-cnr"),
    path("omobilities/las/get", omobility_las.omobility_las_get, name="omobility-las-get"),
    path("omobilities/las/index", omobility_las.omobility_las_index, name="omobility-las-index"),
    path("omobilities/las/update", omobility_las.omobility_las_update, name="omobility-las-update"),
    path("omobilities/las/stats", omobility_las.omobility_las_stats, name="omobility-las-stats"),
    path("omobilities/las/cnr", receivers.omobility_la_cnr, name="omobility-la-cnr"),
    path(
        "omobilities/las/incoming-stats",
        stats.omobility_la_incoming_stats,
        name="omobility-las-incoming-stats",
    ),
    path("omobilities/stats", stats.omobility_stats, name="omobility-stats"),
    path("omobilities/get", omobilities.omobilities_get, name="omobilities-get"),
    path("omobilities/index", omobilities.omobilities_index, name="omobilities-index"),
    path("omobilities/update", omobilities.omobilities_update, name="omobilities-update"),
    path("omobilities/cnr", receivers.omobility_cnr, name="omobility-cnr"),
    path("imobilities/get", imobilities.imobilities_get, name="imobilities-get"),
    path("imobilities/cnr", receivers.imobility_cnr, name="imobility-cnr"),
    path("factsheet", factsheet.factsheet, name="factsheet"),
    path("imobilities/tors/get", tors.imobility_tors_get, name="imobility-tors-get"),
    path("imobilities/tors/index", tors.imobility_tors_index, name="imobility-tors-index"),
    path("imobilities/tors/cnr", receivers.imobility_tor_cnr, name="imobility-tor-cnr"),
    path("imobilities/tors/stats", stats.imobility_tor_stats, name="imobility-tor-stats"),
]
