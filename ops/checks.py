"""Deployment checks (`manage.py check --deploy`) for Factdesk's own settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    # Without it, pages link to whatever host a request named, and the worker's webhooks and
    # e-mails, which have no request, link to the development address (lib/site_url.py).
    if settings.FACTDESK_SITE_URL:
        return []
    return [
        checks.Warning(
            "FACTDESK_SITE_URL is not set.",
            hint=(
                "Set it to the site's public address (e.g. https://checks.example) so every "
                "absolute link, webhook and e-mail names it."
            ),
            id="factdesk.W001",
        )
    ]
