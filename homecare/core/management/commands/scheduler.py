import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from homecare.core.schedule import PERIODIC, run_due


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (daily referral batch, visit horizon) on a timer, in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")
        parser.add_argument("--tick", type=float, default=15.0, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=15.0, **options):
        last_run: dict[str, float] = {}
        self.stdout.write(
            f"Periodic jobs: {', '.join(f'{n} every {s} s' for n, s in PERIODIC.items())}"
        )
        while True:
            for name in run_due(last_run, time.monotonic()):
                self.stdout.write(f"started {name}")
            if once:
                return
            time.sleep(tick)
            close_old_connections()
