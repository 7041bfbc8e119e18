from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.utils import timezone


def client_ip(request) -> str:
    """The address a lockout is held against: the proxy's client header if configured."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.headers.get(settings.CLIENT_IP_HEADER, "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def failures_from_address(address: str) -> int:
    """Failed sign-ins from `address` within the cool-off time, whatever the username.

    Counted from django-axes' own records (one row per username and address), over the same
    window as its per-account lockout.
    """
    attempts = AccessAttempt.objects.filter(ip_address=address)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


class StaffBackend(AxesStandaloneBackend, ModelBackend):
    """Django's password backend, refusing an account and address that django-axes locked out,
    and any account from an address that failed AXES_ADDRESS_FAILURE_LIMIT times.

    One backend, not axes' usual pair, so code that asks "which backend?" (such as
    `User.objects.with_perm()`) keeps working. A login with no request (the test client's
    `login()`, a shell) has no address to lock out; only the password decides those.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            # Raises a PermissionDenied that django.contrib.auth reports as a failed login.
            AxesStandaloneBackend.authenticate(
                self, request, username=username, password=password, **kwargs
            )
            self.refuse_locked_address(request)
        return ModelBackend.authenticate(
            self, request, username=username, password=password, **kwargs
        )

    @staticmethod
    def refuse_locked_address(request) -> None:
        # Axes locks a username from an address; password spraying (one guess at each of many
        # accounts) never repeats a pair. Axes takes one failure limit for all its parameter
        # sets, so this second, higher limit per address is counted here.
        if failures_from_address(client_ip(request)) < settings.AXES_ADDRESS_FAILURE_LIMIT:
            return
        # Axes' middleware answers a request marked so with the lockout page (status 429).
        request.axes_locked_out = True
        request.address_locked_out = True  # tells the page which lockout it is
        raise AxesBackendPermissionDenied("Too many failed sign-ins from this address.")
