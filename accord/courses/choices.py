from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")
