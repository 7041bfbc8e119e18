from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from api.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Forget Idempotency-Key responses older than --hours (default 24), as Stripe does."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours, **options):
        cutoff = timezone.now() - timedelta(hours=hours)
        deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Forgot {deleted} idempotency keys older than {hours} h.")
