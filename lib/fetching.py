"""The safe fetcher: every outgoing HTTP request Factdesk makes on a user's behalf goes here.

A URL typed by an editor must not let anyone reach the desk's own network (SSRF). So:
- only http and https, no credentials in the URL;
- the host is resolved once, every address it resolves to must be public, and the connection
  goes to that checked address (so a second DNS answer cannot swap in a private one);
- redirects are followed here, one hop at a time, and every hop is checked the same way;
  credentials (Authorization, Cookie) are not carried to another origin;
- the body is capped in size, and one deadline covers the whole fetch: connecting, the TLS
  handshake, the headers and the body (a socket timeout alone bounds each read, so a server
  sending a line a second could hold the fetch for ever).

Each refusal raises FetchError with a message an editor can read. Tests pass a FetchPolicy
that allows loopback, so they can use a local server and still exercise every refusal.
"""

import http.client
import io
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

REDIRECT_CODES = {301, 302, 303, 307, 308}
# Cloud providers' instance-metadata services. Most are link-local or private already; they are
# named so the refusal says what was at stake.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}
# IPv6 forms whose packets end at the IPv4 address inside them. IPv4-mapped (::ffff:0:0/96),
# 6to4 and Teredo are told apart by the ipaddress module itself.
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT, RFC 6145
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated by RFC 4291, still routed by some
# RFC 8215's local-use NAT64 prefix: the operator chooses where the IPv4 address sits, so it
# cannot be read out; the prefix is not globally reachable anyway.
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
# Sent to the origin the caller meant; a redirect elsewhere must not take them along.
CREDENTIAL_HEADERS = {"authorization", "cookie", "proxy-authorization"}


class FetchError(Exception):
    """A fetch was refused or failed; `code` says which, `str()` says it for people."""

    def __init__(self, message: str, *, code: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 10.0
    max_redirects: int = 5
    allow_loopback: bool = False
    user_agent: str = "Factdesk/1.0 (+fact-checking; link checker)"
    # None is the system's DNS (`_resolve`, looked up at fetch time so tests can replace it).
    resolver: Callable[[str, int], list[str]] | None = field(default=None, compare=False)


def default_policy() -> FetchPolicy:
    return FetchPolicy(allow_loopback=getattr(settings, "FACTDESK_FETCH_ALLOW_LOOPBACK", False))


@dataclass
class FetchResult:
    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    redirects: list[str]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _sep, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip('"')
        return None

    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def fetch(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    read_body: bool = True,
    follow_redirects: bool = True,
) -> FetchResult:
    """Fetch `url` under `policy` (the settings' default when None), following redirects.

    A non-2xx final status is returned, not raised: a link checker wants to record a 404.
    With read_body=False only the status and headers are read. With follow_redirects=False
    a redirect is returned like any other answer.
    """
    policy = policy or default_policy()
    deadline = time.monotonic() + policy.timeout
    headers = dict(headers or {})
    redirects: list[str] = []
    while True:
        target = _check_url(url)
        address = _check_host(target.hostname, target.port or _default_port(target), policy)
        response, connection = _request(target, address, method, body, headers, policy, deadline)
        try:
            location = response.getheader("Location")
            if not (follow_redirects and response.status in REDIRECT_CODES and location):
                return _result(url, response, redirects, policy, read_body)
            if len(redirects) >= policy.max_redirects:
                raise FetchError(
                    _("Too many redirects (more than %(n)s).") % {"n": policy.max_redirects},
                    code="too_many_redirects",
                )
            redirects.append(url)
            url, headers = _redirected(url, urljoin(url, location), headers)
            if response.status == 303 or (response.status in {301, 302} and method == "POST"):
                method, body = "GET", None
        finally:
            # Both: when the server will close, http.client hands the socket to the response.
            response.close()
            connection.close()


def _result(url, response, redirects, policy, read_body) -> FetchResult:
    return FetchResult(
        url=url,
        status=response.status,
        headers={k.lower(): v for k, v in response.getheaders()},
        content=_read(response, policy) if read_body else b"",
        redirects=redirects,
    )


def _redirected(url: str, new_url: str, headers: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The next hop's URL and headers: credentials only go back to the origin they were for."""
    if _origin(new_url) != _origin(url):
        headers = {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}
    return new_url, headers


def _origin(url: str) -> tuple | None:
    try:
        parts = urlsplit(url)
        return parts.scheme, parts.hostname, parts.port or _default_port(parts)
    except ValueError:
        return None  # a malformed URL is refused when the next hop is checked


def _check_url(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a malformed port)
    except ValueError:
        raise FetchError(_("This is not a valid URL."), code="invalid_url") from None
    if parts.scheme not in {"http", "https"}:
        raise FetchError(
            _("Only http and https addresses can be fetched (not “%(scheme)s”).")
            % {"scheme": parts.scheme or "none"},
            code="scheme_not_allowed",
        )
    if not parts.hostname:
        raise FetchError(_("The URL has no host name."), code="invalid_url")
    if parts.username or parts.password:
        raise FetchError(_("URLs with a user name or password are refused."), code="credentials")
    return parts


def _default_port(parts) -> int:
    return 443 if parts.scheme == "https" else 80


def _check_host(host: str, port: int, policy: FetchPolicy) -> str:
    """The first address of `host`, once every address it resolves to is allowed."""
    try:
        addresses = (policy.resolver or _resolve)(host, port)
    except (OSError, UnicodeError):
        raise FetchError(
            _("The host %(host)s could not be found.") % {"host": host}, code="dns_failed"
        ) from None
    if not addresses:
        raise FetchError(
            _("The host %(host)s could not be found.") % {"host": host}, code="dns_failed"
        )
    for address in addresses:
        refusal = address_refusal(address, allow_loopback=policy.allow_loopback)
        if refusal:
            raise FetchError(
                _("Refused: %(host)s resolves to %(kind)s (%(address)s).")
                % {"host": host, "kind": refusal, "address": address},
                code="address_not_allowed",
            )
    return addresses[0]


def address_refusal(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why an IP address may not be fetched (a phrase for the message), or None if it may.

    An IPv6 address that carries an IPv4 address (NAT64, 6to4, Teredo, ...) is judged by that
    IPv4 address too: 64:ff9b::7f00:1 is 127.0.0.1 once a translator has passed it on.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    for judged in _addresses_reached(ip):
        refusal = _refusal(judged, allow_loopback)
        if refusal:
            return refusal
    return None


def _addresses_reached(ip) -> list:
    """`ip` and every IPv4 address inside it; only the IPv4 one where the IPv6 form is merely
    a way to write it (Python counts some of those forms as private or reserved)."""
    if ip.version == 4:
        return [ip]
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    last_32_bits = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in NAT64 or ip in IPV4_TRANSLATED:
        return [last_32_bits]
    if ip in IPV4_COMPATIBLE and int(ip) > 1:  # :: and ::1 are themselves
        return [last_32_bits]
    if ip.sixtofour:
        return [ip.sixtofour, ip]
    if ip.teredo:
        return [*ip.teredo, ip]  # the relay server and the client behind it
    return [ip]


def _refusal(ip, allow_loopback: bool) -> str | None:
    if ip in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    if ip.is_loopback:
        return None if allow_loopback else _("a loopback address")
    if ip.is_unspecified:
        # 0.0.0.0 and :: reach the local machine on Linux.
        return _("a reserved address")
    if ip.is_link_local:
        return _("a link-local address")
    if ip.is_private:
        return _("a private address")
    if not ip.is_global or ip.is_multicast or ip in LOCAL_NAT64:
        return _("a reserved address")
    return None


def _request(parts, address, method, body, headers, policy, deadline):
    if deadline <= time.monotonic():
        raise FetchError(_("The fetch took too long."), code="timeout")
    connection = _pinned_connection(parts, address, deadline)
    path = _request_target(parts)
    request_headers = {"User-Agent": policy.user_agent, "Accept": "*/*", **headers}
    try:
        connection.connect()
        connection.sock.settimeout(_time_left(deadline))
        connection.request(method, path, body=body, headers=request_headers)
        return connection.getresponse(), connection
    except TimeoutError:
        connection.close()
        raise FetchError(_("The server did not answer in time."), code="timeout") from None
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise FetchError(
            _("The server could not be reached: %(error)s") % {"error": error},
            code="connection_failed",
        ) from None


def _request_target(parts) -> str:
    """The path and query as they go on the request line: what a browser would send for a
    URL typed with spaces or accented letters (percent-encoded as UTF-8), and never a raw
    control character; escapes already in the URL are kept."""
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    return quote(target, safe="/?[]@!$&'()*+,;=:%~")


def _pinned_connection(parts, address: str, deadline: float) -> http.client.HTTPConnection:
    """A connection to `address`, the one we checked, not to whatever a second DNS lookup
    returns (TLS still verifies the certificate against the host name), and reading under
    the fetch's deadline."""
    port = parts.port or _default_port(parts)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    # No timeout here: the connect below and every read set their own from the deadline.
    connection = connection_class(parts.hostname, port)

    def connect_to_checked_address(_address, _timeout, source=None):
        sock = socket.create_connection((address, port), _time_left(deadline), source)
        sock.settimeout(_time_left(deadline))  # for the TLS handshake that may follow
        return sock

    connection._create_connection = connect_to_checked_address
    connection.response_class = lambda sock, **kwargs: _DeadlineResponse(
        sock, deadline=deadline, **kwargs
    )
    return connection


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


class _DeadlineResponse(http.client.HTTPResponse):
    """A response whose status line, headers and body are all read before `deadline`."""

    def __init__(self, sock, *, deadline: float, **kwargs):
        super().__init__(sock, **kwargs)
        self.fp.close()
        self.fp = io.BufferedReader(_DeadlineReader(sock, deadline))


class _DeadlineReader(io.RawIOBase):
    """Reads the socket with its timeout cut to the time left before each read: a socket
    timeout bounds one read, and a server can trickle a byte just inside it, read after read."""

    def __init__(self, sock, deadline: float):
        self._sock, self._deadline = sock, deadline
        # The socket's own raw file, which also keeps it open while the response is read
        # (http.client closes its handle on the socket early when the server will close).
        self._file = sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(_time_left(self._deadline))
        return self._file.readinto(buffer)

    def close(self) -> None:
        self._file.close()
        super().close()


def _read(response, policy: FetchPolicy) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > policy.max_bytes:
        raise FetchError(_too_large(policy), code="too_large")
    chunks, size = [], 0
    try:
        while chunk := response.read1(64 * 1024):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(_too_large(policy), code="too_large")
            chunks.append(chunk)
    except TimeoutError:
        raise FetchError(_("The server did not answer in time."), code="timeout") from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(
            _("The download broke off: %(error)s") % {"error": error}, code="connection_failed"
        ) from None
    return b"".join(chunks)


def _too_large(policy: FetchPolicy) -> str:
    return _("The page is larger than %(mb).1f MB.") % {"mb": policy.max_bytes / 1024 / 1024}
