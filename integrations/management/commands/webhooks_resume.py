from django.core.management.base import BaseCommand

from integrations.webhooks import webhook_deliveries_resume


class Command(BaseCommand):
    help = (
        "Queue webhook deliveries that are due for a retry or were interrupted by a worker "
        "that stopped mid-send. Safe to run often (e.g. every minute from cron)."
    )

    def handle(self, *args, **options):
        count = webhook_deliveries_resume()
        self.stdout.write(f"Queued {count} webhook deliveries.")
