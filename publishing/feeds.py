"""Atom and RSS feeds of the latest published essays."""

import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from publishing import selectors
from publishing.models import PublishedRevision
from publishing.structured_data import author_name, site_url

# XML 1.0 cannot carry these (Django's feed writer refuses them with an exception, which
# would be a 500 for every reader of the feed); editors' text may hold them, pasted in.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` without the control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value)


class LatestEssaysRss(Feed):
    """Every address is absolute on COUNTERPOINT_SITE_URL, never built from the request's
    Host: the feed is cached and shared, so a forged Host would poison every reader's copy."""

    title = "Counterpoint: latest essays"
    description = "Essays with the evidence against each of their claims printed beside it."
    url_name = "public:feed-rss"

    def link(self) -> str:
        return site_url(reverse("public:home"))

    def feed_url(self) -> str:
        return site_url(reverse(self.url_name))

    def items(self):
        return selectors.live_revisions()[:30]

    def item_title(self, item: PublishedRevision) -> str:
        return xml_text(item.title)

    def item_description(self, item: PublishedRevision) -> str:
        # Feed readers take the description as HTML; the dek is plain text.
        return escape(xml_text(item.dek))

    def item_link(self, item: PublishedRevision) -> str:
        return site_url(item.get_absolute_url())

    def item_guid(self, item: PublishedRevision) -> str:
        return f"counterpoint:essay:{item.essay_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublishedRevision):
        return item.first_published_at

    def item_updateddate(self, item: PublishedRevision):
        return item.published_at

    def item_author_name(self, item: PublishedRevision) -> str:
        return xml_text(author_name(item.byline))

    def item_categories(self, item: PublishedRevision) -> list[str]:
        return [xml_text(tag.name) for tag in item.tags.all()]


class LatestEssaysAtom(LatestEssaysRss):
    feed_type = Atom1Feed
    url_name = "public:feed"
    subtitle = LatestEssaysRss.description
