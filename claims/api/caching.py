"""Anonymous API reads, cached and answered conditionally like the public pages.

What an anonymous caller reads is what the public pages show, and changes exactly when the
pages version does (claims/caching.py): any change a reader could see bumps it. So:
  - the ETag is the pages version and the request (host, path, query, language, Accept),
    known
    before anything is read: a caller holding it gets a 304 without a query or a serializer;
  - the rendered body is kept under that version (when the page cache is on), in this
    process and in the shared cache, and served to the next anonymous caller.
Signed-in callers and integration keys get the list built afresh (the desk sees drafts, and
their changes are not all announced by the version). Throttles and authentication still run
first: DRF calls the handler only after them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from rest_framework.response import Response

from claims import caching

# Headers of a rendered API response that belong to its body and are kept with it.
KEPT_HEADERS = ("Content-Type", "Link", "Vary", "Allow", "Content-Language")


class PublicReadCacheMixin:
    """For API views whose anonymous GETs show public data only."""

    _public_slot = None

    def _public_cache_slot(self, request) -> tuple[int, str, str] | None:
        if request.method not in ("GET", "HEAD") or request.auth is not None:
            return None
        if request.user and request.user.is_authenticated:
            return None
        version = caching.pages_version()
        if version is None:  # the cache is unreachable: build fresh, as the pages do
            return None
        described = "|".join(
            (
                get_language() or "",
                request.get_host(),
                request.get_full_path(),
                request.headers.get("Accept", ""),
            )
        )
        digest = hashlib.blake2b(described.encode(), digest_size=12).hexdigest()
        etag = f'"p{version:x}-{digest}"'
        return version, f"factdesk:api:{digest}", etag

    def serve_public(self, request, build):
        """`build()`'s response, or a 304 or the cached copy for an anonymous caller."""
        slot = self._public_cache_slot(request)
        if slot is None:
            return build()
        version, key, etag = slot
        held = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
        if etag in held:
            return _public(HttpResponseNotModified(), etag)
        timeout = settings.FACTDESK_PAGE_CACHE_SECONDS
        entry = caching.cached_entry(key, version, timeout) if timeout else None
        if entry is not None:
            response = HttpResponse(entry["content"])
            for name, value in entry["headers"].items():
                response[name] = value
            return _public(response, etag)
        self._public_slot = slot
        return build()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        slot, self._public_slot = self._public_slot, None
        if slot is None or response.status_code != 200 or not isinstance(response, Response):
            return response
        # JSON only: the browsable API's HTML (DEBUG) carries the caller's CSRF token.
        if not getattr(response, "accepted_media_type", "").split(";")[0].endswith("json"):
            return response
        version, key, etag = slot
        response.render()
        timeout = settings.FACTDESK_PAGE_CACHE_SECONDS
        if timeout:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            entry = {"version": version, "content": response.content, "headers": headers}
            cache.set(key, entry, timeout)
            caching.local_pages.put(key, entry, timeout)
        return _public(response, etag)


def _public(response, etag: str):
    response["ETag"] = etag
    # As the pages: anyone may keep a copy, but must revalidate it (a cheap 304) every time.
    patch_cache_control(response, public=True, no_cache=True)
    return response
