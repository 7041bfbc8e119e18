"""The one rule for absolute URLs: share links, canonical links, JSON-LD, feeds, the sitemap,
oEmbed, webhooks, e-mails and the links commands print all start from `site_url()`.

- FACTDESK_SITE_URL, when set, is the site's address everywhere (production sets it: a page
  reached through another host name still names its one canonical address).
- Unset (development), a request's links use the address the request came to, so
  `runserver 8410` or `make run PORT=8410` gives links on :8410, not a default port.
- With no request (commands, the worker), DEVELOPMENT_URL; `make run` passes its own address.
"""

from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

DEVELOPMENT_URL = "http://127.0.0.1:8000"

_request_origin: ContextVar[str | None] = ContextVar("factdesk_request_origin", default=None)


def configured() -> bool:
    return bool(settings.FACTDESK_SITE_URL)


def site_url() -> str:
    """The site's address, without a trailing slash."""
    return settings.FACTDESK_SITE_URL or _request_origin.get() or DEVELOPMENT_URL


def absolute_url(path_or_url: str) -> str:
    """An address on this site (a path) made absolute; an absolute URL is returned as is."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return site_url() + path_or_url


class SiteUrlMiddleware:
    """Remembers the address the request came to, for site_url() while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = None  # CommonMiddleware has already refused this request
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)


class OnSite:
    """A request as Django's syndication views see it, on the site's address.

    Django's feeds build their links from the request's host and scheme; given this wrapper,
    they follow site_url() like every other absolute link.
    """

    def __init__(self, request):
        self._request = request
        parts = urlsplit(site_url())
        self._host, self._secure = parts.netloc, parts.scheme == "https"

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_host(self) -> str:
        return self._host

    def is_secure(self) -> bool:
        return self._secure


def on_site(view):
    """A feed view (or any view that only reads host and scheme) whose links use site_url()."""

    def wrapped(request, *args, **kwargs):
        return view(OnSite(request), *args, **kwargs)

    wrapped.__name__ = getattr(view, "__name__", type(view).__name__)
    return wrapped
