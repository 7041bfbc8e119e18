"""Web origins (RFC 6454: scheme, host and port) as a desk writes them for CORS, free of every app.

A publisher's page that embeds our verdicts is allowed by its origin, which the browser sends
in the Origin header exactly as `https://www.example.com` (no path, no trailing slash, the
default port left out). Editors paste whole addresses, so an address with a path is cut to
its origin; anything that is not an http(s) address is refused with a message.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ORIGINS = 20
DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_origin(value: str) -> str:
    """The origin of an http(s) address, as browsers send it; ValidationError otherwise."""
    raw = value.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError(
            _("“%(value)s” is not a web address: write an origin like https://www.example.com.")
            % {"value": raw[:100]},
            code="invalid_origin",
        )
    if parts.username or parts.password:
        raise ValidationError(
            _("“%(value)s” holds a user name or password; write only https://host.")
            % {"value": raw[:100]},
            code="invalid_origin",
        )
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets in an origin
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def parse_origins(text: str) -> list[str]:
    """One origin per line (blank lines ignored, duplicates dropped), in the order written."""
    origins: list[str] = []
    errors = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        try:
            origin = parse_origin(line)
        except ValidationError as error:
            errors.append(error)
            continue
        if origin not in origins:
            origins.append(origin)
    if errors:
        raise ValidationError(errors)
    if len(origins) > MAX_ORIGINS:
        raise ValidationError(
            _("At most %(max)s origins per publisher.") % {"max": MAX_ORIGINS},
            code="too_many_origins",
        )
    return origins


def validate_origins(text: str) -> None:
    parse_origins(text)
