"""The shared page cache for public pages, invalidated as a whole on every publish.

Every cached page key carries a *generation* token stored in the shared cache (Redis in
production). Publishing or unpublishing replaces the token after the transaction commits,
so every app server stops serving the old pages at the same moment, with no list of keys
to track. Tokens are random, never counters, so a token lost to eviction can never bring
back pages cached under an earlier one.

Each process also keeps the pages it served recently in memory, keyed by the same
generation token, so a hit moves no 700 kB page out of Redis. With Redis, the token
itself is *pushed* (config/redis_cache.py): every process holds it in memory, kept
current by a subscription, and a publish returns only once every process has confirmed
the new one, so a cached page costs no round trip at all and a publish still reaches
every process at once. Where the pushed copy cannot be trusted (the subscription is
down, just starting, or silent) the token is read from the shared cache per request.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import ValidationError
from django.http import HttpResponse

GENERATION_KEY = "public-pages:generation"
PROBE_KEY = "public-pages:probe"
CACHEABLE_STATUSES = {200, 410}

Entry = tuple[int, str, bytes, str]  # status, content type, body, content encoding

logger = logging.getLogger(__name__)


class PageCacheUnavailable(ValidationError):
    """The shared page cache did not answer: publishing now would leave readers the old page."""


class _LocalPages:
    """A small per-process LRU of page entries, bounded by total bytes."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry, limit: int) -> None:
        if len(entry[2]) > limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[2])
            self.entries[key] = entry
            self.size += len(entry[2])
            while self.size > limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[2])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = _LocalPages()


def _cache():
    return caches[settings.COUNTERPOINT_PAGE_CACHE]


def current_generation(cache=None) -> str:
    """The token under which public pages are cached now (created on first use)."""
    cache = cache or _cache()
    pushed = getattr(cache, "get_pushed", None)  # the Redis backend's in-memory copy
    token = pushed(GENERATION_KEY) if pushed else None
    if token is not None:
        return token
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or ""
    return token


def require_page_cache() -> None:
    """Raise PageCacheUnavailable unless the shared page cache takes a write now.

    Publishing calls this inside its transaction, just before committing: if the cache
    that must be told about the new revision is down, nothing is published (readers keep
    the previous revision, consistently) rather than committing a revision the cache
    would hide for up to COUNTERPOINT_PAGE_CACHE_SECONDS.
    """
    try:
        _cache().set(PROBE_KEY, uuid.uuid4().hex, 60)
    except Exception as error:  # each backend raises its own (redis.ConnectionError, OSError…)
        raise PageCacheUnavailable(
            "The shared page cache is unreachable, so readers would keep seeing the old "
            "page: nothing was published or withdrawn. Try again once the cache is back.",
            code="page_cache_unavailable",
        ) from error


def invalidate_public_pages() -> None:
    """Make every app server render public pages afresh from the next request on."""
    cache, token = _cache(), uuid.uuid4().hex
    if hasattr(cache, "set_pushed"):  # Redis: returns once every process has the token
        cache.set_pushed(GENERATION_KEY, token)
    else:
        cache.set(GENERATION_KEY, token, None)
    local_pages.clear()  # only frees memory: the new token already hides old entries


def _response(entry: Entry) -> HttpResponse:
    status, content_type, content, encoding = entry
    response = HttpResponse(content, status=status, content_type=content_type)
    if encoding:
        response["Content-Encoding"] = encoding
    return response


def page_key_digest(key: str) -> str:
    """A short ASCII stand-in for a page key: slugs may be long and in any script, and
    cache backends such as memcached take at most 250 ASCII characters."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def cached_page(key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response for public page `key`, from the cache or built and stored.

    Only 200 and 410 responses are stored: redirects and 404s for arbitrary URLs are
    cheap to compute and would let anyone fill the cache. With a dummy cache configured
    (caching disabled) every request is built afresh, and so is every request while the
    shared cache is unreachable (logged): a cache outage slows pages, it never breaks them.
    """
    cache = _cache()
    if isinstance(cache, DummyCache):
        return build()
    try:
        full_key = f"public-pages:{current_generation(cache)}:{page_key_digest(key)}"
    except Exception:  # the shared cache is down: serve from the database, uncached
        logger.exception("Page cache unreachable; building %s without it", key)
        return build()
    limit = settings.COUNTERPOINT_PAGE_CACHE_LOCAL_BYTES
    entry = local_pages.get(full_key) if limit else None
    if entry is None:
        try:
            entry = cache.get(full_key)
        except Exception:
            logger.exception("Page cache unreachable; building %s without it", key)
            return build()
        if entry is not None and limit:
            local_pages.put(full_key, entry, limit)
    if entry is not None:
        return _response(entry)
    response = build()
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if response.status_code in CACHEABLE_STATUSES and not response.streaming:
        entry = (
            response.status_code,
            response["Content-Type"],
            response.content,
            response.get("Content-Encoding", ""),
        )
        try:
            cache.set(full_key, entry, settings.COUNTERPOINT_PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unreachable; %s not stored", key)
            return response
        if limit:
            local_pages.put(full_key, entry, limit)
    return response
