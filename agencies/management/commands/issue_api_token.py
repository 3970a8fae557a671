"""``issue_api_token USERNAME [--read-only] [--name NAME]``: issue a token, print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agencies.tokens import ApiToken


class Command(BaseCommand):
    help = "Issue an API token that acts as USERNAME (with exactly their permissions)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The person the token acts as.")
        parser.add_argument(
            "--read-only", action="store_true", help="The token may only read (GET)."
        )
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, read_only, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username} is not active: a token for them would not work.")
        token, key = ApiToken.objects.issue(
            user, name=name or f"Issued to {username} from the command line", read_only=read_only
        )
        kind = "read-only " if read_only else ""
        self.stderr.write(
            f"Issued a {kind}token “{token.name}” acting as {username}. Copy it now: it is not "
            "stored and can't be shown again. Send it as “Authorization: Token <key>”."
        )
        self.stdout.write(key)
