"""Statuses and kinds of blended intensive programmes, and the state machine of their lifecycle."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.workflow import TransitionTable


class BipStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for nominations")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Nominations are taken while the BIP is open; the organiser still decides on them while it runs.
# A completed BIP is history; a cancelled one too.
ALLOWED_TRANSITIONS = TransitionTable(
    BipStatus,
    {
        BipStatus.DRAFT: (BipStatus.OPEN, BipStatus.CANCELLED),
        BipStatus.OPEN: (BipStatus.RUNNING, BipStatus.CANCELLED),
        BipStatus.RUNNING: (BipStatus.COMPLETED, BipStatus.CANCELLED),
        BipStatus.COMPLETED: (),
        BipStatus.CANCELLED: (),
    },
    noun=_("blended intensive programme"),
)
EDITABLE_STATUSES = frozenset({BipStatus.DRAFT, BipStatus.OPEN})
NOMINATING_STATUSES = frozenset({BipStatus.OPEN})
DECIDING_STATUSES = frozenset({BipStatus.OPEN, BipStatus.RUNNING})
ATTENDANCE_STATUSES = frozenset({BipStatus.RUNNING, BipStatus.COMPLETED})


class ComponentKind(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual component")
    PHYSICAL = "physical", _("Physical component")


class ComponentTiming(models.TextChoices):
    """When a virtual component takes place, seen from the physical part."""

    BEFORE = "before", _("Before the physical part")
    DURING = "during", _("During the physical part")
    AFTER = "after", _("After the physical part")


class ParticipantKind(models.TextChoices):
    """Students go as blended intensive mobility; staff as staff mobility for teaching or training
    (the Programme Guide counts staff who teach or train in a BIP as staff mobility)."""

    STUDENT = "student", _("Student")
    STAFF_TEACHING = "staff_teaching", _("Staff (teaching)")
    STAFF_TRAINING = "staff_training", _("Staff (training)")


class ParticipantStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The nominations that hold a place (capacity and quotas count them).
ACTIVE_PARTICIPANT_STATUSES = frozenset({ParticipantStatus.NOMINATED, ParticipantStatus.ACCEPTED})
