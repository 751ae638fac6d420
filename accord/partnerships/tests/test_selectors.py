"""Lookups answer 404 for what the user may not see and 403 for what they may see but not do."""

import pytest

from accord.accounts.models import Membership
from accord.core.errors import NotFound, PermissionDenied
from accord.partnerships import selectors
from accord.partnerships.querysets import PartnershipAction

pytestmark = pytest.mark.django_db


def test_get_partnership_for_user(personas, partnership):
    get = selectors.get_partnership_for_user
    assert get(user=personas.partner, pk=partnership.pk, action=PartnershipAction.CONTRIBUTE) == partnership
    with pytest.raises(PermissionDenied, match="not change it"):
        get(user=personas.partner, pk=partnership.pk, action=PartnershipAction.CHANGE)
    with pytest.raises(PermissionDenied, match="not add to its record"):
        get(user=personas.viewer, pk=partnership.pk, action=PartnershipAction.CONTRIBUTE)
    for hidden_from in (personas.student, personas.outsider):
        with pytest.raises(NotFound):
            get(user=hidden_from, pk=partnership.pk)


def test_a_user_in_two_member_organisations_gets_the_wider_right(personas, partnership):
    Membership.objects.create(user=personas.teacher, organisation=personas.partner_org, role="coordinator")
    permissions = selectors.partnership_permissions(user=personas.teacher, partnership=partnership)
    assert permissions == {"contribute": True, "change": False}
