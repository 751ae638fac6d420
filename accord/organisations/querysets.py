from django.db import models

from accord.accounts.access import Action, is_platform_staff, organisation_ids_for, roles_by_organisation
from accord.organisations.choices import ContactVisibility


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user, action: Action = Action.VIEW) -> "OrganisationQuerySet":
        """Public profiles are visible to every signed-in user; every other action needs a role."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if action == Action.VIEW or is_platform_staff(user):
            return self
        return self.filter(pk__in=organisation_ids_for(user, action))


class ContactQuerySet(models.QuerySet):
    def for_user(self, user, action: Action = Action.VIEW) -> "ContactQuerySet":
        """Public contacts are seen by all; members-only contacts by the organisation's members."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if is_platform_staff(user):
            return self
        if action == Action.VIEW:
            member_of = roles_by_organisation(user).keys()
            return self.filter(
                models.Q(visibility=ContactVisibility.PUBLIC) | models.Q(organisation_id__in=member_of)
            )
        return self.filter(organisation_id__in=organisation_ids_for(user, Action.MANAGE))
