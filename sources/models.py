"""The bibliography: who published what, and who said it."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from taggit.managers import TaggableManager

from sources.recognition import registrable_domain


def unique_slug(instance: models.Model, value: str, *, max_length: int = 100) -> str:
    """Return a slug of `value` that no other row of `instance`'s model uses yet."""
    base = slugify(value, allow_unicode=True)[:max_length] or "item"
    slug, n = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug


class Outlet(models.Model):
    """A publisher: newspaper, wire, broadcaster, NGO… recognised in text by its aliases."""

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", "Newspaper"
        WIRE = "wire", "Wire service"
        BROADCASTER = "broadcaster", "Broadcaster"
        MAGAZINE = "magazine", "Magazine"
        WEBSITE = "website", "Website"
        THINK_TANK = "think_tank", "Think tank"
        NGO = "ngo", "NGO"
        GOVERNMENT = "government", "Government"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, editable=False)
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings used in text.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NEWSPAPER)
    homepage = models.URLField(max_length=500, blank=True)
    domains = models.JSONField(
        default=list,
        blank=True,
        help_text="Web domains it publishes on (theguardian.com): a cited link on one names it.",
    )
    country = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("import_outlet", "Can import outlets from spreadsheets"),
            ("export_outlet", "Can export outlets as spreadsheets"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=200)
        home = registrable_domain(self.homepage) if self.homepage else None
        if home and home not in self.domains:
            self.domains = [*self.domains, home]
        super().save(*args, **kwargs)


class Person(models.Model):
    """A speaker or author, with the other spellings of their name."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, editable=False)
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings used in text.")
    affiliation = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["name"])]
        permissions = [
            ("import_person", "Can import people from spreadsheets"),
            ("export_person", "Can export people as spreadsheets"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=200)
        super().save(*args, **kwargs)


class SourceQuerySet(models.QuerySet):
    def with_related(self) -> "SourceQuerySet":
        return self.select_related("outlet").prefetch_related("authors", "tags")


class Source(models.Model):
    """One document that an essay or a fact-check cites."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        BOOK = "book", "Book"
        REPORT = "report", "Report"
        TRANSCRIPT = "transcript", "Transcript"
        RECORDING = "recording", "Recording"
        INTERVIEW = "interview", "Interview"
        DATASET = "dataset", "Dataset"
        SOCIAL_POST = "social_post", "Social media post"
        OTHER = "other", "Other"

    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="sources"
    )
    authors = models.ManyToManyField(Person, blank=True, related_name="authored_sources")
    url = models.URLField(max_length=1000, blank=True)
    archived_url = models.URLField(max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.ARTICLE)
    notes = models.TextField(blank=True, help_text="Internal; never shown to readers.")
    tags = TaggableManager(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="source_url_unique"
            ),
        ]
        indexes = [models.Index(fields=["published_on"])]
        permissions = [
            ("import_source", "Can import sources from spreadsheets"),
            ("export_source", "Can export sources as spreadsheets"),
            # Source.notes is internal: a file carrying it needs this, and says so.
            ("export_internal_source", "Can export sources with their internal notes"),
        ]

    def __str__(self) -> str:
        parts = [self.title]
        if self.outlet_id:
            parts.append(self.outlet.name)
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return " — ".join(parts)


def source_document_path(instance: "SourceDocument", filename: str) -> str:
    """source-documents/<source id>/<first 16 hex of the SHA-256><extension>."""
    suffix = "".join(c for c in PurePosixPath(filename).suffix.lower() if c.isalnum() or c == ".")
    return f"source-documents/{instance.source_id}/{instance.sha256[:16]}{suffix[:10]}"


class SourceDocumentQuerySet(models.QuerySet):
    def current(self) -> "SourceDocumentQuerySet":
        """The document each source is checked against now (its latest capture)."""
        return self.filter(is_current=True)


class SourceDocument(models.Model):
    """A captured copy of a source: the original bytes, their extracted text, and provenance.

    A source keeps every capture (a page re-fetched after it changed, a better PDF
    uploaded later): a quotation check records the capture and SHA-256 it was made
    against, so replacing the document never rewrites the evidence behind an earlier
    check. Exactly one capture per source is current.
    """

    class Method(models.TextChoices):
        TRAFILATURA = "trafilatura", "Article text of a web page (trafilatura)"
        HTML = "html", "Visible text of a web page"
        PYPDF = "pypdf", "PDF text layer (pypdf)"
        MAMMOTH = "mammoth", "Word document (mammoth)"
        TEXT = "text", "Plain text"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="documents")
    is_current = models.BooleanField(default=True, editable=False)
    file = models.FileField(upload_to=source_document_path, max_length=300, editable=False)
    text = models.TextField(blank=True, editable=False, help_text="Extracted running text.")
    sha256 = models.CharField(
        max_length=64, editable=False, validators=[RegexValidator(r"^[0-9a-f]{64}\Z")]
    )
    content_type = models.CharField(max_length=100, editable=False)
    byte_size = models.PositiveBigIntegerField(editable=False)
    filename = models.CharField(max_length=255, blank=True, editable=False)
    fetched_from = models.URLField(
        max_length=1000, blank=True, editable=False, help_text="Empty for an upload."
    )
    extraction_method = models.CharField(max_length=20, choices=Method, editable=False)
    captured_at = models.DateTimeField(editable=False)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = SourceDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["source", "-captured_at", "-pk"]
        get_latest_by = "captured_at"
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(is_current=True),
                name="source_document_one_current",
            ),
        ]

    def __str__(self) -> str:
        name = self.filename or self.fetched_from or self.content_type
        return f"{name} ({self.captured_at:%Y-%m-%d %H:%M})"
