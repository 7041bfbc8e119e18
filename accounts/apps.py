from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        from django.contrib import admin

        from .forms import StaffLoginForm

        # The admin login asks for the authentication code of staff who set one up; those who
        # have not log in with their password alone (unless 2FA is mandatory for them, in
        # which case the middleware sends them to set it up straight after).
        admin.site.login_form = StaffLoginForm
        admin.site.login_template = "accounts/login.html"
