"""What search engines and partners read about our verdicts: one rating table, one
ClaimReview builder, one author name, the Article data, and the ClaimReview feed.

The rating table is printed on the public "How we rate claims" page and used by every
piece of structured data, so the page, the article, the claim permalinks and
`manage.py export_claimreview` can never disagree. Everything here reads published
snapshots only (publishing.snapshot), never live rows: a verdict approved after the
last publish reaches no reader, no page and no feed until the next publish.

The scale, from 5 (best) to 1 (worst), follows how far the evidence is from the claim:
Supported 5, Partly supported 4, Misleading 3 (the facts cited may hold, the impression
does not), Unsupported 2 (no reliable evidence for it, and some against), False 1 (the
evidence contradicts it). Unverifiable and Opinion are not points on that scale: their
rating is the label alone.

What a ClaimReview guarantees (Google Search's ClaimReview requirements and
recommendations): `claimReviewed` is under 75 characters; `reviewRating` has
`alternateName` (the verdict's label) and, for verdicts on the scale, `ratingValue`
between `worstRating` and `bestRating`; `url` is the fact-check's own page on
COUNTERPOINT_SITE_URL; `author` is the publishing organisation; `datePublished` is the
day the verdict was approved; `itemReviewed` is a Claim with the essay's author (or the
organisation), where it appeared and when; `correction` lists the dated corrections
readers were shown for that claim, if any. No property is ever sent empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from essays.choices import Verdict

if TYPE_CHECKING:  # the snapshot module reads the rating table below
    from publishing.corrections import Correction
    from publishing.snapshot import ClaimData, Snapshot

BEST_RATING = 5
WORST_RATING = 1
UNDER_REVIEW = "under_review"
UNDER_REVIEW_LABEL = "Under review"
CLAIM_REVIEWED_MAX = 75  # Google: "less than 75 characters", so it fits on a phone.


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


# -- addresses on the public site --------------------------------------------------------


def site_url(path: str = "") -> str:
    """An absolute URL on the public site (settings.COUNTERPOINT_SITE_URL + path)."""
    return settings.COUNTERPOINT_SITE_URL.rstrip("/") + path


def article_path(slug: str) -> str:
    return reverse("public:article", kwargs={"slug": slug})


def claim_path(slug: str, claim_id: int) -> str:
    return reverse("public:claim", kwargs={"slug": slug, "claim_id": claim_id})


def claim_paths(slug: str) -> Callable[[int], str]:
    """claim_path for many claims of one essay, with one reverse(): the claim's id is the
    address's last number."""
    head, _, tail = claim_path(slug, 0).rpartition("/0/")
    return lambda claim_id: f"{head}/{claim_id}/{tail}"


# -- who -----------------------------------------------------------------------------------


def author_name(byline: str) -> str:
    """ "by\u00a0Mariam\u00a0Sadeq" -> "Mariam Sadeq": the person behind a printed byline."""
    name = " ".join(byline.replace("\u00a0", " ").split())
    return name[3:] if name.lower().startswith("by ") else name


def organisation() -> dict[str, str]:
    org = settings.COUNTERPOINT_ORGANISATION
    return {"@type": "Organization", "name": org["name"], "url": org["url"]}


def _author(byline: str) -> dict[str, str]:
    name = author_name(byline)
    return {"@type": "Person", "name": name} if name else organisation()


# -- the objects ---------------------------------------------------------------------------


def claim_review(
    snapshot: Snapshot,
    claim: ClaimData,
    *,
    first_published: str,
    corrections: Iterable[Correction] = (),
) -> dict:
    """schema.org ClaimReview (JSON-LD, with @context) for one claim with an approved verdict.

    `snapshot` and `claim` come from a published revision; `first_published` is the ISO
    date the essay was first published here (the fallback for dates the essay lacks);
    `corrections` are the revision's dated correction entries (only this claim's
    corrections are used). Raises ValueError for a claim without a verdict.
    """
    if not claim["verdict"]:
        raise ValueError("A ClaimReview needs a verdict; this claim has none.")
    essay = snapshot["essay"]
    appearance = essay["canonical_url"] or site_url(article_path(essay["slug"]))
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site_url(claim_path(essay["slug"], claim["id"])),
        "claimReviewed": claim["short_statement"],
        "datePublished": claim["reviewed_on"] or first_published,
        "author": organisation(),
        "reviewRating": review_rating(claim["verdict"]),
        "itemReviewed": {
            "@type": "Claim",
            "author": _author(essay["byline"]),
            "datePublished": essay["original_published_on"] or first_published,
            "appearance": {"@type": "CreativeWork", "url": appearance},
        },
    }
    corrected = [
        {"@type": "CorrectionComment", "text": entry["text"], "datePublished": entry["date"]}
        for entry in corrections
        if entry["claim_id"] == claim["id"] and entry["is_correction"]
    ]
    if corrected:
        review["correction"] = corrected
    return review


def article_schema(snapshot: Snapshot, *, first_published: str, published: str) -> dict:
    """schema.org Article for the essay page (dates are ISO datetimes)."""
    essay = snapshot["essay"]
    url = site_url(article_path(essay["slug"]))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": essay["title"][:110],
        "description": essay["dek"],
        "inLanguage": essay["language"],
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": first_published,
        "dateModified": published,
        "publisher": organisation(),
        "keywords": [tag["name"] for tag in essay["tags"]],
    }
    if essay["byline"]:
        data["author"] = {"@type": "Person", "name": author_name(essay["byline"])}
    if essay["canonical_url"]:
        data["isBasedOn"] = essay["canonical_url"]
    return data


def claim_reviews(
    snapshot: Snapshot, *, first_published: str, corrections: Iterable[Correction] = ()
) -> list[dict]:
    """The ClaimReview of every claim with a verdict in `snapshot`, in reading order: what a
    revision's article page carries, and what the feed lists for it."""
    return [
        claim_review(snapshot, claim, first_published=first_published, corrections=corrections)
        for claim in snapshot["claims"]
        if claim["verdict"]
    ]


def claim_review_feed(reviews: list[dict]) -> dict:
    """A schema.org DataFeed of `reviews` (publishing.selectors.live_claim_reviews)."""
    org = settings.COUNTERPOINT_ORGANISATION
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{org['name']} fact-checks",
        "url": org["url"],
        "dateModified": timezone.now().isoformat(timespec="seconds"),
        "dataFeedElement": reviews,
    }
