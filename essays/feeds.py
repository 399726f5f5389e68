"""Atom and RSS feeds of the latest published essays."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from essays import selectors
from essays.models import PublishedRevision
from essays.rendering import author_name


class LatestEssaysRss(Feed):
    title = "Counterpoint: latest essays"
    description = "Essays with the evidence against each of their claims printed beside it."

    def link(self) -> str:
        return reverse("public:home")

    def items(self):
        return selectors.live_revisions()[:30]

    def item_title(self, item: PublishedRevision) -> str:
        return item.title

    def item_description(self, item: PublishedRevision) -> str:
        return item.dek

    def item_link(self, item: PublishedRevision) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: PublishedRevision) -> str:
        return f"counterpoint:essay:{item.essay_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublishedRevision):
        return item.first_published_at

    def item_updateddate(self, item: PublishedRevision):
        return item.published_at

    def item_author_name(self, item: PublishedRevision) -> str:
        return author_name(item.byline)

    def item_categories(self, item: PublishedRevision) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LatestEssaysAtom(LatestEssaysRss):
    feed_type = Atom1Feed
    subtitle = LatestEssaysRss.description
