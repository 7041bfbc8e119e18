from django.conf import settings
from django.core.management.base import BaseCommand

from ...services import sentences_prune


class Command(BaseCommand):
    help = (
        "Delete monitored sentences that are neither check-worthy nor a repeat of a published "
        "check, once older than FACTDESK_MONITOR_RETENTION_DAYS (the worker does this too)."
    )

    def handle(self, **options):
        deleted = sentences_prune()
        self.stdout.write(
            f"{deleted} sentences older than {settings.FACTDESK_MONITOR_RETENTION_DAYS} days "
            "deleted."
        )
