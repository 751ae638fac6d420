from django.urls import path

from accord.bips.views import bip, participants

app_name = "bips"

urlpatterns = [
    path("", bip.bip_list, name="list"),
    path("new/", bip.create, name="create"),
    path("<int:pk>/", bip.detail, name="detail"),
    path("<int:pk>/edit/", bip.edit, name="edit"),
    path("<int:pk>/transition/", bip.transition, name="transition"),
    path("<int:pk>/partners/", bip.partner_add, name="partner-add"),
    path("<int:pk>/components/", bip.component_add, name="component-add"),
    path("<int:pk>/nominate/", participants.nominate, name="nominate"),
    path("<int:pk>/participants/<int:participant_pk>/decide/", participants.decide, name="decide"),
    path("<int:pk>/participants/<int:participant_pk>/withdraw/", participants.withdraw, name="withdraw"),
    path("<int:pk>/attendance/", participants.attendance, name="attendance"),
    path("<int:pk>/participants.<str:fmt>", participants.export, name="export"),
]
