from axes.backends import AxesStandaloneBackend
from django.conf import settings


def client_ip(request) -> str:
    """The address a lockout is held against: the proxy's client header if configured."""
    if settings.CLIENT_IP_HEADER:
        forwarded = request.headers.get(settings.CLIENT_IP_HEADER, "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come from a request.

    A login with no request (Django's test client `login()`, a shell) has no address to lock
    out, and axes would raise on it; the password backend still decides those.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
