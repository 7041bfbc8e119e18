"""A Redis outage slows the site down; it never takes it down, and never serves a stale check.

The cache is pointed at a closed port (Redis gone) or at a proxy in front of the real Redis
that the test cuts and restores (Redis gone for a while, with its data, then back).
"""

import contextlib
import logging
import socket
import threading
import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connection

from api.models import IntegrationKey, KeyScope
from claims import services
from tests.factories import make_published_claim, verdict

from .servers import free_port, gunicorn
from .test_two_app_servers import browser, get, log_in

REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "correct-horse-battery"


def redis_cache(settings, location: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "lib.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"factdesk-test-{uuid.uuid4().hex[:8]}",
        }
    }


@pytest.fixture
def redis_down(settings):
    """The production cache backend, configured for a Redis that is not there."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    redis_cache(settings, location)
    return location


@pytest.fixture
def claim(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor, verdict_code="false")


pytestmark = pytest.mark.django_db


def test_reader_pages_api_and_sign_in_all_work_without_the_cache(client, redis_down, claim, editor):
    for url in ("/en/", claim.get_absolute_url(), claim.article.get_absolute_url(), "/en/claims/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/claims/").status_code == 200
    _key, secret = IntegrationKey.objects.create_key(
        name="cms", user=editor, scope=KeyScope.READ_WRITE
    )
    response = client.get("/api/v1/claims/", headers={"authorization": f"Api-Key {secret}"})
    assert response.status_code == 200
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_pages_are_served_uncached_so_a_correction_shows_at_once(
    client, redis_down, claim, editor, django_capture_on_commit_callbacks
):
    url = claim.get_absolute_url()
    assert "Mostly true" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_correct(
            claim=claim, actor=editor, note="Revised figures.", verdict=verdict("mostly-true")
        )
    assert "Mostly true" in client.get(url).content.decode()


def test_readyz_keeps_the_replica_in_service_and_reports_the_cache(client, redis_down):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "cache": "unreachable"},
    }


def test_api_throttle_becomes_per_process_instead_of_lapsing(client, redis_down, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute"},
    }
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    codes = [client.get("/api/v1/claims/", REMOTE_ADDR=address).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_an_outage_is_logged_once_and_redis_is_not_retried_on_every_request(
    client, redis_down, claim, caplog, monkeypatch
):
    port = int(redis_down.rsplit(":", 1)[1].split("/")[0])
    attempts = []
    real_connect = socket.socket.connect

    def counting_connect(sock, address):
        if isinstance(address, tuple) and address[1] == port:
            attempts.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    with caplog.at_level(logging.WARNING, logger="lib.cache"):
        for _ in range(20):
            assert client.get(claim.get_absolute_url()).status_code == 200
    outage_lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_lines) == 1
    assert "serving without it" in outage_lines[0].getMessage()
    # The first request finds Redis gone (its client and the version watcher try once each);
    # the other nineteen do not try again until the retry interval has passed.
    assert 1 <= len(attempts) <= 4


class CuttableProxy:
    """A TCP proxy to the real Redis that can be cut (every connection dropped, new ones
    refused) and restored on the same port: an outage that ends with Redis's data intact."""

    def __init__(self, target=("127.0.0.1", 6379)):
        self.target = target
        self.port = free_port()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._track(listener)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            self._track(client)
            self._track(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)


@pytest.fixture
def redis_behind_proxy(settings, monkeypatch):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    proxy = CuttableProxy()
    redis_cache(settings, f"redis://127.0.0.1:{proxy.port}/15")
    monkeypatch.setattr("lib.cache.RETRY_AFTER_SECONDS", 0.0)
    # This process has seen no outage of this (new) cache server yet.
    monkeypatch.setattr("claims.caching._outages_seen", caches["default"].outages)
    yield proxy
    caches["default"].clear()
    proxy.cut()


def test_a_correction_made_while_redis_was_down_is_served_once_it_is_back(
    client, redis_behind_proxy, claim, editor, django_capture_on_commit_callbacks
):
    url = claim.get_absolute_url()
    for _ in range(2):  # rendered, then served from the cache
        assert "Mostly true" not in client.get(url).content.decode()

    redis_behind_proxy.cut()
    assert client.get(url).status_code == 200  # the outage is noticed here
    with django_capture_on_commit_callbacks(execute=True):
        # The pages version cannot be bumped: Redis still holds the old one, and the old page.
        services.claim_correct(
            claim=claim, actor=editor, note="Revised figures.", verdict=verdict("mostly-true")
        )
    assert "Mostly true" in client.get(url).content.decode()

    redis_behind_proxy.restore()
    for _ in range(3):
        assert "Mostly true" in client.get(url).content.decode()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server needs a shared database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_production_server_with_redis_gone_serves_readers_the_api_and_the_desk(
    collected_static, fact_checker, editor
):
    claim = make_published_claim(checker=fact_checker, editor=editor)
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    with gunicorn(env) as server:
        reader = browser()
        for path in ("/en/", claim.get_absolute_url(), "/api/v1/claims/", "/readyz"):
            url, _page = get(reader, f"{server}{path}")  # urllib raises on a 4xx or 5xx
            assert url == f"{server}{path}"
        log_in(browser(), server, "editor", PASSWORD)
