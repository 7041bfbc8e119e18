import time

import pytest

from lib.fetching import FetchError, FetchPolicy, address_refusal, fetch
from tests.rebinding import assert_went_only_to_the_checked_address

LOCAL = FetchPolicy(allow_loopback=True, timeout=1.0, max_bytes=1000)
CREDENTIALS = {
    "Authorization": "LOW key:secret",
    "Cookie": "session=abc",
    "Proxy-Authorization": "Basic eDp5",
    "X-Request-Purpose": "test",
}


def test_fetches_a_page_from_an_allowed_host(http_server):
    http_server.routes["/ok"] = (200, {"Content-Type": "text/html; charset=utf-8"}, "ciào".encode())
    result = fetch(http_server.url + "/ok", policy=LOCAL)
    assert result.status == 200 and result.text() == "ciào"
    assert result.content_type == "text/html"
    assert http_server.requests[0][2]["User-Agent"].startswith("Factdesk")


def test_error_statuses_are_returned_for_the_link_checker(http_server):
    assert fetch(http_server.url + "/status/410", policy=LOCAL).status == 410


def test_loopback_is_refused_by_default_before_any_request(http_server):
    with pytest.raises(FetchError, match="loopback address") as error:
        fetch(http_server.url + "/ok")
    assert error.value.code == "address_not_allowed"
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/file", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("http://user:secret@example.org/", "user name or password"),
        ("http://", "no host"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused_with_a_clear_message(url, message):
    with pytest.raises(FetchError, match=message):
        fetch(url, policy=LOCAL)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("172.16.5.4", "a private address"),
        ("169.254.10.10", "a link-local address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "a reserved address"),  # noqa: S104
        ("100.64.0.1", "a reserved address"),
        ("8.8.8.8", None),
    ],
)
def test_address_policy(address, kind):
    assert address_refusal(address) == kind


def test_a_host_is_checked_after_dns_resolution(http_server):
    # The name looks public; what it resolves to decides.
    policy = FetchPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(FetchError, match=r"news\.example resolves to a private address"):
        fetch("http://news.example/story", policy=policy)


def test_every_redirect_hop_is_checked(http_server):
    http_server.routes["/redirect"] = (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    with pytest.raises(FetchError, match="cloud metadata"):
        fetch(http_server.url + "/redirect", policy=LOCAL)


def test_redirects_are_followed_and_recorded(http_server):
    http_server.routes["/old"] = (301, {"Location": "/ok"}, b"")
    http_server.routes["/ok"] = (200, {}, b"here")
    result = fetch(http_server.url + "/old", policy=LOCAL)
    assert result.url == http_server.url + "/ok" and result.redirects == [http_server.url + "/old"]
    assert result.content == b"here"


def test_redirect_loops_stop(http_server):
    http_server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="Too many redirects"):
        fetch(http_server.url + "/loop", policy=LOCAL)


def test_size_limit(http_server):
    http_server.routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(FetchError, match="larger than") as error:
        fetch(http_server.url + "/big", policy=LOCAL)
    assert error.value.code == "too_large"


def test_time_limit(http_server):
    http_server.routes["/slow"] = ("slow", {}, b"late")
    with pytest.raises(FetchError, match="in time") as error:
        fetch(http_server.url + "/slow", policy=FetchPolicy(allow_loopback=True, timeout=0.3))
    assert error.value.code == "timeout"


@pytest.mark.parametrize(
    ("path", "sent"),
    [
        ("/città vecchia?q=più", "/citt%C3%A0%20vecchia?q=pi%C3%B9"),
        ("/a%20b?x=1&y=%2F", "/a%20b?x=1&y=%2F"),
        ("/bell\x07", "/bell%07"),  # (urlsplit itself drops CR, LF and tab)
    ],
)
def test_the_path_is_sent_percent_encoded(http_server, path, sent):
    assert fetch(http_server.url + path, policy=LOCAL).status == 404
    assert http_server.requests[0][1] == sent


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(FetchError, match="could not be reached"):
        fetch("http://127.0.0.1:9/", policy=LOCAL)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        # NAT64 (RFC 6052): the translator connects to the last 32 bits.
        ("64:ff9b::7f00:1", "a loopback address"),
        ("64:ff9b::a00:7", "a private address"),
        ("64:ff9b::a9fe:a9fe", "a cloud metadata address"),
        ("64:ff9b::808:808", None),
        # Local-use NAT64 (RFC 8215): where the IPv4 address sits is up to the operator.
        ("64:ff9b:1::7f00:1", "a reserved address"),
        ("64:ff9b:1::808:808", "a reserved address"),
        # 6to4 (RFC 3056): the IPv4 address follows 2002.
        ("2002:7f00:1::1", "a loopback address"),
        ("2002:c0a8:1::1", "a private address"),
        ("2002:808:808::1", None),
        # SIIT's IPv4-translated (RFC 6145) and the old IPv4-compatible form (RFC 4291).
        ("::ffff:0:7f00:1", "a loopback address"),
        ("::ffff:0:a9fe:a9fe", "a cloud metadata address"),
        ("::ffff:0:808:808", None),
        ("::7f00:1", "a loopback address"),
        ("::a00:1", "a private address"),
        ("::808:808", None),
        ("::ffff:808:808", None),
        ("::1", "a loopback address"),
        # Teredo (RFC 4380): the client's address is the last 32 bits, inverted.
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "a loopback address"),
    ],
)
def test_ipv6_forms_that_carry_an_ipv4_address_are_judged_by_it(address, kind):
    assert address_refusal(address) == kind


def test_an_ipv6_form_of_loopback_is_refused_before_any_request(http_server):
    policy = FetchPolicy(resolver=lambda host, port: ["64:ff9b::7f00:1"])
    with pytest.raises(FetchError, match="loopback address") as error:
        fetch("http://nat64.example/", policy=policy)
    assert error.value.code == "address_not_allowed"


def test_one_deadline_covers_the_headers_too(trickling_server):
    # Each header line comes within the socket timeout; the whole answer never would.
    started = time.monotonic()
    with pytest.raises(FetchError, match="in time") as error:
        fetch(trickling_server.url + "/", policy=LOCAL)
    assert error.value.code == "timeout"
    assert time.monotonic() - started < 1.5


def test_credentials_are_dropped_on_a_redirect_to_another_origin(http_server, other_http_server):
    other_http_server.routes["/landing"] = (200, {}, b"here")
    http_server.routes["/moved"] = (302, {"Location": other_http_server.url + "/landing"}, b"")
    result = fetch(http_server.url + "/moved", policy=LOCAL, headers=dict(CREDENTIALS))
    assert result.content == b"here"
    assert CREDENTIALS.items() <= http_server.requests[0][2].items()
    sent_on = other_http_server.requests[0][2]
    assert not {"Authorization", "Cookie", "Proxy-Authorization"} & sent_on.keys()
    assert sent_on["X-Request-Purpose"] == "test"


def test_credentials_stay_on_a_redirect_within_the_origin(http_server):
    http_server.routes["/moved"] = (302, {"Location": "/landing"}, b"")
    http_server.routes["/landing"] = (200, {}, b"here")
    fetch(http_server.url + "/moved", policy=LOCAL, headers=dict(CREDENTIALS))
    assert CREDENTIALS.items() <= http_server.requests[1][2].items()


def test_redirects_can_be_returned_instead_of_followed(http_server):
    http_server.routes["/moved"] = (302, {"Location": "/landing"}, b"")
    result = fetch(http_server.url + "/moved", policy=LOCAL, follow_redirects=False)
    assert result.status == 302 and len(http_server.requests) == 1


def test_the_fetch_connects_to_the_address_it_checked(rebinding_dns):
    # The first answer is public and passes the check; a second lookup would say 127.0.0.1.
    with pytest.raises(FetchError, match="could not be reached"):
        fetch(rebinding_dns.url("/"), policy=FetchPolicy(timeout=1.0))
    assert rebinding_dns.connects and rebinding_dns.lookups == ["rebind.test"]
    assert_went_only_to_the_checked_address(rebinding_dns)
