from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import topic_listing
        from .caching import connect_signals

        connect_signals()
        # SQLite loses a table's triggers when a migration rebuilds the table (topic_listing.py).
        post_migrate.connect(
            topic_listing.after_migrate, sender=self, dispatch_uid="factdesk-topic-listing"
        )
