"""Whether Factdesk may send a webhook to a URL's host (the address rule itself is the safe
fetcher's, `lib.fetching.address_refusal`).

Webhook receivers are chosen by integrators, so a URL is refused when its host resolves to a
private, loopback, link-local (cloud metadata), multicast or otherwise non-public address:
otherwise the API would be a way to make the server call into its own network (SSRF).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.fetching import address_refusal


def resolve_host(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address the host resolves to (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # The safe fetcher's rule, so webhooks and fetched pages refuse the same addresses.
    return address_refusal(str(address)) is None


def check_public_url(url: str) -> None:
    """Raise ValidationError unless `url` is http(s) and every address of its host is public.

    `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` (a test-only setting, never read from the environment)
    lets tests deliver to a receiver on 127.0.0.1.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Use an http:// or https:// URL."), code="bad_scheme")
    if parts.username or parts.password:
        raise ValidationError(_("Leave credentials out of the URL."), code="credentials")
    try:
        addresses = resolve_host(parts.hostname)
    except (OSError, UnicodeError):
        raise ValidationError(
            _("The host %(host)s could not be resolved.") % {"host": parts.hostname},
            code="unresolvable",
        ) from None
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False):
        return
    private = [str(a) for a in addresses if not is_public_address(a)]
    if private:
        raise ValidationError(
            # The address itself is not named: a key holder could otherwise map which names
            # resolve to what inside the desk's network.
            _("%(host)s points to a private, loopback or link-local address.")
            % {"host": parts.hostname},
            code="private_address",
        )
