"""Apps under names an editor understands on the admin index ("Sign-in lockouts", not
"AXES"). Each keeps its package's own label and start-up; only the name changes."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig
from django_tasks_db.apps import TasksAppConfig


class SignInLockoutsConfig(AxesConfig):
    verbose_name = _("Sign-in lockouts")


class TwoFactorDevicesConfig(TotpConfig):
    verbose_name = _("Two-factor devices")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
