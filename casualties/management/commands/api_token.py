"""`python manage.py api_token USERNAME`: issue a new API token for a user and print it, once.

For whoever runs the server (a deploy script, a first analyst); it replaces the user's
token, as rotating does. Only a digest is stored, so the key printed here is the only
copy. Replaces DRF's `drf_create_token`, whose tokens are no longer accepted.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casualties.services.tokens import api_token_issue


class Command(BaseCommand):
    help = "Issue a new API token for USERNAME (replacing any) and print it; it is not stored in clear."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is inactive: an inactive user's token is refused.")
        self.stdout.write(api_token_issue(user=user))
