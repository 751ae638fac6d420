from accord.accounts.access import is_platform_staff, works_at_any


def memberships(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": list(
            user.memberships.select_related("organisation").order_by("organisation__name")
        ),
        "is_platform_staff": is_platform_staff(user),
        "works_at_any": works_at_any(user),
    }
