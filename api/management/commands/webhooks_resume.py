from api.webhooks import webhook_deliveries_resume
from lib.commands import RepeatableCommand


class Command(RepeatableCommand):
    help = (
        "Queue webhook deliveries that are due for a retry or were interrupted by a worker "
        "that stopped mid-send. Safe to run often; with --loop it repeats. `manage.py worker` "
        "already does this every minute: this is for a worker started some other way."
    )

    def run_once(self, **options):
        count = webhook_deliveries_resume()
        self.stdout.write(f"Queued {count} webhook deliveries.")
