"""Review's own vocabulary (the stance of counter-evidence), and the claim vocabularies it
works with, which live with the Claim row in essays.choices (re-exported for callers)."""

from django.db import models

from essays.choices import STATUSES_WITH_VERDICT, ClaimStatus, Verdict

__all__ = ["STATUSES_WITH_VERDICT", "ClaimStatus", "Stance", "Verdict"]


class Stance(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    COMPLICATES = "complicates", "Complicates"
    CONTEXT = "context", "Adds context"
    CORRECTS_QUOTATION = "corrects_quotation", "Corrects the quotation"
