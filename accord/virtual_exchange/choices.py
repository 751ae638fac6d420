"""Modes, visibility and the state machines of proposals and exchanges."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.workflow import TransitionTable


class Mode(models.TextChoices):
    SYNCHRONOUS = "synchronous", _("Synchronous (live sessions)")
    ASYNCHRONOUS = "asynchronous", _("Asynchronous")


class Visibility(models.TextChoices):
    PARTNERS = "partners", _("Teachers of our partner institutions")
    NETWORKS = "networks", _("Members of the chosen networks only")


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Open for classes")
    CLOSED = "closed", _("Closed")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invitation sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PROPOSAL_TRANSITIONS = TransitionTable(
    ProposalStatus,
    {
        ProposalStatus.PROPOSED: {ProposalStatus.INVITED, ProposalStatus.WITHDRAWN},
        ProposalStatus.INVITED: {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN},
        ProposalStatus.ACCEPTED: set(),
        ProposalStatus.DECLINED: set(),
        ProposalStatus.WITHDRAWN: set(),
    },
    noun=_("proposal"),
)


class ExchangeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


EXCHANGE_TRANSITIONS = TransitionTable(
    ExchangeStatus,
    {
        ExchangeStatus.PLANNED: {ExchangeStatus.COMPLETED, ExchangeStatus.CANCELLED},
        ExchangeStatus.COMPLETED: set(),
        ExchangeStatus.CANCELLED: set(),
    },
    noun=_("exchange"),
)


class ConstraintKind(models.TextChoices):
    FIXED = "fixed", _("Fixed pair")
    FORBIDDEN = "forbidden", _("Forbidden pair")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

# The 17 Sustainable Development Goals, as themes a class may name (``sdg-4``: quality education).
SDGS = [
    ("sdg-1", _("SDG 1: No poverty")),
    ("sdg-2", _("SDG 2: Zero hunger")),
    ("sdg-3", _("SDG 3: Good health and well-being")),
    ("sdg-4", _("SDG 4: Quality education")),
    ("sdg-5", _("SDG 5: Gender equality")),
    ("sdg-6", _("SDG 6: Clean water and sanitation")),
    ("sdg-7", _("SDG 7: Affordable and clean energy")),
    ("sdg-8", _("SDG 8: Decent work and economic growth")),
    ("sdg-9", _("SDG 9: Industry, innovation and infrastructure")),
    ("sdg-10", _("SDG 10: Reduced inequalities")),
    ("sdg-11", _("SDG 11: Sustainable cities and communities")),
    ("sdg-12", _("SDG 12: Responsible consumption and production")),
    ("sdg-13", _("SDG 13: Climate action")),
    ("sdg-14", _("SDG 14: Life below water")),
    ("sdg-15", _("SDG 15: Life on land")),
    ("sdg-16", _("SDG 16: Peace, justice and strong institutions")),
    ("sdg-17", _("SDG 17: Partnerships for the goals")),
]
