"""The shared page cache for public pages, invalidated as a whole on every publish.

Every cached page key carries a *generation* token stored in the same cache. Publishing
or unpublishing replaces the token (after the transaction commits), so every app server
sharing the cache (Redis in production) stops serving the old pages at the same moment,
with no list of keys to track. Tokens are random, never counters, so a token lost to
eviction can never bring back pages cached under an earlier one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

GENERATION_KEY = "public-pages:generation"
CACHEABLE_STATUSES = {200, 410}


def _cache():
    return caches[settings.COUNTERPOINT_PAGE_CACHE]


def current_generation() -> str:
    """The token under which public pages are cached now (created on first use)."""
    cache = _cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or ""
    return token


def invalidate_public_pages() -> None:
    """Make every app server render public pages afresh from the next request on."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


def cached_page(key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response for public page `key`, from the shared cache or built and stored.

    Only 200 and 410 responses are stored: redirects and 404s for arbitrary URLs are
    cheap to compute and would let anyone fill the cache.
    """
    cache = _cache()
    full_key = f"public-pages:{current_generation()}:{key}"
    hit = cache.get(full_key)
    if hit is not None:
        status, content_type, content = hit
        return HttpResponse(content, status=status, content_type=content_type)
    response = build()
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if response.status_code in CACHEABLE_STATUSES and not response.streaming:
        cache.set(
            full_key,
            (response.status_code, response["Content-Type"], response.content),
            settings.COUNTERPOINT_PAGE_CACHE_SECONDS,
        )
    return response
