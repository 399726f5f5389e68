"""Purge public pages from the front caches (a reverse proxy, a CDN) after a publish.

COUNTERPOINT_FRONT_CACHES lists the caches to tell, as wagtail.contrib.frontend_cache
does: each an address that takes Varnish-style requests (deploy/varnish.vcl). For each
change the app sends one BAN whose X-Ban-Url header is a regular expression over the
paths to drop; Varnish drops every cached object whose URL matches. A cache that does
not answer is logged and skipped: its pages expire after COUNTERPOINT_SHARED_CACHE_SECONDS.
A CDN with its own purge API is added here as another backend (docs/deploy.md).
"""

from __future__ import annotations

import logging
import re
import urllib.request
from urllib.error import URLError

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import iri_to_uri

logger = logging.getLogger(__name__)


def listing_paths() -> list[str]:
    """Pages that list essays, search results and the read API: they change with any publish."""
    return [
        reverse("public:home"),
        "/tags/",
        reverse("public:search"),
        "/api/",
        reverse("public:feed"),
        reverse("public:feed-rss"),
        reverse("public:sitemap"),
    ]


def essay_paths(*slugs: str) -> list[str]:
    """Every page of these essays: the article, its claims, its sources."""
    return [reverse("public:article", kwargs={"slug": slug}) for slug in slugs if slug]


def ban_pattern(paths: list[str]) -> str:
    """One regular expression over the (percent-encoded) paths: a path ending in "/" is a
    prefix (everything under it), the home page only itself."""
    home = reverse("public:home")
    parts = [
        re.escape(iri_to_uri(path)) + ("$" if path == home else "") for path in sorted(set(paths))
    ]
    return "^(" + "|".join(parts) + ")"


def purge(paths: list[str]) -> None:
    """Tell every configured front cache to drop `paths` (call after commit)."""
    if not paths:
        return
    pattern = ban_pattern(paths)
    for target in settings.COUNTERPOINT_FRONT_CACHES:
        request = urllib.request.Request(
            target.rstrip("/") + "/", method="BAN", headers={"X-Ban-Url": pattern}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.COUNTERPOINT_PURGE_TIMEOUT):
                pass
        except (URLError, OSError) as error:
            logger.error("Front cache %s did not take the purge of %s: %s", target, pattern, error)
