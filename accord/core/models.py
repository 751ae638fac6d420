import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Job(models.Model):
    """A piece of background work a user started and may watch (an import, a report, an allocation).

    Tasks update ``progress`` as they go so that the UI can show a progress bar; the row outlives the
    Celery task so the result (or the error report) stays available after a restart.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class IdempotentRequest(models.Model):
    """A create that a client or a form may send twice, and the answer it got the first time.

    Scripts and partners send ``Idempotency-Key`` with an API ``POST``; forms that create records
    carry a key in a hidden field. The same key from the same credentials within 24 hours gets the
    stored answer instead of creating again (``accord.core.idempotency``)."""

    scope = models.CharField(max_length=64, help_text=_("A digest of the credentials that sent the key."))
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=2000)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    content = models.BinaryField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
