from django.urls import path

from accord.agreements import views, views_edit

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.create, name="create"),
    # An agreement and what it keeps: versions, diffs, partners' copies, the PDF, attachments
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/copies/<int:org_id>/", views.partner_copy, name="partner_copy"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    # Editing in place (views_edit); a condition is named by ?key=…, since keys are free text
    path("<int:pk>/conditions/edit/", views_edit.condition_edit, name="condition-edit"),
    path("<int:pk>/conditions/remove/", views_edit.condition_remove, name="condition-remove"),
    path("<int:pk>/terms/", views_edit.terms_edit, name="terms"),
    # The lifecycle
    path("<int:pk>/share/", views_edit.share, name="share"),
    path("<int:pk>/approve/", views_edit.approve, name="approve"),
    path("<int:pk>/renew/", views_edit.renew, name="renew"),
    path("<int:pk>/terminate/", views_edit.terminate, name="terminate"),
    path("<int:pk>/attachments/new/", views_edit.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        views_edit.attachment_remove,
        name="attachment-remove",
    ),
]
