"""Publishing freezes what readers see; unpublishing withdraws it; both need the right role."""

import gzip

import pytest
from django.urls import reverse

from essays.models import Claim, Essay, Section
from publishing.models import PublishedRevision
from publishing.services import PublishBlocked, essay_publish
from review.choices import ClaimStatus, Verdict
from review.models import PublishOverride
from tests.factories import make_claim, make_essay, make_section
from tests.publishing.builders import (
    DRAFT_SECRET,
    NOTE_SECRET,
    PROPOSED_SECRET,
    approve,
    evidence,
    reviewed_essay,
)

pytestmark = pytest.mark.django_db


def article_url(essay: Essay) -> str:
    return reverse("public:article", kwargs={"slug": essay.slug})


@pytest.fixture
def essay():
    return reviewed_essay()


def test_the_review_gate_blocks_publishing_until_a_reason_is_given(essay, publisher):
    with pytest.raises(PublishBlocked) as blocked:
        essay_publish(essay=essay, actor=publisher)
    assert [b.claim.pk for b in blocked.value.blockers] == [
        essay.claims["false"].pk,  # an unresolved internal note
        essay.claims["proposed"].pk,  # a verdict proposed, not approved
    ]
    assert not PublishedRevision.objects.exists()

    revision = essay_publish(essay=essay, actor=publisher, override_reason="  Breaking news. ")
    override = PublishOverride.objects.get(essay=essay)
    assert override.reason == "Breaking news." and override.actor == publisher
    assert len(override.blockers) == 2
    assert revision.override_reason == "Breaking news."


def test_a_fully_reviewed_essay_publishes_without_an_override(publisher):
    essay = make_essay()
    approve(make_claim(make_section(essay)), Verdict.SUPPORTED)
    revision = essay_publish(essay=essay, actor=publisher)
    assert revision.number == 1 and revision.is_live and revision.override_reason == ""
    assert not PublishOverride.objects.exists()
    assert Essay.objects.get(pk=essay.pk).status == Essay.Status.PUBLISHED


def test_the_snapshot_holds_only_what_readers_may_see(essay, publisher):
    revision = essay_publish(essay=essay, actor=publisher, override_reason="Go.")
    frozen = str(revision.snapshot) + gzip.decompress(revision.page_gzip).decode()
    for secret in (NOTE_SECRET, DRAFT_SECRET, PROPOSED_SECRET):
        assert secret not in frozen
    claims = {c["id"]: c for c in revision.snapshot["claims"]}
    proposed = claims[essay.claims["proposed"].pk]
    assert proposed["verdict"] is None and proposed["verdict_label"] == "Under review"
    assert claims[essay.claims["false"].pk]["verdict"] == Verdict.FALSE
    assert [len(c["counter_evidence"]) for c in claims.values()] == [1, 0, 0]
    assert "notes" not in {key for source in revision.snapshot["sources"] for key in source}
    assert revision.published_by == publisher and revision.published_at
    assert revision.claim_ids == [essay.claims["false"].pk, essay.claims["supported"].pk]
    assert revision.verdict_counts == {"supported": 1, "false": 1, "under_review": 1}
    assert sorted(t.slug for t in revision.tags.all()) == ["ceasefires", "valley"]


def test_edits_after_publishing_change_nothing_until_the_next_publish(
    client, essay, publisher, publish
):
    publish(essay=essay, actor=publisher, override_reason="Go.")
    Section.objects.filter(essay=essay).update(body="Rewritten draft text that is not public.")
    Essay.objects.filter(pk=essay.pk).update(title="A draft title")
    page = client.get(article_url(essay)).content.decode()
    assert "The Valley Road" in page and "A draft title" not in page
    assert "Rewritten draft text" not in page

    essay.refresh_from_db()
    publish(essay=essay, actor=publisher, override_reason="Go again.")
    page = client.get(article_url(essay)).content.decode()
    assert "A draft title" in page and "Rewritten draft text" in page


def test_republishing_makes_a_new_live_revision_and_keeps_the_old_one(essay, publisher):
    first = essay_publish(essay=essay, actor=publisher, override_reason="Go.")
    second = essay_publish(essay=essay, actor=publisher, override_reason="Go.")
    first.refresh_from_db()
    assert (first.number, first.is_live) == (1, False)
    assert (second.number, second.is_live) == (2, True)
    assert second.first_published_at == first.published_at


def test_a_changed_verdict_appears_as_a_dated_correction(client, essay, publisher, publish):
    publish(essay=essay, actor=publisher, override_reason="Go.")
    supported = essay.claims["supported"]
    approve(supported, Verdict.MISLEADING, "New logs emerged.")
    evidence(essay.claims["false"], approved=True, summary="A second monitor agrees.")
    revision = publish(essay=essay, actor=publisher, override_reason="Go.")

    today = revision.published_at.date().isoformat()
    assert [(c["claim_id"], c["kind"], c["date"]) for c in revision.corrections] == [
        (essay.claims["false"].pk, "evidence_added", today),
        (supported.pk, "verdict_changed", today),
    ]
    page = client.get(article_url(essay)).content.decode()
    assert "Corrections and updates" in page
    assert "Verdict changed from “Supported” to “Misleading”." in page
    assert f'datetime="{today}"' in page
    claim_page = client.get(
        reverse("public:claim", kwargs={"slug": essay.slug, "claim_id": supported.pk})
    ).content.decode()
    assert "Verdict changed from “Supported” to “Misleading”." in claim_page


def test_a_reopened_verdict_disappears_and_the_withdrawal_is_listed(essay, publisher):
    essay_publish(essay=essay, actor=publisher, override_reason="Go.")
    Claim.objects.filter(pk=essay.claims["false"].pk).update(
        status=ClaimStatus.IN_REVIEW, verdict="", verdict_summary=""
    )
    revision = essay_publish(essay=essay, actor=publisher, override_reason="Go.")
    claim = next(c for c in revision.snapshot["claims"] if c["id"] == essay.claims["false"].pk)
    assert claim["verdict"] is None
    assert revision.corrections[0]["kind"] == "verdict_withdrawn"
    assert essay.claims["false"].pk not in revision.claim_ids


def test_unpublishing_answers_410_and_republishing_brings_it_back(
    client, essay, publisher, publish
):
    publish(essay=essay, actor=publisher, override_reason="Go.")
    claim_url = reverse(
        "public:claim", kwargs={"slug": essay.slug, "claim_id": essay.claims["false"].pk}
    )
    assert client.get(article_url(essay)).status_code == 200  # now cached
    publish.unpublish(essay=essay, actor=publisher)
    assert Essay.objects.get(pk=essay.pk).status == Essay.Status.UNPUBLISHED
    gone = client.get(article_url(essay))
    assert gone.status_code == 410 and b"withdrawn" in gone.content
    assert client.get(claim_url).status_code == 410
    assert essay.title not in client.get(reverse("public:home")).content.decode()

    publish(essay=essay, actor=publisher, override_reason="Back.")
    assert client.get(article_url(essay)).status_code == 200


def test_a_new_slug_redirects_the_old_address(client, essay, publisher, publish):
    publish(essay=essay, actor=publisher, override_reason="Go.")
    old = article_url(essay)
    Essay.objects.filter(pk=essay.pk).update(slug="the-valley-road-revisited")
    essay.refresh_from_db()
    publish(essay=essay, actor=publisher, override_reason="Go.")
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/essays/the-valley-road-revisited/"


def test_front_caches_are_purged_only_after_commit(
    client, essay, publisher, django_capture_on_commit_callbacks
):
    from unittest import mock

    essay_publish(essay=essay, actor=publisher, override_reason="Go.")
    Essay.objects.filter(pk=essay.pk).update(title="The Valley Road, corrected")
    essay.refresh_from_db()
    with mock.patch("publishing.frontcache.purge") as purge:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            essay_publish(essay=essay, actor=publisher, override_reason="Go.")
            assert not purge.called  # nothing told before the commit
        for callback in callbacks:
            callback()
    [paths] = purge.call_args.args
    assert article_url(essay) in paths and "/" in paths and "/feed/" in paths
    assert b"The Valley Road, corrected" in client.get(article_url(essay)).content


def test_publishing_refuses_an_address_another_live_essay_holds(client, publisher):
    from django.core.exceptions import ValidationError

    first = make_essay(title="The first river essay", slug="the-river")
    approve(make_claim(make_section(first)), Verdict.SUPPORTED)
    essay_publish(essay=first, actor=publisher)
    second = make_essay(title="A second essay", slug="second")
    approve(make_claim(make_section(second)), Verdict.SUPPORTED)
    essay_publish(essay=second, actor=publisher)
    # The first essay is renamed (its live revision keeps /essays/the-river/ until it is
    # published again), and the second takes the freed slug.
    Essay.objects.filter(pk=first.pk).update(slug="the-river-renamed")
    Essay.objects.filter(pk=second.pk).update(slug="the-river")
    second.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        essay_publish(essay=second, actor=publisher, override_reason="Override, please.")
    assert "belongs to the live essay “The first river essay”" in str(refused.value)
    assert PublishedRevision.objects.filter(slug="the-river", is_live=True).get().essay == first
    assert PublishedRevision.objects.get(essay=second, is_live=True).slug == "second"
    assert "The first river essay" in client.get("/essays/the-river/").content.decode()
