"""Files attached to an agreement (signed scans, annexes), served by access-checked views."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accord.agreements.choices import EventKind
from accord.agreements.models import (
    Agreement,
    AgreementAttachment,
)
from accord.agreements.querysets import AgreementAction
from accord.agreements.services._common import (
    _event,
    _require,
)
from accord.core.errors import ValidationFailed

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
    "text/plain",
}


@transaction.atomic
def attachment_add(*, actor, agreement: Agreement, title: str, uploaded_file) -> AgreementAttachment:
    _require(actor, AgreementAction.EDIT, agreement)
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the attachment a title.")
    if uploaded_file.size > settings.ACCORD_MAX_ATTACHMENT_BYTES:
        limit = settings.ACCORD_MAX_ATTACHMENT_BYTES // (1024 * 1024)
        errors["file"] = _("The file is larger than %(limit)s MB.") % {"limit": limit}
    content_type = (uploaded_file.content_type or "").split(";")[0].strip()
    if content_type not in ALLOWED_ATTACHMENT_TYPES:
        errors["file"] = _("Attach a PDF, Word or OpenDocument text, PNG, JPEG or plain-text file.")
    if errors:
        raise ValidationFailed(errors)
    attachment = AgreementAttachment.objects.create(
        agreement=agreement,
        title=title.strip(),
        file=uploaded_file,
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    _event(agreement, EventKind.ATTACHMENT_ADDED, actor=actor, message=attachment.title)
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: AgreementAttachment) -> None:
    _require(actor, AgreementAction.EDIT, attachment.agreement)
    _event(attachment.agreement, EventKind.ATTACHMENT_REMOVED, actor=actor, message=attachment.title)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
