"""Who a command acts as: ``--as USERNAME``, or else the first active superuser."""

from django.core.management.base import CommandError

from accord.accounts.models import User


def command_actor(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named '{username}'.")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("No active superuser exists to act as; pass --as USERNAME.")
    return user
