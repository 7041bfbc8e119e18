"""A DNS rebinding attack, for the SSRF tests of every place that fetches a URL.

The `rebinding_dns` fixture makes every host name answer a public address on its first lookup
and 127.0.0.1 on every later one, as an attacker's name server would. A trap server listens on
127.0.0.1 and records any connection: a fetcher that checks one answer and connects to another
walks into it. Connections to the public address are logged and refused (tests stay off the
internet), which is what a safe fetcher pinned to the checked address runs into.
"""

import ipaddress
import socket
import threading
from types import SimpleNamespace

import pytest

PUBLIC = "93.184.216.34"


def _is_literal(host) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _serve_trap(listener, hits, stop):
    while not stop.is_set():
        try:
            connection, address = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        hits.append(address)
        connection.close()


@pytest.fixture
def rebinding_dns(monkeypatch):
    """`.url(path)` is a URL on a rebinding name whose port is the trap's; after the fetch,
    `.trap_hits` must be empty and `.connects` shows where connections went."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    dns = SimpleNamespace(
        lookups=[],
        connects=[],
        trap_hits=[],
        url=lambda path="/": f"http://rebind.test:{port}{path}",
    )
    stop = threading.Event()
    threading.Thread(target=_serve_trap, args=(listener, dns.trap_hits, stop), daemon=True).start()

    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        if host is None or _is_literal(host):
            return real_getaddrinfo(host, port, *args, **kwargs)  # no DNS for a literal address
        answer = "127.0.0.1" if dns.lookups else PUBLIC
        dns.lookups.append(host)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answer, int(port or 0)))
        ]

    def logged_connect(sock, address):
        dns.connects.append(address[:2])
        if address[0] == PUBLIC:
            raise ConnectionRefusedError(111, "Connection refused")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", logged_connect)
    yield dns
    stop.set()
    listener.close()


def assert_went_only_to_the_checked_address(dns):
    assert dns.trap_hits == [], "the fetch connected to the address of a second DNS answer"
    assert all(host == PUBLIC for host, _port in dns.connects), dns.connects
