"""Agreements and their versions, approvals, partner copies, attachments and audit trail.

What an agreement *says* lives in :class:`AgreementVersion.content`, the JSON document of
:mod:`accord.algorithms.agreements.content`; the rows here record who wrote, shared and approved which
version, and when. Versions are never changed once written: an edit is a new version, so that an
approval, which names one version and the hash of its cooperation conditions, keeps meaning exactly
what the approver saw.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.agreements.choices import AgreementStatus, EventKind, PartnerCopySource
from accord.agreements.querysets import AgreementQuerySet
from accord.core.models import TimeStampedModel

SHA256_HEX_LENGTH = 64


class Agreement(TimeStampedModel):
    """An agreement between two or more organisations of one partnership.

    ``owner`` is the party that drafts it and keeps the record; the other parties see it once it is
    shared and approve it for their organisation. ``current_version`` is the newest version,
    ``approved_version`` the newest one every party approved (the one in effect).
    """

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="agreements"
    )
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT, editable=False
    )
    parties = models.ManyToManyField(
        "organisations.Organisation", through="AgreementParty", related_name="agreements"
    )
    contacts = models.ManyToManyField(
        "organisations.Contact",
        blank=True,
        related_name="agreements",
        help_text=_("The people told when the agreement is shared, approved, amended or about to expire."),
    )
    # SET_NULL only so that deleting an agreement can cascade to its versions; versions are never
    # deleted on their own.
    current_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The last day of the last academic year of the version in effect."),
    )
    terminated_at = models.DateTimeField(null=True, blank=True, editable=False)
    termination_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["ends_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def version(self) -> int:
        """The number of the current version. Agreements count their versions themselves (every change
        of content is a new immutable version), so the API's ETag and If-Match name that number
        instead of a second counter; title and contacts are record keeping and do not change it."""
        return self.current_version.number if self.current_version else 0

    @property
    def amendment_pending(self) -> bool:
        """Whether a newer version than the one in effect exists."""
        return self.approved_version_id is not None and self.approved_version_id != self.current_version_id


class AgreementParty(models.Model):
    """An organisation bound by the agreement, in the order the current version lists the partners."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_links")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in agreement {self.agreement_id}"


class AgreementVersion(models.Model):
    """One immutable text of the agreement; ``number`` counts from 1 within the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    conditions_hash = models.CharField(max_length=SHA256_HEX_LENGTH)
    terms_hash = models.CharField(max_length=SHA256_HEX_LENGTH)
    summary = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class AgreementApproval(models.Model):
    """One party's approval of one version, with the hash of the conditions the approver saw."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="approvals")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="approvals")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    conditions_hash = models.CharField(max_length=SHA256_HEX_LENGTH)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["approved_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="approval_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"Approval by {self.organisation_id} of version {self.version_id}"


class PartnerCopy(models.Model):
    """The agreement as a partner holds it (received through EWP or a file), kept to compare with ours.

    In EWP each partner keeps its own copy and approves the other's: ``approved_hash`` records that our
    institution approved this copy, by the partner's hash, which the node serves back to the partner.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partner_copies")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()
    conditions_hash = models.CharField(max_length=SHA256_HEX_LENGTH)
    source = models.CharField(max_length=8, choices=PartnerCopySource.choices)
    remote_id = models.CharField(_("partner's agreement id"), max_length=255, blank=True)
    remote_hash = models.CharField(
        max_length=SHA256_HEX_LENGTH, blank=True, help_text=_("The hash the partner reported, if any.")
    )
    received_at = models.DateTimeField(default=timezone.now)
    # Our institution's approval of the partner's own copy (EWP IIAs Approval API): the hash approved is
    # the partner's, as received and verified, so that the partner can tell which text we approved.
    approved_hash = models.CharField(
        max_length=SHA256_HEX_LENGTH,
        blank=True,
        help_text=_("The partner's hash of its copy that our institution approved, if any."),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="one_copy_per_partner"),
        ]

    def __str__(self) -> str:
        return f"Copy of agreement {self.agreement_id} from {self.organisation_id}"


def attachment_path(instance: "AgreementAttachment", filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{filename}"


class AgreementAttachment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(upload_to=attachment_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AgreementEvent(models.Model):
    """The audit trail: every write to an agreement appends one event; ``changes`` lists the diff."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class ExpiryReminder(models.Model):
    """A reminder already sent, so that each threshold before an end date is sent once."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="expiry_reminders")
    ends_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "ends_on", "days_before"], name="expiry_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.days_before} days before {self.ends_on}"
