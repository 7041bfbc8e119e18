import socket

import pytest
from django.core.exceptions import ValidationError

from api.addresses import check_public_url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
        # IPv6 forms that carry an internal IPv4 address.
        "http://[64:ff9b::7f00:1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[2002:7f00:1::1]/hook",
        "http://[::ffff:0:a00:1]/hook",
        "http://[::7f00:1]/hook",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(ValidationError) as error:
        check_public_url(url)
    assert error.value.code == "private_address"


@pytest.mark.parametrize("url", ["ftp://93.184.216.34/x", "file:///etc/passwd", "http:///x"])
def test_only_http_urls_with_a_host_are_accepted(url):
    with pytest.raises(ValidationError) as error:
        check_public_url(url)
    assert error.value.code == "bad_scheme"


def test_credentials_in_the_url_are_refused():
    with pytest.raises(ValidationError):
        check_public_url("https://user:pw@93.184.216.34/x")


def test_a_public_address_is_accepted():
    check_public_url("https://93.184.216.34/hooks")


def test_a_name_is_refused_when_any_of_its_addresses_is_private(monkeypatch):
    def fake_getaddrinfo(host, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(ValidationError) as error:
        check_public_url("https://rebind.example/hook")
    message = error.value.messages[0]
    assert "rebind.example points to a private" in message
    assert "10.0.0.7" not in message  # no map of the desk's network for a key holder


def test_an_unresolvable_name_is_refused(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(ValidationError) as error:
        check_public_url("https://nowhere.invalid/hook")
    assert error.value.code == "unresolvable"
