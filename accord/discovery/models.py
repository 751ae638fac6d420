from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.discovery.choices import EquivalenceSource


class CourseVector(models.Model):
    """A course's place in the semantic index: the embedding of its texts by ``model``, and the hash of
    the texts it was computed from, so that re-indexing skips what did not change. Stored as float32
    bytes (the numpy path); decision 19 says why not pgvector yet."""

    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    indexed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"vector of course {self.course_id}"


class ApprovedEquivalence(models.Model):
    """An institution's decision that a host course counts as one of its own courses: what suggestions
    remember. Coordinators record it from a suggestion; recognitions in transcripts and approved
    learning agreements are read as well (see ``memory``), without being copied here."""

    home_course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="equivalences")
    host_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    host_code = models.CharField(_("host course code"), max_length=64, blank=True)
    host_title = models.CharField(_("host course title"), max_length=255)
    source = models.CharField(
        max_length=24, choices=EquivalenceSource.choices, default=EquivalenceSource.MANUAL
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["home_course", "host_organisation", "host_code", "host_title"],
                name="equivalence_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.host_title} → {self.home_course_id}"


class CatalogueRevision(models.Model):
    """A number that every change to an institution's catalogue or to its vectors moves on, in the
    change's own transaction: searches keep a catalogue's index in memory and read only this row to
    know whether it is still current (``catalogue_index``)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    revision = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"catalogue {self.organisation_id} at revision {self.revision}"


class ProfileVector(models.Model):
    """An organisation's profile (mission, offer, seek) in the semantic index, so that partner
    recommendations compare profiles across languages; kept like ``CourseVector``."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    model = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    indexed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"vector of organisation {self.organisation_id}"
