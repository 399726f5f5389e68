"""Fact-check vocabularies shared by essays (the Claim row) and review (the workflow)."""

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


class Stance(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    COMPLICATES = "complicates", "Complicates"
    CONTEXT = "context", "Adds context"
    CORRECTS_QUOTATION = "corrects_quotation", "Corrects the quotation"


# Statuses in which a claim carries a verdict; the Claim table enforces it with a constraint.
STATUSES_WITH_VERDICT = (ClaimStatus.PROPOSED, ClaimStatus.APPROVED)


# The number each verdict carries in ClaimReview's reviewRating (schema.org Rating), on a
# scale from VERDICT_RATING_WORST (the claim is false) to VERDICT_RATING_BEST (it is
# supported by the evidence). Verdicts that do not place a claim on that scale (it cannot
# be checked, or it is an opinion) carry no number: their rating is the label alone.
VERDICT_RATING_WORST = 1
VERDICT_RATING_BEST = 5
VERDICT_RATING: dict[str, int | None] = {
    Verdict.FALSE: 1,
    Verdict.MISLEADING: 2,
    Verdict.UNSUPPORTED: 3,
    Verdict.PARTLY_SUPPORTED: 4,
    Verdict.SUPPORTED: 5,
    Verdict.UNVERIFIABLE: None,
    Verdict.OPINION: None,
}
