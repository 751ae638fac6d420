from django.db import models
from django.utils.translation import gettext_lazy as _


class EquivalenceSource(models.TextChoices):
    MANUAL = "manual", _("Approved by a coordinator")
    LEARNING_AGREEMENT = "learning_agreement", _("Approved learning agreement")
    TRANSCRIPT = "transcript", _("Recognised from a transcript")
