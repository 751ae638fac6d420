from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    """Where the agreement stands as a whole.

    ``draft``: its current version has not been shared with the partners yet; ``shared``: it has, and
    the partners' approvals are awaited; ``in_effect``: every party approved one version (a newer,
    amending version may be awaiting approval meanwhile, and the approved one stays in effect until it
    is replaced); ``terminated`` and ``expired`` are final.
    """

    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with partners")
    IN_EFFECT = "in_effect", _("In effect")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


FINAL_STATUSES = frozenset({AgreementStatus.TERMINATED, AgreementStatus.EXPIRED})


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    RENEWED = "renewed", _("Renewed")
    SHARED = "shared", _("Shared")
    APPROVED = "approved", _("Approved")
    IN_EFFECT = "in_effect", _("In effect")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
    PARTNER_COPY_RECEIVED = "partner_copy", _("Partner's copy received")
    REMINDER_SENT = "reminder_sent", _("Expiry reminder sent")


class PartnerCopySource(models.TextChoices):
    EWP = "ewp", _("Erasmus Without Paper")
    FILE = "file", _("File")
    API = "api", _("API")
