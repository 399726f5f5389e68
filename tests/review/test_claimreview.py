"""ClaimReview JSON-LD: what schema.org and Google's fact-check guidelines require, and the feed."""

import io
import json
from datetime import UTC, date, datetime
from urllib.parse import urlparse

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from essays.models import Essay
from review.choices import (
    VERDICT_RATING,
    VERDICT_RATING_BEST,
    VERDICT_RATING_WORST,
    ClaimStatus,
    Verdict,
)
from review.claimreview import (
    author_name,
    claim_permalink,
    claim_review,
    claim_reviewed_text,
    published_claim_reviews,
)
from tests.factories import make_claim, make_essay, make_section, make_status_change

ORG = {"name": "Counterpoint", "url": "https://counterpoint.example.org/"}
ESSAY = {
    "title": "The Quiet That Was Not Peace",
    "byline": "by\u00a0Mariam\u00a0Sadeq",
    "canonical_url": "https://harborledger.example.com/essays/the-quiet",
    "url": "https://counterpoint.example.org/essays/the-quiet/",
    "original_published_on": date(2024, 9, 18),
}
CLAIM_URL = "https://counterpoint.example.org/essays/the-quiet/claims/7/"


def _is_iso_date(value) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_absolute_url(value) -> bool:
    parsed = urlparse(value if isinstance(value, str) else "")
    return parsed.scheme in {"http", "https"} and bool(parsed.netloc)


def claimreview_problems(review: dict, *, site: str = ORG["url"]) -> list[str]:
    """What schema.org's ClaimReview and Google's fact-check guidelines find wrong in `review`.

    Required by Google: claimReviewed, reviewRating (with alternateName), url on the
    publisher's own site. Recommended, and checked here because Counterpoint promises
    them: author (an Organization with name and url), datePublished, itemReviewed (a
    Claim with author, datePublished and appearance). Numbers must sit within the
    rating scale; a present property is never empty.
    """
    problems = []

    def empty_values(value, path):
        if value in ("", None, [], {}):
            problems.append(f"{path} is empty")
        elif isinstance(value, dict):
            for key, inner in value.items():
                empty_values(inner, f"{path}.{key}")

    empty_values(review, "$")
    if review.get("@context") != "https://schema.org" or review.get("@type") != "ClaimReview":
        problems.append("not a schema.org ClaimReview")
    text = review.get("claimReviewed")
    if not isinstance(text, str) or not 0 < len(text) < 75:
        problems.append("claimReviewed must be text under 75 characters")
    if not _is_absolute_url(review.get("url")):
        problems.append("url must be an absolute URL")
    elif urlparse(review["url"]).netloc != urlparse(site).netloc:
        problems.append("url must be on the publisher's own site")
    rating = review.get("reviewRating") or {}
    if rating.get("@type") != "Rating" or not rating.get("alternateName"):
        problems.append("reviewRating must be a Rating with alternateName")
    if "ratingValue" in rating:
        numbers = [rating.get(k) for k in ("worstRating", "ratingValue", "bestRating")]
        if (
            not all(isinstance(n, int) for n in numbers)
            or not numbers[0] <= numbers[1] <= numbers[2]
        ):
            problems.append("ratingValue must lie between worstRating and bestRating")
    author = review.get("author") or {}
    if author.get("@type") != "Organization" or not author.get("name"):
        problems.append("author must be an Organization with a name")
    if not _is_absolute_url(author.get("url")):
        problems.append("author.url must be an absolute URL")
    if not _is_iso_date(review.get("datePublished")):
        problems.append("datePublished must be an ISO 8601 date")
    item = review.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        problems.append("itemReviewed must be a Claim")
    if (item.get("author") or {}).get("@type") not in {"Person", "Organization"}:
        problems.append("itemReviewed.author must be a Person or Organization")
    if not (item.get("author") or {}).get("name"):
        problems.append("itemReviewed.author needs a name")
    if not _is_iso_date(item.get("datePublished")):
        problems.append("itemReviewed.datePublished must be an ISO 8601 date")
    if not _is_absolute_url((item.get("appearance") or {}).get("url")):
        problems.append("itemReviewed.appearance must have an absolute url")
    return problems


def claim_data(**fields) -> dict:
    return {
        "short_statement": "Over 40,000 people fled Kafr Ayyub area since the accord",
        "statement": "More than 40,000 people have been displaced since March 2023.",
        "exact": "More than 40,000 people have fled",
        "verdict": Verdict.MISLEADING,
        "reviewed_at": datetime(2024, 9, 20, 23, 30, tzinfo=UTC),
    } | fields


# -- the builder ----------------------------------------------------------------------------


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_yields_a_valid_claimreview(verdict):
    review = claim_review(
        claim_data(verdict=verdict), essay_data=ESSAY, organisation=ORG, claim_url=CLAIM_URL
    )
    assert claimreview_problems(review) == []
    assert review["reviewRating"]["alternateName"] == verdict.label
    assert review["reviewRating"].get("ratingValue") == VERDICT_RATING[verdict]


def test_the_whole_object_for_one_claim():
    review = claim_review(claim_data(), essay_data=ESSAY, organisation=ORG, claim_url=CLAIM_URL)
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": CLAIM_URL,
        "claimReviewed": "Over 40,000 people fled Kafr Ayyub area since the accord",
        "datePublished": "2024-09-20",
        "author": {"@type": "Organization", "name": "Counterpoint", "url": ORG["url"]},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Misleading",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Mariam Sadeq"},
            "datePublished": "2024-09-18",
            "appearance": {
                "@type": "CreativeWork",
                "url": "https://harborledger.example.com/essays/the-quiet",
                "headline": "The Quiet That Was Not Peace",
            },
        },
    }


def test_the_rating_scale_orders_verdicts_from_false_to_supported():
    assert set(VERDICT_RATING) == set(Verdict)
    ordered = [Verdict.FALSE, Verdict.MISLEADING, Verdict.UNSUPPORTED, Verdict.PARTLY_SUPPORTED]
    numbers = [VERDICT_RATING[v] for v in [*ordered, Verdict.SUPPORTED]]
    assert numbers == sorted(set(numbers))
    assert numbers[0] == VERDICT_RATING_WORST and numbers[-1] == VERDICT_RATING_BEST
    assert VERDICT_RATING[Verdict.UNVERIFIABLE] is None and VERDICT_RATING[Verdict.OPINION] is None


def test_claims_off_the_scale_carry_their_label_only():
    review = claim_review(
        claim_data(verdict=Verdict.OPINION), essay_data=ESSAY, organisation=ORG, claim_url=CLAIM_URL
    )
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Opinion"}


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"short_statement": "Short", "statement": "Long"}, "Short"),
        ({"short_statement": "", "statement": "  The  statement\n"}, "The statement"),
        ({"short_statement": "", "statement": "", "exact": "the words"}, "the words"),
    ],
)
def test_claim_reviewed_prefers_the_short_statement(data, expected):
    assert claim_reviewed_text(data) == expected


def test_a_long_claim_is_cut_under_75_characters_at_a_word():
    statement = "The monitor logged 412 violations in the first six months of the ceasefire, " * 2
    text = claim_reviewed_text({"statement": statement})
    assert len(text) < 75 and text.endswith("…")
    assert statement.startswith(text[:-1]) and statement[len(text) - 1] == " "


def test_the_claim_author_comes_from_the_byline_as_printed():
    assert author_name("by\u00a0Mariam\u00a0Sadeq") == "Mariam Sadeq"
    assert author_name("BY  Lina Haddad") == "Lina Haddad"
    assert author_name("Byron Adams") == "Byron Adams"


def test_missing_optional_data_is_left_out_not_sent_empty():
    essay = {
        "title": "",
        "byline": "",
        "canonical_url": "",
        "url": "",
        "original_published_on": None,
    }
    review = claim_review(
        claim_data(reviewed_at=None), essay_data=essay, organisation=ORG, claim_url=CLAIM_URL
    )
    assert review["itemReviewed"] == {"@type": "Claim"}
    assert "datePublished" not in review


def test_the_appearance_falls_back_to_the_essays_page_here():
    essay = ESSAY | {"canonical_url": ""}
    review = claim_review(claim_data(), essay_data=essay, organisation=ORG, claim_url=CLAIM_URL)
    assert review["itemReviewed"]["appearance"]["url"] == ESSAY["url"]


def test_dates_may_arrive_as_iso_strings_from_a_snapshot():
    review = claim_review(
        claim_data(reviewed_at="2024-09-20T23:30:00+00:00"),
        essay_data=ESSAY | {"original_published_on": "2024-09-18"},
        organisation=ORG,
        claim_url=CLAIM_URL,
    )
    assert review["datePublished"] == "2024-09-20"
    assert review["itemReviewed"]["datePublished"] == "2024-09-18"


def test_a_claim_without_a_verdict_has_no_claimreview():
    with pytest.raises(ValueError, match="needs a verdict"):
        claim_review(
            claim_data(verdict=""), essay_data=ESSAY, organisation=ORG, claim_url=CLAIM_URL
        )


# -- from the database: the feed -------------------------------------------------------------


@pytest.fixture
def published(db):
    """A published essay with approved, proposed and unreviewed claims, and a draft essay."""
    essay = make_essay(
        slug="the-quiet",
        title="The Quiet",
        byline="by Mariam Sadeq",
        canonical_url="https://harborledger.example.com/the-quiet",
        original_published_on=date(2024, 9, 18),
        status=Essay.Status.PUBLISHED,
    )
    section = make_section(essay)
    approved = make_claim(
        section,
        short_statement="Over 40,000 people left",
        status=ClaimStatus.APPROVED,
        verdict=Verdict.MISLEADING,
    )
    approval = make_status_change(
        approved, from_status=ClaimStatus.PROPOSED, to_status=ClaimStatus.APPROVED
    )
    type(approval).objects.filter(pk=approval.pk).update(
        created_at=datetime(2024, 9, 21, 8, 0, tzinfo=UTC)
    )
    make_claim(section, exact="the road is open", status=ClaimStatus.PROPOSED, verdict="false")
    make_claim(section, exact="3 May")
    draft = make_essay(slug="draft-essay")
    make_claim(make_section(draft), status=ClaimStatus.APPROVED, verdict=Verdict.FALSE)
    return approved


@override_settings(COUNTERPOINT_ORGANISATION=ORG)
def test_only_approved_claims_of_published_essays_are_in_the_feed(published):
    (review,) = published_claim_reviews()
    assert claimreview_problems(review) == []
    assert (
        review["url"] == f"https://counterpoint.example.org/essays/the-quiet/claims/{published.pk}/"
    )
    assert review["datePublished"] == "2024-09-21"  # the day the verdict was approved
    assert review["claimReviewed"] == "Over 40,000 people left"
    assert review == claim_review(
        {
            "short_statement": published.short_statement,
            "verdict": published.verdict,
            "reviewed_at": "2024-09-21",
        },
        essay_data={
            "title": "The Quiet",
            "byline": "by Mariam Sadeq",
            "canonical_url": "https://harborledger.example.com/the-quiet",
            "original_published_on": "2024-09-18",
        },
        organisation=ORG,
        claim_url=claim_permalink("the-quiet", published.pk, base_url=ORG["url"]),
    )


@override_settings(COUNTERPOINT_ORGANISATION=ORG)
def test_the_feed_takes_one_query_however_many_claims(published, django_assert_num_queries):
    section = published.section
    for n in range(10):
        section.body += f" Claim number {n}."
        section.save()
        make_claim(section, exact=f"Claim number {n}", status="approved", verdict="supported")
    with django_assert_num_queries(1):
        reviews = published_claim_reviews()
    assert len(reviews) == 11
    assert all(claimreview_problems(review) == [] for review in reviews)


@override_settings(COUNTERPOINT_ORGANISATION=ORG)
def test_export_claimreview_writes_a_datafeed_of_the_same_objects(published, tmp_path):
    out = io.StringIO()
    call_command("export_claimreview", stdout=out)
    feed = json.loads(out.getvalue())
    assert feed["@type"] == "DataFeed" and feed["@context"] == "https://schema.org"
    assert feed["dataFeedElement"] == published_claim_reviews()

    path = tmp_path / "feed.json"
    call_command(
        "export_claimreview", "--essay", "the-quiet", "-o", str(path), stderr=io.StringIO()
    )
    assert len(json.loads(path.read_text())["dataFeedElement"]) == 1


def test_export_claimreview_refuses_unknown_and_unpublished_essays(published):
    with pytest.raises(CommandError, match="No essay with the slug “nope”"):
        call_command("export_claimreview", "--essay", "nope")
    with pytest.raises(CommandError, match="“draft-essay” is not published"):
        call_command("export_claimreview", "--essay", "draft-essay")
