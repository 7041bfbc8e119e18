from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin login: password, then the authenticator app's code for staff who have one.

    Staff with no confirmed device log in with the password alone. The code is checked
    against the user's own confirmed TOTP device, so nobody picks a device from a list.
    """

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the 6-digit code from your authenticator app."),
        "invalid_token": _("That code is not right, or has expired. Try the current one."),
    }
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and self._chosen_device(user) is not None:
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def _update_form(self, user):
        # The mixin would fill a device menu; there is none to fill.
        pass
