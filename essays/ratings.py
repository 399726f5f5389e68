"""How verdicts map to numbers for schema.org ClaimReview, and what each one means.

One table, used by the structured data on every fact-check and printed on the public
"How we rate claims" page, so the two can never disagree.
"""

from dataclasses import dataclass

from essays.choices import Verdict

BEST_RATING = 5
WORST_RATING = 1
UNDER_REVIEW = "under_review"
UNDER_REVIEW_LABEL = "Under review"


@dataclass(frozen=True)
class Rating:
    verdict: str
    label: str
    value: int | None  # None: not a point on the true–false scale
    meaning: str


RATINGS: tuple[Rating, ...] = (
    Rating(
        Verdict.SUPPORTED,
        Verdict.SUPPORTED.label,
        5,
        "The best available evidence backs the claim as the essay states it.",
    ),
    Rating(
        Verdict.PARTLY_SUPPORTED,
        Verdict.PARTLY_SUPPORTED.label,
        4,
        "Part of the claim holds; another part is wrong, overstated or missing a condition.",
    ),
    Rating(
        Verdict.MISLEADING,
        Verdict.MISLEADING.label,
        3,
        "The facts cited may be accurate, but the claim leaves a false impression.",
    ),
    Rating(
        Verdict.UNSUPPORTED,
        Verdict.UNSUPPORTED.label,
        2,
        "We found no reliable evidence for the claim, and some evidence against it.",
    ),
    Rating(
        Verdict.FALSE,
        Verdict.FALSE.label,
        1,
        "The best available evidence contradicts the claim.",
    ),
    Rating(
        Verdict.UNVERIFIABLE,
        Verdict.UNVERIFIABLE.label,
        None,
        "The claim cannot be checked with evidence available to us; we say why.",
    ),
    Rating(
        Verdict.OPINION,
        Verdict.OPINION.label,
        None,
        "A judgement rather than a statement of fact; we add context, not a rating.",
    ),
)

BY_VERDICT: dict[str, Rating] = {rating.verdict: rating for rating in RATINGS}
# Display order for summaries: verdicts as above, then claims still under review.
ORDER: tuple[str, ...] = tuple(rating.verdict for rating in RATINGS) + (UNDER_REVIEW,)


def verdict_label(verdict: str | None) -> str:
    """The reader-facing label of a verdict; "Under review" when there is none yet."""
    if not verdict:
        return UNDER_REVIEW_LABEL
    return BY_VERDICT[verdict].label


def review_rating(verdict: str) -> dict:
    """schema.org Rating for an approved verdict: the label always, numbers when on the scale."""
    rating = BY_VERDICT[verdict]
    data: dict = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None:
        data.update(ratingValue=rating.value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return data
