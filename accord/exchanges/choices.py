from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.workflow import TransitionTable


class MobilityType(models.TextChoices):
    """What a call offers; the first four match the agreements' cooperation conditions."""

    STUDENT_STUDIES = "student_studies", _("Student mobility for studies")
    STUDENT_TRAINEESHIP = "student_traineeship", _("Student traineeship")
    STAFF_TEACHING = "staff_teaching", _("Staff mobility for teaching")
    STAFF_TRAINING = "staff_training", _("Staff mobility for training")
    BLENDED_INTENSIVE_PROGRAMME = "blended_intensive_programme", _("Blended intensive programme")
    VIRTUAL_EXCHANGE = "virtual_exchange", _("Virtual exchange")


# Which agreement conditions a call of each type draws its places from (and whether they must be
# blended); a virtual exchange needs no mobility quota, so its places are added by hand.
CONDITION_TYPES: dict[str, tuple[str, bool]] = {
    MobilityType.STUDENT_STUDIES: ("student_studies", False),
    MobilityType.STUDENT_TRAINEESHIP: ("student_traineeship", False),
    MobilityType.STAFF_TEACHING: ("staff_teaching", False),
    MobilityType.STAFF_TRAINING: ("staff_training", False),
    MobilityType.BLENDED_INTENSIVE_PROGRAMME: ("student_studies", True),
}


class Term(models.TextChoices):
    FULL_YEAR = "full_year", _("Full academic year")
    AUTUMN = "autumn", _("Autumn / first semester")
    SPRING = "spring", _("Spring / second semester")


class CallStatus(models.TextChoices):
    """``draft``: being prepared; ``open``: students apply; ``closed``: no more applications, reviewers
    finish; ``allocated``: a run exists and is not yet published; ``published``: applicants were told."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ALLOCATED = "allocated", _("Allocated")
    PUBLISHED = "published", _("Published")


ALLOWED_TRANSITIONS = TransitionTable(
    CallStatus,
    {
        CallStatus.DRAFT: {CallStatus.OPEN},
        CallStatus.OPEN: {CallStatus.CLOSED},
        CallStatus.CLOSED: {CallStatus.OPEN, CallStatus.ALLOCATED},
        CallStatus.ALLOCATED: {CallStatus.ALLOCATED, CallStatus.PUBLISHED},
        CallStatus.PUBLISHED: {CallStatus.ALLOCATED, CallStatus.PUBLISHED},
    },
    noun=_("call"),
)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXCLUDED = "excluded", _("Excluded by the coordinator")


class BulkAction(models.TextChoices):
    EXCLUDE = "exclude", _("Exclude from the allocation")
    REINSTATE = "reinstate", _("Reinstate")


class RunKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    REALLOCATION = "reallocation", _("Re-allocation")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the partner")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_NOMINATIONS = frozenset({NominationStatus.PENDING, NominationStatus.ACCEPTED})


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    OPENED = "opened", _("Opened")
    CLOSED = "closed", _("Closed")
    PLACES_GENERATED = "places_generated", _("Places generated from agreements")
    ALLOCATED = "allocated", _("Allocation run")
    OVERRIDDEN = "overridden", _("Assignment overridden")
    PUBLISHED = "published", _("Published")
    REALLOCATED = "reallocated", _("Re-allocation run")
    BULK = "bulk", _("Bulk action on applications")
