from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HEI = "hei", _("Higher-education institution")
    SCHOOL = "school", _("School")
    NGO = "ngo", _("NGO")
    AGENCY = "agency", _("Government agency")
    COMPANY = "company", _("Company")
    NETWORK = "network", _("Network or consortium")


class ContactRole(models.TextChoices):
    INTERNATIONAL_OFFICE = "international_office", _("International office")
    ACADEMIC_COORDINATOR = "academic_coordinator", _("Academic coordinator")
    ADMISSIONS = "admissions", _("Admissions")
    SIGNATORY = "signatory", _("Legal signatory")
    ERASMUS_COORDINATOR = "erasmus_coordinator", _("Institutional Erasmus coordinator")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other")


class ContactVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone signed in")
    MEMBERS = "members", _("Members of this organisation only")
