"""Who a survey asks, and when."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    STUDENT = "student", _("Students")
    STAFF = "staff", _("Staff")
    PARTNER = "partner", _("Partner institutions")


class Phase(models.TextChoices):
    PRE = "pre", _("Before the exchange")
    POST = "post", _("After the exchange")
    ONCE = "once", _("Once")


class Source(models.TextChoices):
    """What the invitation is about: the participation whose start and end send the surveys."""

    MOBILITY = "mobility", _("Mobility")
    VIRTUAL_EXCHANGE = "virtual_exchange", _("Virtual exchange")
    PROGRAMME = "programme", _("Programme")
    MANUAL = "manual", _("Invited by a coordinator")
