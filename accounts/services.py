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


# The groups the desk's migration creates (claims/migrations/0004_desk_groups.py): their
# members work in the admin, which only staff may enter.
DESK_GROUPS = ("Fact-checkers", "Editors")


def user_in_desk_group(user) -> bool:
    return user.groups.filter(name__in=DESK_GROUPS).exists()


@transaction.atomic
def user_grant_desk_access(*, user) -> bool:
    """Staff status for a member of a desk group, so the admin lets them in. Returns True when
    it was granted now (False: already staff, or in no desk group)."""
    if user.is_staff or not user_in_desk_group(user):
        return False
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return True
