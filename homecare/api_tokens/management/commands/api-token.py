"""``homecare api-token USERNAME NAME``: make an API token and print it, once.

``--revoke`` switches off that user's live tokens of that name instead.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from homecare.api_tokens import services
from homecare.api_tokens.models import ApiToken


class Command(BaseCommand):
    help = "Make an API token for a user and print it once (or --revoke tokens of that name)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'Care planning system'.")
        parser.add_argument(
            "--revoke", action="store_true", help="Revoke the user's live tokens with this name."
        )

    def handle(self, *args, username, name, revoke, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No account with username {username!r}.") from exc
        if revoke:
            tokens = ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True)
            count = 0
            for token in tokens:
                services.token_revoke(token=token)
                count += 1
            self.stdout.write(f"Revoked {count} token(s) named {name!r} for {username}.")
            return
        try:
            _, plaintext = services.token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(plaintext)
        self.stderr.write(
            "Keep this token somewhere safe: it is shown only now. "
            "Send it as 'Authorization: Bearer <token>'."
        )
