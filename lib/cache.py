"""Django's Redis cache backend, made cheap enough to sit in front of every public page, and
harmless when Redis is down.

Three additions:

- *An outage is a miss, not an error.* The cache only accelerates: with Redis unreachable, a
  read answers as a miss and a write is dropped, so pages render uncached, sessions and
  throttles fall back (see their settings) and the site stays up. After a failed call the
  process treats Redis as down for `RETRY_AFTER_SECONDS`, answering at once instead of every
  request waiting out a connect timeout, and logs the outage once per `LOG_EVERY_SECONDS`.
  `RedisCache.reachable()` and `RedisCache.outages` tell callers that must know (the page
  cache must not mistake an outage for an empty cache).
- One `redis.Redis` client per connection pool. Django's `RedisCacheClient.get_client()`
  builds a new `redis.Redis` for every cache call, and since redis-py 6 that constructor fills
  a table of ~170 response callbacks: it cost more than the round trip to Redis itself (about
  150 µs against 130 µs here), a quarter of a cached page.
- *Watched keys*: a small value (the public pages version) that every process reads on every
  request without a round trip. Writers announce each change on a pub/sub channel; each
  process subscribes, and before answering reads whatever announcements have already reached
  its socket (a non-blocking poll). Whenever the subscription is not known to be whole (not
  yet confirmed, dropped, re-made), `WatchedKey.value()` returns None and the caller asks
  Redis as before.

  What it guarantees, and what it does not: Redis writes a PUBLISH to the subscribers'
  sockets before it replies to the publisher, but the announcement travels on the reader's
  own connection, so nothing orders its arrival against a request that starts elsewhere just
  after the change. A reader can be behind by the time one message takes to arrive (none of
  73,654 reads checked by bench/bench_cache_staleness.py was, on one host); and if the network
  silently drops a message on a live connection, by at most RESYNC_SECONDS, when the value is
  read from Redis again.

These lean on the parent backend's `_cache` and `_servers` (Django's, not public API);
tests/test_cache.py fails if either changes shape.
"""

import contextlib
import logging
import os
import threading
import time

import redis
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.locmem import LocMemCache
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# A lost announcement cannot be noticed on a half-open connection, so the value is also read
# from Redis now and then: the bound on staleness if the network silently drops a message.
RESYNC_SECONDS = 5.0
# After a failed call, how long this process answers cache calls as misses without trying
# Redis: long enough that a dead server costs one connect attempt per interval, not one per
# request; short enough that the cache is back within seconds of Redis.
RETRY_AFTER_SECONDS = 5.0
# While an outage lasts, one warning per interval per process.
LOG_EVERY_SECONDS = 60.0

_UNREACHABLE = (redis.RedisError, OSError)
_MISSING = object()


class CacheOutage:
    """One process's view of one cache server: is it reachable, and how often was it not.

    Shared by every thread's backend object (Django keeps one per thread), so an outage is
    noticed, waited out and logged once per process.
    """

    _registry: dict[str, "CacheOutage"] = {}
    _registry_lock = threading.Lock()

    def __init__(self, location: str):
        self.location = location
        self.count = 0  # outages this process has seen begin
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._since = None  # monotonic start of the current outage, None while healthy
        self._logged_at = 0.0

    @classmethod
    def of(cls, location: str) -> "CacheOutage":
        with cls._registry_lock:
            if location not in cls._registry:
                cls._registry[location] = cls(location)
            return cls._registry[location]

    def waiting(self) -> bool:
        """True while calls should not even try the server."""
        return time.monotonic() < self._down_until

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_AFTER_SECONDS
            if self._since is None:
                self._since, self.count = now, self.count + 1
            elif now - self._logged_at < LOG_EVERY_SECONDS:
                return
            self._logged_at = now
        logger.warning(
            "Cache %s unreachable (%s): serving without it, retrying every %s s",
            _without_password(self.location),
            error,
            RETRY_AFTER_SECONDS,
        )

    def succeeded(self) -> None:
        if self._since is None:  # the common case, without taking the lock
            return
        with self._lock:
            if self._since is None:
                return
            lasted, self._since = time.monotonic() - self._since, None
        logger.warning(
            "Cache %s reachable again after %.0f s", _without_password(self.location), lasted
        )


def _without_password(location: str) -> str:
    scheme, sep, rest = location.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}{sep}***@{host}" if at and credentials else location


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}
        self.outage = CacheOutage.of(servers[0])

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def call(self, miss, method, *args):
        """`method(*args)`, or `miss` when Redis is unreachable (now, or moments ago)."""
        if self.outage.waiting():
            return miss
        try:
            result = method(*args)
        except _UNREACHABLE as error:
            self.outage.failed(error)
            return miss
        self.outage.succeeded()
        return result

    # What each call answers during an outage: a miss for reads, "not stored" for writes.
    def add(self, key, value, timeout):
        return self.call(False, super().add, key, value, timeout)

    def get(self, key, default):
        return self.call(default, super().get, key, default)

    def set(self, key, value, timeout):
        return self.call(None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self.call(False, super().touch, key, timeout)

    def delete(self, key):
        return self.call(False, super().delete, key)

    def get_many(self, keys):
        return self.call({}, super().get_many, keys)

    def has_key(self, key):
        return self.call(False, super().has_key, key)

    def incr(self, key, delta):
        result = self.call(_MISSING, super().incr, key, delta)
        if result is _MISSING:
            # Django's contract for a key the cache does not hold.
            raise ValueError(f"Key {key!r} not found (the cache is unreachable)")
        return result

    def set_many(self, data, timeout):
        return self.call(None, super().set_many, data, timeout)

    def delete_many(self, keys):
        return self.call(None, super().delete_many, keys)

    def clear(self):
        return self.call(False, super().clear)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._watched = {}

    def reachable(self) -> bool:
        """False from a failed call to the next successful one: reads meanwhile were misses
        and writes were dropped. (Calls in that time try Redis once per retry interval.)"""
        return not self._cache.outage.ongoing

    @property
    def outages(self) -> int:
        """How many outages this process has seen begin: a change means writes were lost."""
        return self._cache.outage.count

    def announce(self, key: str, value: int) -> None:
        """Tell every process watching `key` that it now holds `value` (after setting it)."""
        client = self._cache.get_client(write=True)
        self._cache.call(None, client.publish, self._channel(key), value)

    def watch(self, key: str) -> "WatchedKey":
        if key not in self._watched:
            self._watched[key] = WatchedKey(self, key)
        return self._watched[key]

    def _channel(self, key: str) -> str:
        return "announce:" + self.make_and_validate_key(key)

    def _subscriber(self) -> redis.client.PubSub:
        # A connection that never retries: if the subscription drops, announcements sent
        # meanwhile are lost, so the watcher must hear of it rather than be quietly
        # re-subscribed.
        client = redis.Redis.from_url(
            self._servers[0],
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=2,
            socket_timeout=2,
        )
        return client.pubsub()


class WatchedKey:
    """This process's copy of one integer in the cache, kept current by announcements."""

    def __init__(self, backend: RedisCache, key: str):
        self._backend = backend
        self._key = key
        self._lock = threading.Lock()
        self._pubsub = None
        self._pid = None
        self._forget()

    def value(self) -> int | None:
        """The key's current value, or None when the caller must ask the cache itself."""
        with self._lock:
            try:
                return self._current()
            except (redis.RedisError, OSError, ValueError):
                self._close()
                return None

    def _current(self) -> int | None:
        if self._pubsub is None or self._pid != os.getpid():
            self._pubsub = None  # a forked child must not touch its parent's socket
            self._forget()
            self._pid = os.getpid()
            self._pubsub = self._backend._subscriber()
            self._pubsub.subscribe(self._backend._channel(self._key))
        while (message := self._pubsub.get_message(timeout=0)) is not None:
            if message["type"] == "subscribe":
                # (Re)subscribed: from here on no announcement is missed; what came before
                # is read below.
                self._forget()
                self._subscribed = True
            elif message["type"] == "message" and self._value is not None:
                self._value = max(self._value, int(message["data"]))
        if not self._subscribed:
            return None
        if self._value is None or time.monotonic() - self._read_at > RESYNC_SECONDS:
            value = self._backend.get(self._key)
            if value is None:
                return None
            self._value, self._read_at = int(value), time.monotonic()
        return self._value

    def _forget(self) -> None:
        self._subscribed = False
        self._value = None
        self._read_at = 0.0

    def _close(self) -> None:
        if self._pubsub is not None and self._pid == os.getpid():
            with contextlib.suppress(redis.RedisError, OSError):
                self._pubsub.close()
        self._pubsub = None
        self._forget()


def cache_reachable(backend) -> bool:
    """Whether `backend` can be trusted to hold what was stored (only Redis can be down)."""
    return backend.reachable() if isinstance(backend, RedisCache) else True


class SharedOrLocalCache:
    """The default cache, or this process's memory while the default cache is unreachable.

    For counters that must not lapse in an outage (API throttles): a limit shared by every
    process becomes, for the outage, the same limit per process. Only what those callers use
    (get and set) is offered.
    """

    def __init__(self, name: str):
        self._local = LocMemCache(f"factdesk-{name}-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    # The shared cache is always asked first: in an outage it answers at once, and asking is
    # how it notices that Redis is back.
    def get(self, key, default=None):
        shared = caches["default"]
        value = shared.get(key, _MISSING)
        if not cache_reachable(shared):
            return self._local.get(key, default)
        return default if value is _MISSING else value

    def set(self, key, value, timeout=None):
        shared = caches["default"]
        shared.set(key, value, timeout)
        if not cache_reachable(shared):
            self._local.set(key, value, timeout)
