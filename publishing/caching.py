"""HTTP caching of public pages: validators, Cache-Control, the app's own page cache.

Every public page is validated by the *public generation* (publishing.models.
PublicGeneration): one row that changes in the same transaction as every publish,
unpublish and re-render. Its token makes each page's ETag, its time the Last-Modified,
so a conditional GET is answered 304 from one small query, and every app server agrees
at once on what is current: the database says so, no message passes between processes.

Responses carry Cache-Control that lets shared caches (the reverse proxy, a CDN) keep a
page for COUNTERPOINT_SHARED_CACHE_SECONDS while browsers revalidate every time; a
publish purges the affected addresses from the configured front caches after commit
(publishing.frontcache). Within the app, rendered pages may be kept in Django's cache
(any standard backend) under keys that carry the generation token, so a publish changes
every key and nothing needs invalidating.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from publishing.models import PublicGeneration

CACHEABLE_STATUSES = {200, 410}

logger = logging.getLogger(__name__)


def new_token(now: datetime.datetime) -> str:
    """A generation token: the time of the change in milliseconds (hex), then randomness
    (never a counter, so no token can come back)."""
    return f"{int(now.timestamp() * 1000):x}-{uuid.uuid4().hex[:16]}"


def token_time(token: str) -> float:
    """When the generation `token` began, in seconds (for Last-Modified)."""
    stamp, dash, _ = token.partition("-")
    try:
        return int(stamp, 16) // 1000 if dash and len(stamp) <= 12 else 0
    except ValueError:
        return 0


def current_token() -> str:
    """The generation readers' pages are at now (created on first use).

    Read on every revalidation, so with one fixed SQL statement rather than a query the
    ORM would build afresh each time."""
    connection = connections[router.db_for_read(PublicGeneration)]
    quote = connection.ops.quote_name
    table, token_column = PublicGeneration._meta.db_table, PublicGeneration._meta.get_field("token")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(token_column.column)} FROM {quote(table)} WHERE "  # noqa: S608
            f"{quote(PublicGeneration._meta.pk.column)} = 1"
        )
        row = cursor.fetchone()
    token = row[0] if row else None
    if token is None:
        now = timezone.now()
        generation, _ = PublicGeneration.objects.get_or_create(
            pk=1, defaults={"token": new_token(now), "changed_at": now}
        )
        token = generation.token
    return token


def bump_generation() -> None:
    """Mark every public page changed; call inside the transaction that changes them."""
    now = timezone.now()
    PublicGeneration.objects.update_or_create(
        pk=1, defaults={"token": new_token(now), "changed_at": now}
    )


def page_key_digest(key: str) -> str:
    """A short ASCII stand-in for a page key: slugs may be long and in any script, and
    cache backends such as memcached take at most 250 ASCII characters."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def _validators(token: str, key: str) -> tuple[str, float]:
    """A strong ETag per page, generation and encoding; Last-Modified from the generation."""
    return f'"{token}-{page_key_digest(key)[:16]}"', token_time(token)


def mark_public(response: HttpResponse, token: str, key: str) -> HttpResponse:
    """Validators and Cache-Control for a public page built under generation `token`:
    shared caches may keep 200 and 410 answers, others they may not."""
    return _marked(response, *_validators(token, key))


def _marked(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    if response.status_code not in {*CACHEABLE_STATUSES, 304}:
        patch_cache_control(response, max_age=0, no_cache=True)
        return response
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=settings.COUNTERPOINT_SHARED_CACHE_SECONDS,
        stale_while_revalidate=settings.COUNTERPOINT_STALE_SECONDS,
    )
    return response


def _from_app_cache(key: str, token: str, build) -> HttpResponse:
    cache = caches[settings.COUNTERPOINT_PAGE_CACHE]
    full_key = f"public-pages:{token}:{page_key_digest(key)}"
    try:
        entry = cache.get(full_key)
    except Exception:  # a cache outage slows pages, it never breaks them
        logger.exception("Page cache unreachable; building %s without it", key)
        return build()
    if entry is not None:
        status, content_type, content, encoding = entry
        response = HttpResponse(content, status=status, content_type=content_type)
        if encoding:
            response["Content-Encoding"] = encoding
        return response
    response = build()
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if response.status_code in CACHEABLE_STATUSES and not response.streaming:
        entry = (response.status_code, response["Content-Type"], response.content,
                 response.get("Content-Encoding", ""))  # fmt: skip
        try:
            cache.set(full_key, entry, settings.COUNTERPOINT_PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unreachable; %s not stored", key)
    return response


def public_page(
    request: HttpRequest,
    key: str,
    build: Callable[[], HttpResponse],
    *,
    app_cache: bool = True,
) -> HttpResponse:
    """The response for public page `key`: 304 when the client's copy is current, else
    built (or taken from the app's page cache), with validators and Cache-Control.

    Only 200 and 410 responses are marked for shared caches and kept in the app's cache:
    redirects and 404s for arbitrary URLs are cheap and would let anyone fill a cache.
    """
    token = current_token()
    etag, last_modified = _validators(token, key)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _marked(not_modified, etag, last_modified)
    response = _from_app_cache(key, token, build) if app_cache else build()
    return _marked(response, etag, last_modified)


def is_conditional(request: HttpRequest) -> bool:
    return "If-None-Match" in request.headers or "If-Modified-Since" in request.headers


def vary_on_encoding(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
