"""The text: essays, their ordered sections, and the quotations and claims anchored in them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from common.markup import render_markdown
from essays.choices import STATUSES_WITH_VERDICT, ClaimStatus, Verdict
from sources.models import Outlet, Person, Source


class EssayQuerySet(models.QuerySet):
    def published(self) -> "EssayQuerySet":
        """Essays readers may see now: published, whatever their draft text says."""
        return self.filter(status=Essay.Status.PUBLISHED)


class Essay(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    byline = models.CharField(max_length=300, blank=True, help_text="The author as printed.")
    dek = models.TextField(blank=True, help_text="The standfirst under the title.")
    canonical_url = models.URLField(
        max_length=1000, blank=True, help_text="Where the essay was first published."
    )
    original_published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=20, default="en")
    double_review = models.BooleanField(
        default=False,
        help_text="Two reviewers give independent verdicts on each claim, without seeing "
        "each other's; a publisher decides when they disagree. For high-stakes essays.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    tags = TaggableManager(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EssayQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="essay_canonical_url_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "-updated_at"])]
        permissions = [("publish_essay", "Can publish and unpublish essays")]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(help_text="Order within the essay, from 0.")
    heading = models.CharField(
        max_length=300, blank=True, help_text="Empty for an untitled introduction."
    )
    anchor = models.SlugField(
        max_length=200,
        blank=True,
        allow_unicode=True,
        help_text="Fragment id in the public page; derived from the heading.",
    )
    body = models.TextField(blank=True, help_text="Markdown.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["essay", "position"]
        constraints = [
            models.UniqueConstraint(fields=["essay", "position"], name="section_position_unique"),
            models.UniqueConstraint(fields=["essay", "anchor"], name="section_anchor_unique"),
        ]

    def __str__(self) -> str:
        # "§3 Latakia": sections are chosen within their essay, where the title adds nothing.
        return f"§{self.position + 1} {self.heading or 'Introduction'}"

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self.derive_anchor()
        super().save(*args, **kwargs)

    def derive_anchor(self) -> str:
        """A fragment id from the heading that no sibling section uses yet."""
        base = slugify(self.heading, allow_unicode=True)[:180] or (
            "introduction" if self.position == 0 else f"section-{self.position + 1}"
        )
        siblings = Section.objects.filter(essay_id=self.essay_id).exclude(pk=self.pk)
        anchor, n = base, 2
        while siblings.filter(anchor=anchor).exists():
            anchor, n = f"{base}-{n}", n + 1
        return anchor


class Span(models.Model):
    """A stretch of a section's body, by character offsets [start, end)."""

    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="%(class)s_span_end_after_start"
            ),
        ]


class Confidence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# A quotation's attribution: what the attribution desk edits, and what a re-import keeps
# when an editor changed it since the last import.
ATTRIBUTION_FIELDS = (
    "speaker", "speaker_description", "outlet", "via", "source", "emphasis_added",
    "is_scare_quote",
)  # fmt: skip


class Quotation(Span):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="quotations")
    text = models.TextField(help_text="The quoted words, verbatim.")
    speaker = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="quotations"
    )
    speaker_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who spoke, as the essay describes them when it names nobody "
        "(“a rebel spokesman”).",
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="quotations"
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotations",
        help_text="Filled from the source when left empty.",
    )
    via = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_quotations",
        help_text="An intermediary the quotation reached the essay through.",
    )
    emphasis_added = models.BooleanField(default=False)
    is_scare_quote = models.BooleanField(default=False)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    confidence = models.CharField(
        max_length=10,
        choices=Confidence,
        blank=True,
        editable=False,
        help_text="How sure the importer was of the attribution (empty: typed by a person).",
    )
    # What the last import set in the attribution fields (ATTRIBUTION_FIELDS, by attname):
    # a field whose value differs from it was fixed by an editor, and a re-import keeps it.
    imported = models.JSONField(default=dict, blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    checked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor confirmed speaker, outlet and source on the attribution desk.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["imported"])

    class Meta(Span.Meta):
        ordering = ["section", "start"]
        indexes = [models.Index(fields=["section", "start"])]
        permissions = [
            ("import_quotation", "Can import quotations from spreadsheets"),
            ("export_quotation", "Can export quotations as spreadsheets"),
        ]

    def __str__(self) -> str:
        # No quotation marks of its own: the admin's messages put the name in quotes.
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def save(self, *args, **kwargs):
        if self.outlet_id is None and self.source_id is not None:
            self.outlet_id = self.source.outlet_id
        super().save(*args, **kwargs)


class ClaimQuerySet(models.QuerySet):
    def with_context(self) -> "ClaimQuerySet":
        return self.select_related("section__essay", "assigned_to")


# What readers see of a claim: a change to any of these on an approved claim needs a new
# approval (review.services.claim_update sends it back; a spreadsheet import refuses it).
CLAIM_READER_FIELDS = (
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "section",
    "statement",
    "short_statement",
    "verdict_summary",
)


class StoresRenderedMarkdown:
    """Keeps the sanitised HTML of Markdown fields beside them, rendered when the row is
    saved, so that publishing and previews never run Markdown. `rendered_markdown` maps
    each Markdown field to the field that stores its HTML (editable=False). Writes that skip
    save() (bulk_create, QuerySet.update) leave the HTML behind: the snapshot renders a
    Markdown field whose HTML is missing, but cannot see HTML gone stale, so such writes
    must set both fields."""

    rendered_markdown: dict[str, str] = {}

    def save(self, *args, **kwargs):
        for source, target in self.rendered_markdown.items():
            setattr(self, target, render_markdown(getattr(self, source)))
        if (update_fields := kwargs.get("update_fields")) is not None:
            kwargs["update_fields"] = {
                *update_fields,
                *(t for s, t in self.rendered_markdown.items() if s in update_fields),
            }
        super().save(*args, **kwargs)


class Claim(StoresRenderedMarkdown, Span):
    """A checkable statement, anchored like a W3C TextQuoteSelector so edits can re-anchor it."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="claims")
    exact = models.TextField(help_text="The claim's words as they stand in the section.")
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    statement = models.TextField(
        blank=True, help_text="The claim restated as one checkable sentence."
    )
    short_statement = models.CharField(
        max_length=75,
        blank=True,
        help_text="Under 75 characters, for search engines' fact-check listings.",
    )
    status = models.CharField(max_length=20, choices=ClaimStatus, default=ClaimStatus.UNREVIEWED)
    verdict = models.CharField(max_length=20, choices=Verdict, blank=True)
    verdict_summary = models.TextField(
        blank=True, help_text="Public explanation of the verdict (Markdown)."
    )
    verdict_summary_html = models.TextField(
        blank=True, editable=False, help_text="The explanation as sanitised HTML, kept on save."
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    verdict_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Who proposed the current verdict; they may not approve it.",
    )
    reviewed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the verdict was approved."
    )
    check_worthiness = models.FloatField(null=True, blank=True)
    anchor_lost = models.BooleanField(
        default=False,
        help_text="Set when a re-import could not find the claim's exact words in the new "
        "text; start/end then point at the closest match. Check and fix the anchor.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "verdict_summary_html"])
    rendered_markdown = {"verdict_summary": "verdict_summary_html"}

    class Meta(Span.Meta):
        ordering = ["section", "start"]
        constraints = [
            *Span.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(status__in=STATUSES_WITH_VERDICT) & ~Q(verdict="")
                    | ~Q(status__in=STATUSES_WITH_VERDICT) & Q(verdict="")
                ),
                name="claim_verdict_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["section", "start"]),
            models.Index(fields=["status"]),
            models.Index(fields=["assigned_to", "status"]),
        ]
        permissions = [
            ("assign_claim", "Can assign claims to reviewers"),
            ("approve_verdict", "Can approve a proposed verdict"),
            ("import_claim", "Can import claims from spreadsheets"),
            ("export_claim", "Can export claims as spreadsheets"),
        ]

    def __str__(self) -> str:
        text = self.short_statement or self.statement or self.exact
        return text if len(text) <= 80 else text[:79] + "…"

    def get_admin_url(self) -> str:
        return reverse("admin:essays_claim_change", args=[self.pk])


class ClaimCandidate(Span):
    """A sentence the importer proposes as a claim; an editor accepts or rejects it."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="claim_candidates")
    text = models.TextField(help_text="The sentence, word for word as it stands in the section.")
    score = models.FloatField(
        help_text="How checkable the sentence looks, from 0 (opinion) to 1 (a fact to check)."
    )
    features = models.JSONField(
        default=list, blank=True, help_text="What made the importer suggest the sentence."
    )
    decision = models.CharField(max_length=20, choices=Decision, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        help_text="The claim this candidate became when accepted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Span.Meta):
        ordering = ["-score", "section", "start"]
        constraints = [
            *Span.Meta.constraints,
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="claimcandidate_score_0_1"
            ),
        ]
        indexes = [
            models.Index(fields=["section", "start"]),
            models.Index(fields=["decision", "-score"]),
        ]
        permissions = [("decide_claimcandidate", "Can accept or reject claim candidates")]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class ImportUpload(models.Model):
    """An essay file between its import preview and the editor's confirmation.

    The bytes wait here, on the server, so that a file of any allowed size can be
    confirmed (a form field would cap it at DATA_UPLOAD_MAX_MEMORY_SIZE) and any app
    server can answer the confirmation. The confirmation locks the row and records the
    essay it made, so confirming one preview twice makes one essay.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.BinaryField()
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=20)
    author = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    essay = models.ForeignKey(
        Essay, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.user})"
