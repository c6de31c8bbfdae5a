"""`homecare demo [--no-serve] [--size small|county] [--seed N]`: a demo world, then the site.

Migrates the database, empties it, loads a synthetic world (the same seed
always gives the same world), prints one login per role and, unless
``--no-serve``, runs the development server on 127.0.0.1:8000.
"""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from homecare.core.schedule import start_in_background
from homecare.demo.world import build_world

ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Build a synthetic demo world (emptying the database first) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Build, print logins, stop.")
        parser.add_argument(
            "--size",
            choices=["small", "county"],
            default="small",
            help="small: Lancashire, 300 people; county: East Lothian, "
            "about 21,000 care hours a week.",
        )
        parser.add_argument("--seed", type=int, default=7, help="Same seed, same world.")

    def handle(self, *args, no_serve=False, size="small", seed=7, **options):
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            # A first run: the SQLite file's folder (var/) may not exist yet.
            Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("flush", verbosity=0, interactive=False)
        self.stdout.write(f"Building the {size} demo world (seed {seed})…")
        started = time.perf_counter()
        world = build_world(size=size, seed=seed)
        self._report(world, seconds=time.perf_counter() - started)
        if not no_serve:
            # The embedded timer: the daily referral batch and the visit horizon
            # run in this process, so the demo needs no other server.
            start_in_background()
            call_command("runserver", ADDRESS, use_reloader=False)

    def _report(self, world, *, seconds: float) -> None:
        c = world.counts
        out = self.stdout.write
        rostered = c["rostered_in_the_rota_week"] / max(1, c["visits_in_the_rota_week"])
        out(
            self.style.SUCCESS(
                f"{world.spec.council}: {c['areas']} area(s), {c['providers']} providers, "
                f"{c['people']:,} people, {c['workers']:,} care workers; "
                f"{c['care_hours_a_week']:,} care hours a week, "
                f"{c['visits_this_week']:,} visits in the next 7 days; "
                f"{rostered:.0%} of the rota week's visits (today and the next 7 days) rostered, "
                "the rest open "
                f"(built in {seconds:.1f} s)."
            )
        )
        out("")
        out(f"Sign in at http://{ADDRESS}/accounts/login/ with the password: {world.password}")
        out(
            "Two-factor code: run `.venv/bin/homecare otp USERNAME`, or add the secret to an "
            "authenticator app (TOTP, 6 digits, 30 s)."
        )
        out("")
        width = max(len(login.role_label) for login in world.logins)
        out(f"  {'Role':<{width}}  {'Username':<13} {'TOTP secret (base32)':<33} Who")
        for login in world.logins:
            out(
                f"  {login.role_label:<{width}}  {login.username:<13} {login.secret:<33} "
                f"{login.name}, {login.of}"
            )
        out("")
