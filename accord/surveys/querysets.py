"""Who may see and do what with surveys.

* Templates: everyone with a staff role sees Accord's defaults and their institutions' own; admins
  and coordinators of an institution manage its templates; only platform staff edit the defaults.
* Surveys (rounds) and their results: admins and coordinators of the surveying institution. Others
  do not know a survey exists. Results are aggregates only (see ``selectors.results``).
* Invitations: the invited person sees their own; nobody else reads them through a page.
"""

from enum import StrEnum

from django.db import models

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES


class SurveyAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


class TemplateQuerySet(models.QuerySet):
    def for_user(self, user, action: str = SurveyAction.VIEW) -> "TemplateQuerySet":
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        if SurveyAction(action) == SurveyAction.MANAGE:
            return self.filter(organisation_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        if not staff_of:
            return self.none()
        return self.filter(models.Q(organisation__isnull=True) | models.Q(organisation_id__in=staff_of))


class SurveyQuerySet(models.QuerySet):
    def for_user(self, user, action: str = SurveyAction.VIEW) -> "SurveyQuerySet":
        """Viewing and managing a round are the same right: its coordinators see its results."""
        SurveyAction(action)
        if not _active(user):
            return self.none()
        if is_platform_staff(user):
            return self
        return self.filter(organisation_id__in=organisation_ids_with_roles(user, MANAGING_ROLES))


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        return self.filter(answered_at__isnull=True)

    def of(self, user) -> "InvitationQuerySet":
        if not _active(user):
            return self.none()
        return self.filter(user=user)
