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
