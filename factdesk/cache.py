"""Django's Redis cache backend, made cheap enough to sit in front of every public page.

Two additions:

- One `redis.Redis` client per connection pool. Django's `RedisCacheClient.get_client()`
  builds a new `redis.Redis` for every cache call, and since redis-py 6 that constructor fills
  a table of ~170 response callbacks: it cost more than the round trip to Redis itself (about
  150 µs against 130 µs here), a quarter of a cached page.
- *Watched keys*: a small value (the public pages version) that every process reads on every
  request without a round trip. Writers announce each change on a pub/sub channel; each
  process subscribes, and before answering reads whatever announcements have already reached
  its socket (a non-blocking poll). Redis pushes a PUBLISH to subscribers while handling it,
  before the publisher gets its reply, so a change committed before a request began is seen
  by that request. Whenever the subscription is not known to be whole (not yet confirmed,
  dropped, re-made), `WatchedKey.value()` returns None and the caller asks Redis as before.
"""

import contextlib
import os
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from redis.backoff import NoBackoff
from redis.retry import Retry

# A lost announcement cannot be noticed on a half-open connection, so the value is also read
# from Redis now and then: the bound on staleness if the network silently drops a message.
RESYNC_SECONDS = 5.0


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._watched = {}

    def announce(self, key: str, value: int) -> None:
        """Tell every process watching `key` that it now holds `value` (after setting it)."""
        client = self._cache.get_client(write=True)
        client.publish(self._channel(key), value)

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
