from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: database backup and restore, the migration safety check."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
