"""sitemap.xml: every published article, its sources page and every fact-check permalink."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from publishing import selectors
from publishing.models import PublishedRevision


class PublicSitemap(Sitemap):
    """Addresses on COUNTERPOINT_SITE_URL, never on the Host a request happened to carry:
    the sitemap is cached and shared, so one forged Host would poison every reader's copy."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.COUNTERPOINT_SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.COUNTERPOINT_SITE_URL).netloc


class ArticleSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[PublishedRevision]:
        return selectors.live_revision_addresses()

    def lastmod(self, item: PublishedRevision):
        return item.published_at


class BibliographySitemap(ArticleSitemap):
    priority = 0.3

    def location(self, item: PublishedRevision) -> str:
        return reverse("public:bibliography", kwargs={"slug": item.slug})


class ClaimSitemap(PublicSitemap):
    """Claim permalinks carry one ClaimReview each: the page search engines index for it."""

    changefreq = "monthly"
    priority = 0.5

    def items(self) -> list[tuple[PublishedRevision, int]]:
        return [
            (revision, claim_id)
            for revision in selectors.live_revision_addresses()
            for claim_id in revision.claim_ids
        ]

    def location(self, item: tuple[PublishedRevision, int]) -> str:
        revision, claim_id = item
        return reverse("public:claim", kwargs={"slug": revision.slug, "claim_id": claim_id})

    def lastmod(self, item: tuple[PublishedRevision, int]):
        return item[0].published_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "sources": BibliographySitemap,
    "claims": ClaimSitemap,
}
