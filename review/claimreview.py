"""schema.org ClaimReview for published fact-checks, as Google's fact-check guidelines want it.

`claim_review` is a pure function over plain data: the public pages embed its output as
JSON-LD and `manage.py export_claimreview` writes the same objects as a feed (built from
the database by `published_claim_reviews`), so partners and search engines see one thing.

What it guarantees (Google Search's ClaimReview requirements and recommendations):
`claimReviewed` is under 75 characters; `reviewRating` has `alternateName` (the verdict's
label) and, for verdicts on the true–false scale, `ratingValue` between `worstRating` and
`bestRating` (review.choices.VERDICT_RATING); `url` is the fact-check's own page; `author`
is the publishing organisation; `datePublished` is the day the verdict was approved;
`itemReviewed` is a Claim with the essay's author, where it appeared and when.
"""

import re
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from review.choices import (
    VERDICT_RATING,
    VERDICT_RATING_BEST,
    VERDICT_RATING_WORST,
    ClaimStatus,
    Verdict,
)

CLAIM_REVIEWED_MAX = 75  # Google: "less than 75 characters", so it fits on a phone.
_BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)


def claim_reviewed_text(claim_data: dict) -> str:
    """The claim in under 75 characters: its short statement, else its statement or words.

    Whitespace is collapsed; a longer text is cut at a word boundary and ends with "…".
    """
    for key in ("short_statement", "statement", "exact"):
        text = " ".join(str(claim_data.get(key) or "").split())
        if text:
            break
    if len(text) < CLAIM_REVIEWED_MAX:
        return text
    cut = text[: CLAIM_REVIEWED_MAX - 2]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–—-") + "…"


def author_name(byline: str) -> str:
    """The author's name from a byline as printed: "by\u00a0Mariam\u00a0Sadeq" → "Mariam Sadeq"."""
    return " ".join(_BYLINE_PREFIX.sub("", byline or "").split())


def iso_date(value) -> str | None:
    """YYYY-MM-DD for a date, an aware datetime (in the site's time zone) or an ISO string."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)[:10]).isoformat()


def review_rating(verdict: str) -> dict:
    """schema.org Rating for a verdict: its label, and its number where it has one."""
    rating = {"@type": "Rating", "alternateName": Verdict(verdict).label}
    value = VERDICT_RATING[Verdict(verdict)]
    if value is not None:
        rating |= {
            "ratingValue": value,
            "bestRating": VERDICT_RATING_BEST,
            "worstRating": VERDICT_RATING_WORST,
        }
    return rating


def claim_review(claim_data: dict, *, essay_data: dict, organisation: dict, claim_url: str) -> dict:
    """One schema.org ClaimReview (JSON-LD, with @context) for a claim with a verdict.

    claim_data: "verdict" (a Verdict value, required), "short_statement", "statement",
        "exact" (the first non-blank is claimReviewed), "reviewed_at" (when the verdict
        was approved: date, datetime or ISO string).
    essay_data: "title", "byline" (as printed; a leading "by" is dropped),
        "canonical_url" (where the essay first appeared; falls back to "url", the essay's
        page here), "original_published_on" (when the claim was published).
    organisation: {"name", "url"}, as in settings.COUNTERPOINT_ORGANISATION.
    claim_url: the absolute URL of the claim's fact-check page.

    Optional properties whose data is missing are left out rather than sent empty.
    Raises ValueError if the claim has no verdict.
    """
    verdict = claim_data.get("verdict")
    if not verdict:
        raise ValueError("A ClaimReview needs a verdict; this claim has none.")

    item: dict = {"@type": "Claim"}
    name = author_name(essay_data.get("byline", ""))
    if name:
        item["author"] = {"@type": "Person", "name": name}
    published = iso_date(essay_data.get("original_published_on"))
    if published:
        item["datePublished"] = published
    appearance = essay_data.get("canonical_url") or essay_data.get("url")
    if appearance:
        item["appearance"] = {"@type": "CreativeWork", "url": appearance}
        if essay_data.get("title"):
            item["appearance"]["headline"] = essay_data["title"]

    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url,
        "claimReviewed": claim_reviewed_text(claim_data),
        "author": {
            "@type": "Organization",
            "name": organisation["name"],
            "url": organisation["url"],
        },
        "reviewRating": review_rating(verdict),
        "itemReviewed": item,
    }
    reviewed = iso_date(claim_data.get("reviewed_at"))
    if reviewed:
        review["datePublished"] = reviewed
    return review


def essay_url(essay_slug: str, *, base_url: str) -> str:
    """The public article page, /essays/<slug>/ on the site at `base_url`."""
    return f"{base_url.rstrip('/')}/essays/{essay_slug}/"


def claim_permalink(essay_slug: str, claim_id: int, *, base_url: str) -> str:
    """The claim's fact-check page, /essays/<slug>/claims/<id>/ on the site at `base_url`."""
    return f"{essay_url(essay_slug, base_url=base_url)}claims/{claim_id}/"


def published_claim_reviews(*, essay_slug: str | None = None) -> list[dict]:
    """ClaimReviews for every approved claim of every published essay (or of one essay).

    Ordered by essay slug, then position in the essay. A verdict's date is the claim's
    `reviewed_at` (set by the approval service), else the approval in its audit trail,
    else its last change. Runs one query, however many claims there are.
    """
    from essays.models import Claim, Essay

    organisation = settings.COUNTERPOINT_ORGANISATION
    claims = (
        Claim.objects.filter(
            status=ClaimStatus.APPROVED, section__essay__status=Essay.Status.PUBLISHED
        )
        .select_related("section__essay")
        .annotate(
            approved_at=Max(
                "status_changes__created_at",
                filter=Q(status_changes__to_status=ClaimStatus.APPROVED),
            )
        )
        .order_by("section__essay__slug", "section__position", "start", "pk")
    )
    if essay_slug is not None:
        claims = claims.filter(section__essay__slug=essay_slug)

    reviews = []
    for claim in claims:
        essay = claim.section.essay
        reviews.append(
            claim_review(
                {
                    "short_statement": claim.short_statement,
                    "statement": claim.statement,
                    "exact": claim.exact,
                    "verdict": claim.verdict,
                    "reviewed_at": claim.reviewed_at or claim.approved_at or claim.updated_at,
                },
                essay_data={
                    "title": essay.title,
                    "byline": essay.byline,
                    "canonical_url": essay.canonical_url,
                    "url": essay_url(essay.slug, base_url=organisation["url"]),
                    "original_published_on": essay.original_published_on,
                },
                organisation=organisation,
                claim_url=claim_permalink(essay.slug, claim.pk, base_url=organisation["url"]),
            )
        )
    return reviews


def claim_review_feed(*, essay_slug: str | None = None) -> dict:
    """A schema.org DataFeed whose elements are `published_claim_reviews(...)`."""
    organisation = settings.COUNTERPOINT_ORGANISATION
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{organisation['name']} fact-checks",
        "url": organisation["url"],
        "dateModified": timezone.now().isoformat(timespec="seconds"),
        "dataFeedElement": published_claim_reviews(essay_slug=essay_slug),
    }
