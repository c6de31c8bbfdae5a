"""``homecare otp USERNAME``: the current sign-in code of a demo account.

Only with DEBUG on (development and demo settings): in production nobody can
read a code off the server, so two-factor sign-in is never relaxed there.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from homecare.accounts.forms import confirmed_totp_device


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code of a demo account (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--uri",
            action="store_true",
            help="Also print the otpauth:// URI, to add the account to an authenticator app.",
        )

    def handle(self, *args, username, uri, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to show sign-in codes: DEBUG is off. This command is for demo "
                "accounts only; in production each person uses their own authenticator app."
            )
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No account with username {username!r}.") from exc
        device = confirmed_totp_device(user)
        if device is None:
            raise CommandError(f"{username} has no authenticator (TOTP) device set up.")
        code = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        self.stdout.write(f"{code:0{device.digits}d}")
        if uri:
            self.stdout.write(device.config_url)
