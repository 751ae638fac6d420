from django.core.management.base import BaseCommand, CommandError

from accord.accounts.models import User
from accord.accounts.tokens import api_token_create
from accord.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="A label to recognise the token by.")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named '{username}'.")
        if not user.is_active:
            raise CommandError(f"User '{username}' is deactivated; tokens would not work.")
        try:
            _token, secret = api_token_create(user=user, name=name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
