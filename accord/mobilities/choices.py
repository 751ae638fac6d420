"""Statuses, kinds and the state machines of mobilities and learning agreements.

Sections, change reasons, credit rules and conversion policies repeat the values of the pure modules
(``accord.algorithms.mobility.learning_agreement`` and ``grade_conversion.conversion``) with translatable
labels; a test checks that the two stay equal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.workflow import TransitionTable


class MobilityType(models.TextChoices):
    LONG_TERM_PHYSICAL = "long_term_physical", _("Long-term physical mobility (studies or traineeship)")
    BLENDED = "blended", _("Blended mobility")
    SHORT_TERM_DOCTORAL = "short_term_doctoral", _("Short-term doctoral mobility")
    BLENDED_INTENSIVE = "blended_intensive", _("Blended intensive programme")
    VIRTUAL = "virtual", _("Virtual mobility")
    STAFF_TEACHING = "staff_teaching", _("Staff mobility for teaching")
    STAFF_TRAINING = "staff_training", _("Staff mobility for training")


STAFF_TYPES = frozenset({MobilityType.STAFF_TEACHING, MobilityType.STAFF_TRAINING})
# Which agreement cooperation-condition types each mobility type may count against.
CONDITION_TYPES = {
    MobilityType.STAFF_TEACHING: {"staff_teaching"},
    MobilityType.STAFF_TRAINING: {"staff_training"},
}
STUDENT_CONDITION_TYPES = {"student_studies", "student_traineeship"}


class MobilityStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", _("Accepted by the receiving institution")
    LA_APPROVED = "la_approved", _("Learning agreement approved")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    RECOGNISED = "recognised", _("Recognised")
    CANCELLED = "cancelled", _("Cancelled")


# The whole state machine: every other move is refused. Cancelling is possible until the stay
# ends; a completed or recognised mobility is history.
ALLOWED_TRANSITIONS = TransitionTable(
    MobilityStatus,
    {
        MobilityStatus.NOMINATED: {MobilityStatus.ACCEPTED, MobilityStatus.CANCELLED},
        MobilityStatus.ACCEPTED: {MobilityStatus.LA_APPROVED, MobilityStatus.CANCELLED},
        MobilityStatus.LA_APPROVED: {MobilityStatus.ONGOING, MobilityStatus.CANCELLED},
        MobilityStatus.ONGOING: {MobilityStatus.COMPLETED, MobilityStatus.CANCELLED},
        MobilityStatus.COMPLETED: {MobilityStatus.RECOGNISED},
        MobilityStatus.RECOGNISED: set(),
        MobilityStatus.CANCELLED: set(),
    },
    noun=_("mobility"),
)
# The moves a person makes by hand; the others follow from signatures, dates and recognition.
MANUAL_TRANSITIONS = frozenset({MobilityStatus.ACCEPTED, MobilityStatus.CANCELLED})
# The learning agreement can still change (proposals, signatures) in these statuses.
LA_OPEN_STATUSES = frozenset(
    {MobilityStatus.NOMINATED, MobilityStatus.ACCEPTED, MobilityStatus.LA_APPROVED, MobilityStatus.ONGOING}
)


class MobilitySource(models.TextChoices):
    MANUAL = "manual", _("Entered by a coordinator")
    NOMINATION = "nomination", _("Accepted nomination")
    EWP = "ewp", _("Received from the sending institution over EWP")
    BIP = "bip", _("Accepted for a blended intensive programme")
    VIRTUAL_EXCHANGE = "virtual_exchange", _("Completed a virtual exchange")


class AgreementKind(models.TextChoices):
    LEARNING = "learning", _("Learning agreement")
    STAFF = "staff", _("Staff mobility agreement")


class VersionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting signatures")
    APPROVED = "approved", _("Approved by all three")
    COMMENTED = "commented", _("Returned with comments")
    SUPERSEDED = "superseded", _("Superseded")


class SignerRole(models.TextChoices):
    STUDENT = "student", _("Participant")
    SENDING = "sending", _("Sending institution")
    RECEIVING = "receiving", _("Receiving institution")


class Section(models.TextChoices):
    STUDIED = "studied", _("Studied at the receiving institution (table A)")
    RECOGNISED = "recognised", _("Recognised at the sending institution (table B)")
    VIRTUAL = "virtual", _("Virtual component (table C)")
    BLENDED = "blended", _("Blended mobility component")
    DOCTORAL = "doctoral", _("Short-term doctoral component")
    ACTIVITY = "activity", _("Staff activity")


class ChangeReason(models.TextChoices):
    NOT_AVAILABLE = "not-available", _("Deleted: component not available")
    LANGUAGE_MISMATCH = "language-mismatch", _("Deleted: language differs from the course catalogue")
    TIMETABLE_CONFLICT = "timetable-conflict", _("Deleted: timetable conflict")
    SUBSTITUTING_DELETED = "substituting-deleted", _("Added: substitutes a deleted component")
    EXTENDING_MOBILITY = "extending-mobility", _("Added: the mobility is extended")
    ADDING_VIRTUAL_COMPONENT = "adding-virtual-component", _("Added: a virtual component")


class CreditRuleKind(models.TextChoices):
    MIN_STUDIED_TOTAL = "min_studied_total", _("Minimum ECTS studied in total")
    MAX_STUDIED_TOTAL = "max_studied_total", _("Maximum ECTS studied in total")
    MIN_STUDIED_PER_TERM = "min_studied_per_term", _("Minimum ECTS studied per term")
    MIN_RECOGNISED_TOTAL = "min_recognised_total", _("Minimum ECTS to be recognised")
    # The "%" is a percent sign, not a placeholder: without this gettext would read "% o" as one.
    # xgettext:no-python-format
    MIN_RECOGNISED_SHARE = "min_recognised_share", _("Minimum % of the credits earned to be recognised")
    MIN_ACTIVITY_HOURS = "min_activity_hours", _("Minimum hours of staff activities")


class RuleScope(models.TextChoices):
    STUDENTS = "students", _("Student learning agreements")
    STAFF = "staff", _("Staff mobility agreements")


class ConversionPolicy(models.TextChoices):
    LOWEST = "lowest", _("The lowest overlapping grade")
    MIDDLE = "middle", _("The middle overlapping grade")
    HIGHEST = "highest", _("The highest overlapping grade")
    LARGEST_OVERLAP = "largest_overlap", _("The grade overlapping the most")


class ConversionMethod(models.TextChoices):
    TABLE = "table", _("Grade distribution tables")
    MANUAL = "manual", _("Manual (no table)")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Details changed")
    DATES = "dates", _("Actual dates recorded")
    PROPOSED = "proposed", _("Version proposed")
    SIGNED = "signed", _("Version signed")
    COMMENTED = "commented", _("Version returned with comments")
    APPROVED = "approved", _("Version approved")
    DELEGATED = "delegated", _("Signing delegated")
    DELEGATION_REVOKED = "delegation_revoked", _("Delegation revoked")
    TRANSCRIPT = "transcript", _("Transcript recorded")
    CONVERTED = "converted", _("Grade converted")
    RECOGNISED = "recognised", _("Components recognised")
    CERTIFIED = "certified", _("Certificate of attendance issued")


class StaffActivity(models.TextChoices):
    """What a staff mobility is for (``accord.algorithms.mobility.staff.StaffActivity``). Teaching
    combined with training is a teaching mobility in Erasmus+, with a lower minimum of teaching hours."""

    TEACHING = "teaching", _("Teaching")
    TRAINING = "training", _("Training")
    COMBINED = "combined", _("Teaching combined with training")


# The activities each type of staff mobility may plan.
STAFF_ACTIVITIES = {
    "staff_teaching": (StaffActivity.TEACHING, StaffActivity.COMBINED),
    "staff_training": (StaffActivity.TRAINING,),
}
