from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from .forms import StaffLoginForm
        from .middleware import flag_login_without_code

        user_logged_in.connect(flag_login_without_code, dispatch_uid="accounts.code_pending")

        # The admin login asks for the authentication code of staff who set one up; those who
        # have not log in with their password alone (unless 2FA is mandatory for them, in
        # which case the middleware sends them to set it up straight after).
        admin.site.login_form = StaffLoginForm
        admin.site.login_template = "accounts/login.html"
