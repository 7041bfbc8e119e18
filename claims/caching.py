"""The public page cache, its invalidation, and conditional GETs (ETag / Last-Modified).

Every cached page is stamped with the site-wide *pages version* it was rendered at. Any
change to what readers can see (a claim published, corrected or unpublished; its evidence,
sources, outlets, article or the verdict scale edited) bumps the version once the transaction
commits, so every page renders afresh on its next visit (docs/performance.md says how soon
other processes see it). The version and the pages live in Django's cache (Redis in production), so
every process and replica sees one version.

Two things keep a cached page nearly as cheap as a trivial view (bench/bench_pages.py): with
Redis, each process watches the version (lib/cache.py: announced on pub/sub, read without
a round trip), and each process keeps its own copies of the pages of the current version, so
a repeat visit touches Redis not at all.

With Redis unreachable the pages are served uncached (and so still current), and each
process that saw Redis down bumps the version once it is back, since changes made meanwhile
could not.

Signals are used here, and only here, because invalidation is a side effect of *any* write,
whichever service or admin page made it (STYLE.md allows signals for cache invalidation).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe, quote_etag
from django.utils.translation import get_language

from lib import site_url
from lib.cache import RedisCache

VERSION_KEY = "factdesk:pages:version"
LOCAL_PAGES_MAX = 500  # per process: at most ~25 MB of pages
# Headers a view sets that belong to the page and are kept with it (the feed's next page).
KEPT_HEADERS = ("Link",)


def _redis() -> RedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


def pages_version() -> int | None:
    """The current pages version, started from the clock so a flushed cache never reuses one;
    None while the cache is unreachable, when pages are served uncached."""
    redis = _redis()
    if redis is None:
        return _shared_version()
    # In an outage the watcher's own connection is not even tried; the cache's calls try Redis
    # again once per retry interval and otherwise answer at once.
    version = redis.watch(VERSION_KEY).value() if redis.reachable() else None
    if version is None:
        version = _shared_version()
    if not redis.reachable():
        return None
    bumped = _after_outage(redis)
    return version if bumped is None else bumped


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


_outages_seen = 0


def _after_outage(redis: RedisCache) -> int | None:
    """A new pages version (returned) when this process saw Redis down since it last looked.

    A change committed during the outage could not bump the version, so pages cached before
    it would come back from Redis stale: every process that saw the outage bumps once. (A
    change made by a process that saw no outage, because it never touched the cache, is the
    one case left to the pages' expiry, FACTDESK_PAGE_CACHE_SECONDS.)
    """
    global _outages_seen  # per process, like the outage it follows
    if redis.outages == _outages_seen:
        return None
    _outages_seen = redis.outages
    return pages_changed()


def pages_changed() -> int:
    """Make every cached public page stale, in every process; returns the new version."""
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted or never set, or the cache is unreachable
        version = time.time_ns()
        cache.set(VERSION_KEY, version, timeout=None)
    if redis := _redis():
        redis.announce(VERSION_KEY, version)
    return version


class LocalPages:
    """This process's copies of cached pages, all of one pages version: a newer version
    retires them together, so the copies need no invalidation of their own."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self._version, self._pages = None, {}

    def get(self, key: str, version: int) -> dict | None:
        if version != self._version:
            return None
        entry, expires = self._pages.get(key, (None, 0.0))
        return entry if time.monotonic() < expires else None

    def put(self, key: str, entry: dict, timeout: int) -> None:
        version = entry["version"]
        if self._version is not None and version < self._version:
            return  # a slow render that a change has already retired
        if version != self._version or len(self._pages) >= LOCAL_PAGES_MAX:
            self._version, self._pages = version, {}
        self._pages[key] = (entry, time.monotonic() + timeout)


local_pages = LocalPages()


def _changed_on_commit(sender, **kwargs):
    # After commit: a reader that rendered the old data during the transaction stored it under
    # the old version, which this bump retires.
    transaction.on_commit(pages_changed)


def connect_signals() -> None:
    """Called from ClaimsConfig.ready(): every model a public page shows."""
    from claimants.models import Claimant, ClaimantRole
    from sources.models import Outlet, Source

    from .models import (
        Article,
        AttributionLink,
        Claim,
        Correction,
        Evidence,
        Sighting,
        Topic,
        VerdictRating,
    )

    # A sighting changes its claim's "repeated N times" (and marking one "not a repeat" too).
    models = (Claim, Correction, Evidence, Article, Topic, VerdictRating, Source, Outlet, Sighting)
    for model in (*models, Claimant, ClaimantRole, AttributionLink):
        uid = f"factdesk-pages-{model._meta.label_lower}"
        post_save.connect(_changed_on_commit, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed_on_commit, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _changed_on_commit, sender=Claim.topics.through, dispatch_uid="factdesk-pages-topics"
    )


def cached_page(view=None, *, with_query: bool = False):
    """Serve a public GET view from the page cache, with an ETag and 304s.

    A page is stored under its language and path (and query string when `with_query`: list
    pages) together with the pages version it was rendered at; it is served only while that
    version is current.
    Only 200 responses are cached. The view may set Last-Modified; the ETag is the hash of
    the body, so it changes exactly when the page does.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view_func(request, *args, **kwargs)
            timeout = settings.FACTDESK_PAGE_CACHE_SECONDS
            # The version is read before the page is rendered: a page rendered from data that
            # a committing correction is about to change is stored under the old version.
            version = pages_version() if timeout else None
            key = _page_key(request, with_query) if version is not None else None
            entry = cached_entry(key, version, timeout) if key else None
            if entry is None:
                response = view_func(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                if isinstance(response, SimpleTemplateResponse):
                    response.render()
                entry = _entry(response, version)
                if key:
                    cache.set(key, entry, timeout)
                    local_pages.put(key, entry, timeout)
            return _respond(request, entry)

        return wrapped

    return decorator(view) if view is not None else decorator


def cached_entry(key: str, version: int, timeout: int) -> dict | None:
    """The page rendered at `version`: this process's copy, else the shared cache's."""
    entry = local_pages.get(key, version)
    if entry is None:
        entry = cache.get(key)
        if entry is None or entry["version"] != version:
            return None
        local_pages.put(key, entry, timeout)
    return entry


def _page_key(request, with_query: bool) -> str:
    path = request.get_full_path() if with_query else request.path
    if not site_url.configured():
        # Pages hold absolute links to the address they were asked at (lib/site_url.py).
        path = f"{request.get_host()}{path}"
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return f"factdesk:page:{get_language()}:{digest}"


def _entry(response: HttpResponse, version: int | None) -> dict:
    content = response.content
    return {
        "version": version,
        "content": content,
        "content_type": response["Content-Type"],
        "etag": quote_etag(hashlib.blake2b(content, digest_size=16).hexdigest()),
        "last_modified": response.get("Last-Modified"),
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
    }


def _respond(request, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    if entry["last_modified"]:
        response["Last-Modified"] = entry["last_modified"]
    for name, value in entry.get("headers", {}).items():
        response[name] = value
    # Browsers and proxies may keep a copy but must revalidate it (a cheap 304) every time:
    # a verdict can be corrected at any moment.
    patch_cache_control(response, public=True, no_cache=True)
    last_modified = parse_http_date_safe(entry["last_modified"] or "")
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=last_modified, response=response
    )
