"""The Redis cache backend's watched keys: one process's change is seen by another's next
read, without that read asking Redis, and never a value a lost announcement left behind."""

import time
import uuid

import pytest
import redis

from lib.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"
KEY = "pages:version"


@pytest.fixture
def prefix():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"factdesk-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def process(prefix) -> RedisCache:
    """A cache as one app process holds it (each process has its own backend object)."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


def live_watch(cache: RedisCache):
    """Read until the subscription is confirmed: the first reads fall back to Redis."""
    watch = cache.watch(KEY)
    deadline = time.monotonic() + 5  # a loaded machine may take a while to confirm
    while time.monotonic() < deadline:
        if watch.value() is not None:
            return watch
        time.sleep(0.001)
    pytest.fail("the subscription was never confirmed")


def test_a_change_announced_by_one_process_is_read_by_another_at_once(prefix):
    writer, reader = process(prefix), process(prefix)
    writer.set(KEY, 10, timeout=None)
    watch = live_watch(reader)
    assert watch.value() == 10

    writer.announce(KEY, writer.incr(KEY))
    assert watch.value() == 11


def test_a_watched_value_is_read_without_asking_redis(prefix, monkeypatch):
    writer, reader = process(prefix), process(prefix)
    writer.set(KEY, 10, timeout=None)
    watch = live_watch(reader)

    def no_round_trip(*args, **kwargs):
        raise AssertionError("asked Redis")

    monkeypatch.setattr(reader, "get", no_round_trip)
    assert [watch.value() for _ in range(3)] == [10, 10, 10]


def test_a_dropped_subscription_never_leaves_the_old_value(prefix):
    writer, reader = process(prefix), process(prefix)
    writer.set(KEY, 10, timeout=None)
    watch = live_watch(reader)
    # The subscriber's connection drops; the change made meanwhile is announced to no one.
    host, port = watch._pubsub.connection._sock.getsockname()
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=None, addr=f"{host}:{port}")
    writer.incr(KEY)
    writer.announce(KEY, 11)
    assert watch.value() in (None, 11)  # None: the caller asks Redis, which says 11
    assert live_watch(reader).value() == 11


def test_a_value_missing_from_redis_is_not_invented(prefix):
    watch = process(prefix).watch(KEY)
    assert [watch.value() for _ in range(20)] == [None] * 20


def test_the_parent_backend_parts_the_watcher_borrows_keep_their_shape():
    """RedisCache leans on Django's RedisCache internals (`_cache`, `_servers`): if an upgrade
    changes them, this fails before any page does."""
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "contract"})
    assert cache._servers == [REDIS_URL]
    client = cache._cache
    assert client is cache._cache  # built once per backend object
    assert client.get_client(write=True) is client.get_client(write=True)  # one client per pool
