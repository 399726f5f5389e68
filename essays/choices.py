"""The claim's fact-check vocabularies: stored on the Claim row (essays), moved through by
the workflow (review), shown to readers (publishing)."""

from django.db import models


class ClaimStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    IN_REVIEW = "in_review", "In review"
    PROPOSED = "proposed", "Verdict proposed"
    APPROVED = "approved", "Verdict approved"


class Verdict(models.TextChoices):
    SUPPORTED = "supported", "Supported"
    PARTLY_SUPPORTED = "partly_supported", "Partly supported"
    MISLEADING = "misleading", "Misleading"
    UNSUPPORTED = "unsupported", "Unsupported"
    FALSE = "false", "False"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    OPINION = "opinion", "Opinion"


# Statuses in which a claim carries a verdict; the Claim table enforces it with a constraint.
STATUSES_WITH_VERDICT = (ClaimStatus.PROPOSED, ClaimStatus.APPROVED)
