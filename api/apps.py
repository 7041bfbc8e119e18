from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The integration API's keys, webhooks and idempotency records, and the plumbing every
    API door shares (as pretix keeps its own in `api/`).

    The label stays "integrations", the name this app had before it was named for what it
    is: tables, migrations, permissions and admin URLs are keyed by it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from . import schema  # noqa: F401 (registers the OpenAPI description of API keys)
