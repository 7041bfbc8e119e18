from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def client_ip(request) -> str:
    """The address a lockout is held against: the proxy's client header if configured."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.headers.get(settings.CLIENT_IP_HEADER, "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


class StaffBackend(AxesStandaloneBackend, ModelBackend):
    """Django's password backend, refusing an account and address that django-axes locked out.

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
        return ModelBackend.authenticate(
            self, request, username=username, password=password, **kwargs
        )
