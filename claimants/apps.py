from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimantsConfig(AppConfig):
    name = "claimants"
    verbose_name = _("Claimants")
