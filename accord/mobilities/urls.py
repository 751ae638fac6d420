from django.urls import path

from accord.mobilities import views

app_name = "mobilities"
urlpatterns = [
    path("", views.mobility_list, name="list"),
    path("new/", views.create, name="create"),
    path("recognition/", views.recognition_rates, name="rates"),
    path("grading/", views.grading, name="grading"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/dates/", views.dates, name="dates"),
    path("<int:pk>/participant/", views.participant_details, name="participant"),
    # The learning agreement: proposals, signatures, comments, delegation, history, PDF
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/delegate/", views.delegate, name="delegate"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    # After the stay
    path("<int:pk>/transcript/", views.transcript, name="transcript"),
    path("<int:pk>/entries/<int:entry_id>/convert/", views.convert_grade, name="convert"),
    path("<int:pk>/recognition/", views.recognition, name="recognition"),
]
