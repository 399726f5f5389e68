"""The fact-check around each claim: internal notes, public counter-evidence, the audit trail."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from essays.models import Claim
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


class CounterEvidenceQuerySet(models.QuerySet):
    def published(self) -> "CounterEvidenceQuerySet":
        """Counter-evidence readers may see: approved by a publisher."""
        return self.filter(approved=True)


class CounterEvidence(models.Model):
    """Public evidence against (or around) a claim, always with a source."""

    claim = models.ForeignKey(
        "essays.Claim", on_delete=models.CASCADE, related_name="counter_evidence"
    )
    summary = models.TextField(help_text="Shown to readers once approved (Markdown).")
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CounterEvidenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

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
        "essays.Claim", on_delete=models.CASCADE, related_name="status_changes"
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
        return f"{self.essay} published over {len(self.blockers)} blocker(s) by {self.actor}"


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
        verbose_name_plural = "my queue"
