from django.urls import path

from accord.agreements.views import documents, editing, index, page

app_name = "agreements"
urlpatterns = [
    path("", index.agreement_list, name="list"),
    path("new/", index.create, name="create"),
    # An agreement and what it keeps: versions, diffs, partners' copies, the PDF, attachments
    path("<int:pk>/", page.detail, name="detail"),
    path("<int:pk>/versions/", documents.versions, name="versions"),
    path("<int:pk>/diff/", documents.diff, name="diff"),
    path("<int:pk>/copies/<int:org_id>/", documents.partner_copy, name="partner_copy"),
    path("<int:pk>/pdf/", documents.pdf, name="pdf"),
    path("<int:pk>/attachments/<int:attachment_id>/", documents.attachment_download, name="attachment"),
    # Editing in place; a condition is named by ?key=…, since keys are free text
    path("<int:pk>/conditions/edit/", editing.condition_edit, name="condition-edit"),
    path("<int:pk>/conditions/remove/", editing.condition_remove, name="condition-remove"),
    path("<int:pk>/terms/", editing.terms_edit, name="terms"),
    # The lifecycle
    path("<int:pk>/share/", editing.share, name="share"),
    path("<int:pk>/approve/", editing.approve, name="approve"),
    path("<int:pk>/renew/", editing.renew, name="renew"),
    path("<int:pk>/terminate/", editing.terminate, name="terminate"),
    path("<int:pk>/attachments/new/", editing.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        editing.attachment_remove,
        name="attachment-remove",
    ),
]
