"""Writes for staff accounts: enrolling and confirming an authenticator app."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


@transaction.atomic
def totp_device_for_setup(*, user) -> TOTPDevice:
    """The user's confirmed device, else their pending one, else a new pending one.

    Reusing the pending device means reloading the setup page does not invalidate the QR code
    the user may already have scanned.
    """
    device = (
        TOTPDevice.objects.filter(user=user)
        .order_by("-confirmed", "id")
        .select_for_update()
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_verify(*, device: TOTPDevice, token: str) -> bool:
    """Check a code; the first right code confirms a pending device. Wrong codes are throttled."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True
