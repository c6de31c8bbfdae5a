from django.core.management.base import BaseCommand

from homecare.monitoring.monitor import loop


class Command(BaseCommand):
    help = (
        "Watch today's calls: move calls nobody starts to late and missed at the right "
        "minute (KENT-3.9.4, KENT-3.9.5) and raise their notifications to the council."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=30.0, help="Seconds between sweeps.")
        parser.add_argument("--once", action="store_true", help="Sweep once and stop.")

    def handle(self, *args, every=30.0, once=False, **options):
        loop(every=every, once=once, log=self.stdout.write)
