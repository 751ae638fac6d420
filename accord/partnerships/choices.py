from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.workflow import TransitionTable


class PartnershipModel(models.TextChoices):
    """The shape of the cooperation, which later decides what agreements and mobilities it needs."""

    BILATERAL_EXCHANGE = "bilateral_exchange", _("Bilateral exchange")
    JOINT_DEGREE = "joint_degree", _("Joint degree")
    DOUBLE_DEGREE = "double_degree", _("Double degree")
    RESEARCH_ALLIANCE = "research_alliance", _("Research alliance")
    CONSORTIUM = "consortium", _("Consortium or network")
    VIRTUAL_EXCHANGE = "virtual_exchange", _("Virtual exchange")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    OTHER = "other", _("Other")


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    NEGOTIATING = "negotiating", _("Negotiating")
    ACTIVE = "active", _("Active")
    UNDER_REVIEW = "under_review", _("Under review")
    RENEWED = "renewed", _("Renewed")
    CLOSED = "closed", _("Closed")


# The lifecycle as data: for each status, the statuses a partnership may move to next, in the order
# the UI should offer them. "closed" is final: a relationship that starts again is a new partnership,
# so the record of the one that ended stays as it was. "renewed" is an active partnership in a new
# cycle, so it leads on to the next review exactly as "active" does.
ALLOWED_TRANSITIONS = TransitionTable(
    PartnershipStatus,
    {
        PartnershipStatus.EXPLORING: (PartnershipStatus.NEGOTIATING, PartnershipStatus.CLOSED),
        PartnershipStatus.NEGOTIATING: (
            PartnershipStatus.ACTIVE,
            PartnershipStatus.EXPLORING,
            PartnershipStatus.CLOSED,
        ),
        PartnershipStatus.ACTIVE: (PartnershipStatus.UNDER_REVIEW, PartnershipStatus.CLOSED),
        PartnershipStatus.UNDER_REVIEW: (
            PartnershipStatus.ACTIVE,
            PartnershipStatus.RENEWED,
            PartnershipStatus.CLOSED,
        ),
        PartnershipStatus.RENEWED: (PartnershipStatus.UNDER_REVIEW, PartnershipStatus.CLOSED),
        PartnershipStatus.CLOSED: (),
    },
    noun=_("partnership"),
)

# Moving into these statuses needs a reason, because someone will later ask why.
REASON_REQUIRED = frozenset({PartnershipStatus.CLOSED})


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    ASSOCIATE_PARTNER = "associate_partner", _("Associate partner")
    FUNDER = "funder", _("Funder")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class ActualSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    EXCHANGES = "exchanges", _("Counted from exchanges")
    EVALUATION = "evaluation", _("From an evaluation")


class MeetingMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
