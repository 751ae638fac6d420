from django.urls import path

from accord.mobilities.views import (
    grading,
    learning_agreement,
    lists,
    mobility,
    recognition,
    staff,
    transcript,
)

app_name = "mobilities"
urlpatterns = [
    path("", lists.mobility_list, name="list"),
    path("new/", mobility.create, name="create"),
    path("recognition/", lists.recognition_rates, name="rates"),
    path("staff/", staff.staff_home, name="staff"),
    path("staff/invite/", staff.staff_invite, name="staff_invite"),
    path("grading/", grading.grading, name="grading"),
    path("<int:pk>/", mobility.detail, name="detail"),
    path("<int:pk>/status/", mobility.transition, name="transition"),
    path("<int:pk>/edit/", mobility.edit, name="edit"),
    path("<int:pk>/dates/", mobility.dates, name="dates"),
    path("<int:pk>/participant/", mobility.participant_details, name="participant"),
    # The learning agreement: proposals, signatures, comments, delegation, history, PDF
    path("<int:pk>/propose/", learning_agreement.propose, name="propose"),
    path("<int:pk>/sign/", learning_agreement.sign, name="sign"),
    path("<int:pk>/comment/", learning_agreement.comment, name="comment"),
    path("<int:pk>/delegate/", learning_agreement.delegate, name="delegate"),
    path("<int:pk>/versions/", learning_agreement.versions, name="versions"),
    path("<int:pk>/pdf/", learning_agreement.pdf, name="pdf"),
    # After the stay
    path("<int:pk>/transcript/", transcript.transcript, name="transcript"),
    path("<int:pk>/entries/<int:entry_id>/convert/", transcript.convert_grade, name="convert"),
    path("<int:pk>/recognition/", recognition.recognition, name="recognition"),
    # Staff mobility: the mobility agreement's programme, arrival and the certificate of attendance
    path("<int:pk>/staff/", staff.staff_detail, name="staff_detail"),
    path("<int:pk>/staff/propose/", staff.staff_propose, name="staff_propose"),
    path("<int:pk>/staff/sign/", staff.staff_sign, name="staff_sign"),
    path("<int:pk>/staff/comment/", staff.staff_comment, name="staff_comment"),
    path("<int:pk>/staff/accept/", staff.staff_accept, name="staff_accept"),
    path("<int:pk>/staff/arrival/", staff.staff_arrival, name="staff_arrival"),
    path("<int:pk>/staff/certificate/", staff.staff_certificate, name="staff_certificate"),
    path("<int:pk>/staff/certificate.pdf", staff.staff_certificate_pdf, name="staff_certificate_pdf"),
    path("<int:pk>/staff/agreement.pdf", staff.staff_agreement_pdf, name="staff_agreement_pdf"),
]
