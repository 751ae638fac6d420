from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role inside one organisation; ``ROLE_RANK`` orders them by reach."""

    ADMIN = "admin", _("Organisation admin")
    COORDINATOR = "coordinator", _("International coordinator")
    TEACHER = "teacher", _("Academic coordinator / teacher")
    STUDENT = "student", _("Student")
    VIEWER = "viewer", _("Viewer")


STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.TEACHER, Role.VIEWER})
MANAGING_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
