from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from . import services
from .middleware import CODE_PENDING_SESSION_KEY


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Authentication code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@staff_member_required
def two_factor(request):
    """Set up an authenticator app (QR code, then a first code), or enter a code to continue."""
    device = services.totp_device_for_setup(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if services.totp_device_verify(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.pop(CODE_PENDING_SESSION_KEY, None)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right, or has expired. Try the current one."))
    context = {
        "form": form,
        "device": device,
        "next": _safe_next(request),
        "title": _("Two-factor authentication"),
    }
    if not device.confirmed:
        qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
        context["qr_svg"] = qr.to_string(encoding="unicode")
        context["secret"] = _base32(device)
    return render(request, "accounts/two_factor.html", context)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def _base32(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
