from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "tips"
    verbose_name = _("Readers' tips")

    def ready(self):
        # The reply to readers rides on the claims app's "a claim event happened" signal, so
        # claims never imports tips (tips/replies.py).
        from claims.signals import claim_event_happened

        from .replies import replies_send_on_publish

        claim_event_happened.connect(replies_send_on_publish, dispatch_uid="tips-replies")
