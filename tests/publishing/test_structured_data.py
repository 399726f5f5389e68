"""Structured data: one rating table, one ClaimReview builder, one author name, and the
ClaimReview feed, all read from published revisions (what schema.org and Google's
fact-check guidelines require, and that every surface agrees)."""

import io
import json
import re
from datetime import UTC, date, datetime
from urllib.parse import urlparse

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from publishing.selectors import live_claim_reviews
from publishing.snapshot import essay_snapshot
from publishing.structured_data import (
    BEST_RATING,
    BY_VERDICT,
    RATINGS,
    WORST_RATING,
    author_name,
    claim_review,
)
from review import services
from review.choices import ClaimStatus, Verdict
from tests.factories import (
    make_claim,
    make_essay,
    make_section,
    make_status_change,
    make_user,
)
from tests.publishing.builders import approve, reviewed_essay

ORG = {"name": "Counterpoint", "url": "https://counterpoint.example.org/"}
SITE = "https://counterpoint.example.org/"
CLAIM_ID = 7
CLAIM_URL = "https://counterpoint.example.org/essays/the-quiet/claims/7/"
FIRST_PUBLISHED = "2024-10-01"


def snapshot_data(**essay_fields) -> dict:
    """A published snapshot's essay part, as publishing stores it (dates as ISO strings)."""
    essay = {
        "id": 1,
        "title": "The Quiet That Was Not Peace",
        "slug": "the-quiet",
        "byline": "by\u00a0Mariam\u00a0Sadeq",
        "dek": "",
        "canonical_url": "https://harborledger.example.com/essays/the-quiet",
        "original_published_on": "2024-09-18",
        "language": "en",
        "tags": [],
    } | essay_fields
    return {"schema": 1, "essay": essay, "sections": [], "quotations": [], "claims": [],
            "sources": []}  # fmt: skip


def claim_data(**fields) -> dict:
    return {
        "id": CLAIM_ID,
        "short_statement": "Over 40,000 people fled Kafr Ayyub area since the accord",
        "statement": "More than 40,000 people have been displaced since March 2023.",
        "exact": "More than 40,000 people have fled",
        "verdict": Verdict.MISLEADING,
        "reviewed_on": "2024-09-20",
    } | fields


def build(claim=None, snapshot=None, **options) -> dict:
    return claim_review(
        snapshot or snapshot_data(),
        claim or claim_data(),
        first_published=options.pop("first_published", FIRST_PUBLISHED),
        **options,
    )


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


# -- the rating table -------------------------------------------------------------------


def test_the_rating_scale_orders_verdicts_from_false_to_supported():
    assert {rating.verdict for rating in RATINGS} == set(Verdict)
    ordered = [Verdict.FALSE, Verdict.UNSUPPORTED, Verdict.MISLEADING, Verdict.PARTLY_SUPPORTED]
    numbers = [BY_VERDICT[v].value for v in [*ordered, Verdict.SUPPORTED]]
    assert numbers == sorted(set(numbers))
    assert numbers[0] == WORST_RATING and numbers[-1] == BEST_RATING
    assert BY_VERDICT[Verdict.UNVERIFIABLE].value is None
    assert BY_VERDICT[Verdict.OPINION].value is None


def test_the_how_we_rate_claims_page_prints_the_numbers_the_structured_data_uses(client):
    html = client.get(reverse("public:ratings")).content.decode()
    for rating in RATINGS:
        row = re.search(rf'<tr id="verdict-{rating.verdict}">(.*?)</tr>', html, re.S).group(1)
        assert f">{rating.label}</span>" in row
        printed = re.findall(r"<td>([^<]*)</td>", row)[-1]
        if rating.value is None:
            assert "not a point on the scale" in printed
            assert "ratingValue" not in build(claim_data(verdict=rating.verdict))["reviewRating"]
        else:
            assert printed == str(rating.value)
            review = build(claim_data(verdict=rating.verdict))
            assert review["reviewRating"]["ratingValue"] == rating.value


# -- the builder ----------------------------------------------------------------------------


@override_settings(COUNTERPOINT_ORGANISATION=ORG, COUNTERPOINT_SITE_URL=SITE)
@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_yields_a_valid_claimreview(verdict):
    review = build(claim_data(verdict=verdict))
    assert claimreview_problems(review) == []
    assert review["reviewRating"]["alternateName"] == verdict.label
    assert review["reviewRating"].get("ratingValue") == BY_VERDICT[verdict].value


@override_settings(COUNTERPOINT_ORGANISATION=ORG, COUNTERPOINT_SITE_URL=SITE)
def test_the_whole_object_for_one_claim():
    assert build() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": CLAIM_URL,
        "claimReviewed": "Over 40,000 people fled Kafr Ayyub area since the accord",
        "datePublished": "2024-09-20",
        "author": {"@type": "Organization", "name": "Counterpoint", "url": ORG["url"]},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Misleading",
            "ratingValue": 3,
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
            },
        },
    }


def test_claims_off_the_scale_carry_their_label_only():
    review = build(claim_data(verdict=Verdict.OPINION))
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Opinion"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"short_statement": "Short", "statement": "Long"}, "Short"),
        ({"short_statement": "", "statement": "  The  statement\n"}, "The statement"),
        ({"short_statement": "", "statement": ""}, "40,000 people left"),
    ],
)
def test_claim_reviewed_prefers_the_short_statement(fields, expected):
    claim = make_claim(**fields)
    [data] = essay_snapshot(essay=claim.section.essay)["claims"]
    assert data["short_statement"] == expected
    assert build(data | {"verdict": Verdict.FALSE})["claimReviewed"] == expected


@pytest.mark.django_db
def test_a_long_claim_is_cut_under_75_characters_at_a_word():
    statement = "The monitor logged 412 violations in the first six months of the ceasefire, " * 2
    claim = make_claim(statement=statement)
    [data] = essay_snapshot(essay=claim.section.essay)["claims"]
    text = build(data | {"verdict": Verdict.FALSE})["claimReviewed"]
    assert len(text) < 75 and text.endswith("…")
    assert statement.startswith(text[:-1]) and statement[len(text) - 1] == " "


def test_the_claim_author_comes_from_the_byline_as_printed():
    assert author_name("by\u00a0Mariam\u00a0Sadeq") == "Mariam Sadeq"
    assert author_name("BY  Lina Haddad") == "Lina Haddad"
    assert author_name("Byron Adams") == "Byron Adams"


@override_settings(COUNTERPOINT_ORGANISATION=ORG, COUNTERPOINT_SITE_URL=SITE)
def test_missing_essay_data_falls_back_and_is_never_sent_empty():
    snapshot = snapshot_data(byline="", canonical_url="", original_published_on=None)
    review = build(claim_data(reviewed_on=None), snapshot)
    assert claimreview_problems(review) == []
    assert review["itemReviewed"]["author"] == review["author"]  # the organisation
    assert review["itemReviewed"]["datePublished"] == FIRST_PUBLISHED
    assert review["datePublished"] == FIRST_PUBLISHED


@override_settings(COUNTERPOINT_SITE_URL=SITE)
def test_the_appearance_falls_back_to_the_essays_page_here():
    review = build(snapshot=snapshot_data(canonical_url=""))
    assert review["itemReviewed"]["appearance"]["url"] == f"{SITE}essays/the-quiet/"


def test_dates_are_the_snapshots_iso_dates():
    review = build(claim_data(reviewed_on="2024-09-20"))
    assert review["datePublished"] == "2024-09-20"
    assert review["itemReviewed"]["datePublished"] == "2024-09-18"


def test_a_claim_without_a_verdict_has_no_claimreview():
    with pytest.raises(ValueError, match="needs a verdict"):
        build(claim_data(verdict=None))


def test_the_claims_corrections_travel_with_its_claimreview():
    corrections = [
        {"date": "2025-01-05", "revision": 2, "kind": "verdict_changed", "is_correction": True,
         "claim_id": CLAIM_ID, "claim": "…", "text": "Verdict changed from “False” to “X”."},
        {"date": "2025-01-05", "revision": 2, "kind": "evidence_added", "is_correction": False,
         "claim_id": CLAIM_ID, "claim": "…", "text": "Counter-evidence added (contradicts)."},
        {"date": "2025-01-05", "revision": 2, "kind": "verdict_changed", "is_correction": True,
         "claim_id": CLAIM_ID + 1, "claim": "…", "text": "Another claim's correction."},
    ]  # fmt: skip
    review = build(corrections=corrections)
    assert review["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "Verdict changed from “False” to “X”.",
            "datePublished": "2025-01-05",
        }
    ]
    assert "correction" not in build()


# -- from published revisions: the feed -----------------------------------------------------


@pytest.fixture
def published(db, publisher, publish):
    """A published essay with approved, proposed and unreviewed claims, and a draft essay."""
    essay = make_essay(
        slug="the-quiet",
        title="The Quiet",
        byline="by Mariam Sadeq",
        canonical_url="https://harborledger.example.com/the-quiet",
        original_published_on=date(2024, 9, 18),
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
    publish(essay=essay, actor=publisher, override_reason="Open claims stay under review.")
    draft = make_essay(slug="draft-essay")
    make_claim(make_section(draft), status=ClaimStatus.APPROVED, verdict=Verdict.FALSE)
    return approved


@override_settings(COUNTERPOINT_ORGANISATION=ORG, COUNTERPOINT_SITE_URL=SITE)
def test_only_reviewed_claims_of_published_essays_are_in_the_feed(published):
    (review,) = live_claim_reviews()
    assert claimreview_problems(review) == []
    assert review["url"] == f"{SITE}essays/the-quiet/claims/{published.pk}/"
    assert review["datePublished"] == "2024-09-21"  # the day the verdict was approved
    assert review["claimReviewed"] == "Over 40,000 people left"
    revision = published.section.essay.revisions.get(is_live=True)
    assert review == claim_review(
        revision.snapshot,
        next(c for c in revision.snapshot["claims"] if c["id"] == published.pk),
        first_published=revision.first_published_at.date().isoformat(),
    )


@override_settings(COUNTERPOINT_ORGANISATION=ORG)
def test_the_feed_takes_one_query_however_many_claims(
    published, publisher, publish, django_assert_num_queries
):
    section = published.section
    for n in range(10):
        section.body += f" Claim number {n}."
        section.save()
        make_claim(section, exact=f"Claim number {n}", status="approved", verdict="supported")
    publish(essay=section.essay, actor=publisher, override_reason="More claims.")
    with django_assert_num_queries(1):
        reviews = live_claim_reviews()
    assert len(reviews) == 11
    assert all(claimreview_problems(review) == [] for review in reviews)


@override_settings(COUNTERPOINT_ORGANISATION=ORG)
def test_export_claimreview_writes_a_datafeed_of_the_same_objects(published, tmp_path):
    out = io.StringIO()
    call_command("export_claimreview", stdout=out)
    feed = json.loads(out.getvalue())
    assert feed["@type"] == "DataFeed" and feed["@context"] == "https://schema.org"
    assert feed["dataFeedElement"] == live_claim_reviews()

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


def exported() -> dict[str, dict]:
    out = io.StringIO()
    call_command("export_claimreview", stdout=out)
    return {review["url"]: review for review in json.loads(out.getvalue())["dataFeedElement"]}


@override_settings(COUNTERPOINT_SITE_URL=SITE)
def test_a_verdict_approved_after_the_last_publish_is_exported_only_from_the_next_publish(
    published, publisher, publish
):
    """Issue 11, item 17: the feed shows what readers are shown, never the live rows."""
    essay = published.section.essay
    open_claim = essay.sections.get().claims.get(exact="the road is open")
    second_reviewer = make_user("Reviewer")
    services.claim_approve_verdict(claim=open_claim, actor=second_reviewer)
    open_url = f"{SITE}essays/the-quiet/claims/{open_claim.pk}/"
    assert open_url not in exported()  # approved, but readers still see "under review"

    publish(essay=essay, actor=publisher, override_reason="One claim still open.")
    assert exported()[open_url]["reviewRating"]["alternateName"] == "False"


@override_settings(COUNTERPOINT_SITE_URL=SITE)
def test_a_changed_verdict_reaches_the_feed_with_the_next_publish_and_its_correction(
    published, publisher, publish
):
    url = f"{SITE}essays/the-quiet/claims/{published.pk}/"
    services.claim_reopen(claim=published, actor=publisher, reason="New figures.")
    assert exported()[url]["reviewRating"]["alternateName"] == "Misleading"  # as published

    reviewer = make_user("Reviewer")
    services.claim_assign(claim=published, assignee=reviewer, actor=publisher)
    services.claim_propose_verdict(claim=published, actor=reviewer, verdict=Verdict.FALSE)
    services.claim_approve_verdict(claim=published, actor=publisher)
    assert exported()[url]["reviewRating"]["alternateName"] == "Misleading"

    publish(essay=published.section.essay, actor=publisher, override_reason="Corrected.")
    review = exported()[url]
    assert review["reviewRating"]["alternateName"] == "False"
    [correction] = review["correction"]
    assert correction["text"] == "Verdict changed from “Misleading” to “False”."


def json_ld(html: str) -> list:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@override_settings(COUNTERPOINT_SITE_URL=SITE)
def test_the_pages_and_the_feed_agree_claim_by_claim(client, publisher, publish):
    """Issue 11, item 18: each claim page's ClaimReview and the export are the same
    objects, claim by claim, including numbers, dates and corrections (the article itself
    carries only its Article, linking to the claim pages)."""
    first = reviewed_essay(title="The Valley Road")
    publish(essay=first, actor=publisher, override_reason="Go.")
    approve(first.claims["false"], Verdict.MISLEADING, "The monitor counted fewer.")
    publish(essay=first, actor=publisher, override_reason="Corrected.")
    # A second essay of another shape: no byline, no canonical URL, off-scale verdicts.
    second = make_essay(title="The Ridge Road", slug="ridge-road")
    section = make_section(second, body="The ridge was quiet. Talks will surely succeed.")
    approve(make_claim(section, exact="The ridge was quiet"), Verdict.UNSUPPORTED)
    approve(make_claim(section, exact="Talks will surely succeed"), Verdict.OPINION)
    make_claim(section, exact="quiet")
    publish(essay=second, actor=publisher, override_reason="Go.")

    feed = exported()
    assert len(feed) == 4  # two reviewed claims in each essay
    assert any("correction" in review for review in feed.values())
    on_pages = {}
    for essay in (first, second):
        [graph] = json_ld(client.get(reverse("public:article", args=[essay.slug])).content.decode())
        assert [item["@type"] for item in graph] == ["Article"]
        for claim_id in essay.revisions.get(is_live=True).claim_ids:
            path = reverse("public:claim", args=[essay.slug, claim_id])
            [review] = json_ld(client.get(path).content.decode())
            on_pages[review["url"]] = review
            assert urlparse(review["url"]).path == path
    assert on_pages == feed
