"""Published revisions: the frozen, public copy of an essay that every public page reads."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from essays.models import Essay
from publishing.counts import claims_phrase

# The stored page, in its two encodings: read only by the article view.
PAGE_COLUMNS = ("page_gzip", "page_identity")


class PublishedRevisionQuerySet(models.QuerySet):
    def published(self) -> "PublishedRevisionQuerySet":
        """The revisions readers see: the live one of each essay that is published."""
        return self.filter(is_live=True, essay__status=Essay.Status.PUBLISHED)

    def listing(self) -> "PublishedRevisionQuerySet":
        """Columns for lists, feeds and sitemaps: never the snapshot or the rendered page."""
        return self.defer("snapshot", "page_gzip", "page_identity", "corrections").prefetch_related(
            "tags"
        )


class PublishedRevision(models.Model):
    """A frozen, public copy of an essay as it stood when a publisher published it.

    `snapshot` holds only what readers may see (text, quotations with sources, claims with
    approved verdicts, approved counter-evidence); `page_gzip` is that snapshot rendered once
    at publish time into the complete HTML document and compressed, so the article is served
    from this one row without a template (as is, to the browsers that accept gzip).
    Rows are never edited after creation except to switch `is_live` off, and to render
    `page_gzip` again from the same snapshot after a deploy (`manage.py rerender_pages`).
    """

    essay = models.ForeignKey(Essay, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the first publish, then 2, 3…")
    is_live = models.BooleanField(default=True)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    title = models.CharField(max_length=300)
    byline = models.CharField(max_length=300, blank=True)
    dek = models.TextField(blank=True)
    language = models.CharField(max_length=20, default="en")
    tags = models.ManyToManyField("taggit.Tag", blank=True, related_name="+")
    snapshot = models.JSONField()
    verdict_counts = models.JSONField(default=dict, blank=True)
    claim_ids = models.JSONField(
        default=list, blank=True, help_text="Claims with an approved verdict, for the sitemap."
    )
    corrections = models.JSONField(default=list, blank=True)
    page_gzip = models.BinaryField(
        help_text="The whole article page (UTF-8 HTML), rendered and gzipped at publish time."
    )
    page_identity = models.BinaryField(
        default=b"",
        help_text="The same page uncompressed, for clients that do not take gzip.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    first_published_at = models.DateTimeField()
    override_reason = models.TextField(
        blank=True, help_text="Internal: why it was published with claims still open."
    )

    objects = PublishedRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(fields=["essay", "number"], name="revision_number_unique"),
            models.UniqueConstraint(
                fields=["essay"], condition=Q(is_live=True), name="revision_one_live_per_essay"
            ),
            # One address, one live essay: a slug renamed onto a live essay's address is
            # refused by essay_publish, and by the database if two publishes race.
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_live=True), name="revision_one_live_per_slug"
            ),
        ]
        indexes = [
            models.Index(fields=["slug", "is_live"]),
            models.Index(fields=["is_live", "-first_published_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (revision {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("public:article", kwargs={"slug": self.slug})

    @property
    def claim_count(self) -> int:
        return sum(self.verdict_counts.values())

    @property
    def claims_phrase(self) -> str:
        """ "7 claims: 3 checked, 4 under review", for lists of essays."""
        return claims_phrase(self.verdict_counts)


class PublicGeneration(models.Model):
    """One row that changes, in the same transaction, with everything readers can see:
    every publish, unpublish and re-render. Public pages are validated (ETag,
    Last-Modified) and cached in the app under it, so every app server agrees at once
    on what is current: the database says so, not a message between processes."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"public pages as of {self.changed_at:%Y-%m-%d %H:%M:%S}"
