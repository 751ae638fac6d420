from django.utils.functional import SimpleLazyObject

from accord.accounts.access import is_platform_staff, works_at_any
from accord.accounts.selectors import memberships_for_user


def memberships(request):
    """Menus' view of the user's organisations; the list is read only if a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": SimpleLazyObject(lambda: list(memberships_for_user(user=user))),
        "is_platform_staff": is_platform_staff(user),
        "works_at_any": works_at_any(user),
    }
