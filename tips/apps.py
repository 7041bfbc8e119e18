from django.apps import AppConfig


class TipsConfig(AppConfig):
    # Its name for editors is factdesk.app_names.ReadersTipsConfig's.
    name = "tips"

    def ready(self):
        # The reply to readers rides on the claims app's "a claim event happened" signal, so
        # claims never imports tips (tips/replies.py).
        from claims.signals import claim_event_happened

        from .replies import replies_send_on_publish

        claim_event_happened.connect(replies_send_on_publish, dispatch_uid="tips-replies")
