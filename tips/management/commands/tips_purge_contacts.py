from django.core.management.base import BaseCommand

from tips.services import tip_contacts_purge


class Command(BaseCommand):
    help = (
        "Delete readers' e-mail addresses left with tips more than TIPS_CONTACT_RETENTION_DAYS "
        "ago (the worker does it on its beat too)."
    )

    def handle(self, **options):
        deleted = tip_contacts_purge()
        self.stdout.write(f"Deleted {deleted} readers' addresses past their retention.")
