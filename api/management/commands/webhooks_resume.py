import time

from django.core.management.base import BaseCommand, CommandError

from api.webhooks import webhook_deliveries_resume


class Command(BaseCommand):
    help = (
        "Queue webhook deliveries that are due for a retry or were interrupted by a worker "
        "that stopped mid-send. Safe to run often; with --loop it repeats. `manage.py worker` "
        "already does this every minute: this is for a worker started some other way."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="Run every SECONDS.")

    def handle(self, *args, loop, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1.")
        while True:
            count = webhook_deliveries_resume()
            self.stdout.write(f"Queued {count} webhook deliveries.")
            if loop is None:
                return
            time.sleep(loop)
