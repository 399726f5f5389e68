"""The fact-check around each claim: internal notes, public counter-evidence, the audit trail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from essays.models import Claim, StoresRenderedMarkdown
from review.choices import ClaimStatus, Stance, Verdict


class ReviewerNote(models.Model):
    """Internal discussion on a claim. Never shown outside the admin."""

    claim = models.ForeignKey("essays.Claim", on_delete=models.CASCADE, related_name="notes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at", "pk"]
        indexes = [models.Index(fields=["claim", "resolved"])]

    def __str__(self) -> str:
        body = self.body if len(self.body) <= 60 else self.body[:59] + "…"
        return f"{self.author} on claim {self.claim_id}: {body}"

    def clean(self) -> None:
        if self.parent_id is not None and self.parent.claim_id != self.claim_id:
            raise ValidationError(
                {"parent": "A reply must answer a note on the same claim."}, code="other_claim"
            )


class CounterEvidenceQuerySet(models.QuerySet):
    def published(self) -> "CounterEvidenceQuerySet":
        """Counter-evidence readers may see: approved by a publisher."""
        return self.filter(approved=True)


class CounterEvidence(StoresRenderedMarkdown, models.Model):
    """Public evidence against (or around) a claim, always with a source."""

    claim = models.ForeignKey(
        # A claim with counter-evidence cannot be deleted: what readers were shown, and
        # who approved it, outlives edits.
        "essays.Claim",
        on_delete=models.PROTECT,
        related_name="counter_evidence",
    )
    summary = models.TextField(help_text="Shown to readers once approved (Markdown).")
    summary_html = models.TextField(
        blank=True, editable=False, help_text="The summary as sanitised HTML, kept on save."
    )
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="counter_evidence"
    )
    stance = models.CharField(max_length=20, choices=Stance, default=Stance.CONTRADICTS)
    position = models.PositiveIntegerField(default=0)
    approved = models.BooleanField(default=False, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who last changed what readers see of it (summary, source, stance, claim): like its
    # author, they may not approve it. Four eyes on every word readers get.
    text_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CounterEvidenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "summary_html"])
    rendered_markdown = {"summary": "summary_html"}

    class Meta:
        ordering = ["claim", "position", "pk"]
        verbose_name = verbose_name_plural = "counter-evidence"
        indexes = [models.Index(fields=["claim", "approved"])]
        permissions = [
            ("approve_counterevidence", "Can approve counter-evidence for readers"),
            ("import_counterevidence", "Can import counter-evidence from spreadsheets"),
            ("export_counterevidence", "Can export counter-evidence as spreadsheets"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source.title}"


class StatusChange(models.Model):
    """One row per fact-check transition: the claim's audit trail."""

    claim = models.ForeignKey(
        # The audit trail outlives the claim's edits: a claim with one cannot be deleted.
        "essays.Claim",
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(max_length=20, choices=ClaimStatus)
    to_status = models.CharField(max_length=20, choices=ClaimStatus)
    from_verdict = models.CharField(max_length=20, choices=Verdict, blank=True)
    to_verdict = models.CharField(max_length=20, choices=Verdict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["claim", "created_at"])]

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.from_status} → {self.to_status}"


class PublishOverride(models.Model):
    """A publisher's recorded decision to publish an essay although the gate listed blockers."""

    essay = models.ForeignKey("essays.Essay", on_delete=models.CASCADE, related_name="overrides")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    blockers = models.JSONField(default=list, help_text="What the gate reported at the time.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        count = len(self.blockers)
        blockers = ngettext("%d blocker", "%d blockers", count) % count
        return f"{self.essay} published over {blockers} by {self.actor}"


class QueueItemQuerySet(models.QuerySet):
    def open(self) -> "QueueItemQuerySet":
        """Claims still waiting for their reviewer: in review, or sent back there."""
        return self.filter(status=ClaimStatus.IN_REVIEW)


class QueueItem(Claim):
    """A claim as it appears in a reviewer's queue (a proxy: same rows, own admin page)."""

    objects = QueueItemQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "claim in my queue"
        verbose_name_plural = "claims in my queue"


class ApprovalItem(Claim):
    """A claim waiting for someone's approval: its proposed verdict, or counter-evidence
    nobody has approved yet (a proxy: same rows, the approval queue's own admin page)."""

    class Meta:
        proxy = True
        verbose_name = "claim awaiting my approval"
        verbose_name_plural = "awaiting my approval"


class QuotationCheckStatus(models.TextChoices):
    """How a quotation compares with its source document (review.quotecheck)."""

    VERBATIM = "verbatim", "Verbatim"
    EDITED = "edited", "Verbatim with marked edits"
    ALTERED = "altered", "Altered"
    NOT_FOUND = "not_found", "Not found in the source"
    NO_TEXT = "no_text", "No source text"


class QuotationCheck(models.Model):
    """The latest check of one quotation against its source's document.

    The machine's result (status, matched offsets in the document text, word-level
    changes) is replaced on every run; what a reviewer did with it (confirmed, or
    overridden with a reason) is kept while the result stays the same and cleared when
    it changes, because the reviewer judged a different finding.
    """

    Status = QuotationCheckStatus

    quotation = models.OneToOneField(
        "essays.Quotation", on_delete=models.CASCADE, related_name="source_check"
    )
    status = models.CharField(max_length=20, choices=QuotationCheckStatus)
    document = models.ForeignKey(
        "sources.SourceDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotation_checks",
        help_text="The capture the quotation was checked against.",
    )
    document_sha256 = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)
    score = models.FloatField(
        null=True, blank=True, help_text="Share of the quoted words found in the passage."
    )
    quoted_text = models.TextField(help_text="The quotation's words when it was checked.")
    checked_at = models.DateTimeField()
    # A reviewer's judgement of the result (set in the review UI).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    override_status = models.CharField(max_length=20, choices=QuotationCheckStatus, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["quotation"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(override_status="") | ~models.Q(override_reason=""),
                name="quotation_check_override_has_reason",
            ),
            models.CheckConstraint(
                condition=(models.Q(start__isnull=True) & models.Q(end__isnull=True))
                | models.Q(end__gt=models.F("start")),
                name="quotation_check_span",
            ),
        ]

    def __str__(self) -> str:
        return f"quotation {self.quotation_id}: {self.effective_status}"

    @property
    def effective_status(self) -> str:
        """The reviewer's override if there is one, else the machine's status."""
        return self.override_status or self.status


class IndependentVerdictQuerySet(models.QuerySet):
    def active(self) -> "IndependentVerdictQuerySet":
        """The verdicts of the claim's current round of double review."""
        return self.filter(active=True)


class IndependentVerdict(models.Model):
    """One reviewer's verdict on a claim of a double-review essay, given blind.

    Until a second reviewer has given theirs, nobody else sees it (nor the reviewer's
    notes on the claim). Sending the claim back or reopening it starts a new round: the
    old verdicts stay, inactive, as the record.
    """

    claim = models.ForeignKey(
        "essays.Claim", on_delete=models.PROTECT, related_name="independent_verdicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(max_length=20, choices=Verdict)
    summary = models.TextField(blank=True, help_text="The reviewer's public explanation.")
    comment = models.TextField(blank=True, help_text="The reviewer's internal comment.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IndependentVerdictQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "reviewer"],
                condition=models.Q(active=True),
                name="one_independent_verdict_per_reviewer_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_verdict_display()} on claim {self.claim_id}"
