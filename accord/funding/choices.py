"""Kinds and statuses of funders, rule-set versions, budgets and grants."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FunderKind(models.TextChoices):
    EU = "eu", _("European Union or one of its national agencies")
    GOVERNMENT = "government", _("Government")
    FOUNDATION = "foundation", _("Foundation")
    COMPANY = "company", _("Company")
    INSTITUTION = "institution", _("The institution's own funds")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, editable")
    ACTIVE = "active", _("In force")
    RETIRED = "retired", _("Replaced by a newer version")


class BudgetScope(models.TextChoices):
    PROGRAMME = "programme", _("Programme or call")
    PROJECT = "project", _("Project")
    PARTNERSHIP = "partnership", _("Partnership")
    COST_CENTRE = "cost_centre", _("Cost centre")


class GrantStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.TextChoices):
    """The activities of the pure rule sets (``accord.algorithms.funding.rules.ACTIVITIES``)."""

    STUDENT_STUDIES = "student-studies", _("Student mobility for studies")
    STUDENT_TRAINEESHIP = "student-traineeship", _("Student mobility for traineeships")
    STUDENT_SHORT_TERM = "student-short-term", _("Short-term blended mobility of students")
    STAFF_TEACHING = "staff-teaching", _("Staff mobility for teaching")
    STAFF_TRAINING = "staff-training", _("Staff mobility for training")


class ShareKind(models.TextChoices):
    """How a co-funder's share is decided (``accord.algorithms.funding.shares``)."""

    COMPONENTS = "components", _("Pays some components (e.g. travel)")
    FIXED = "fixed", _("Pays a fixed amount")
    PERCENT = "percent", _("Pays a percentage")
    REMAINDER = "remainder", _("Pays the remainder")
