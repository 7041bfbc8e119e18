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
        # The claim's change page shows the readers' requests it was made of (tips/admin.py).
        from claims.admin.panels import claim_page_panel_add

        from .admin import claim_requests_panel

        claim_page_panel_add("admin/tips/claim_requests_panel.html", claim_requests_panel)
