"""Claim candidates: accepting makes a Claim, rejecting records the decision; the admin list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from essays.importer import save_import
from essays.models import Claim, ClaimCandidate
from essays.services import claim_candidate_accept, claim_candidate_reject
from review.choices import ClaimStatus
from tests.importer.conftest import parse_text

pytestmark = pytest.mark.django_db

ESSAY = (
    "Counting the Dead\n\nBy Sara Nour\n\n"
    "The monitor said 311 civilians were killed in the offensive in 2019. "
    "I think the war was a tragedy.\n\n"
    "Shelling destroyed 14 hospitals in Idlib between April and June 2019, the UN reported.\n\n"
    "Published at https://counterpoint.example/essays/counting\n"
)


@pytest.fixture
def candidates(shipped_outlets, editor):
    save_import(parsed=parse_text(ESSAY), actor=editor)
    return list(ClaimCandidate.objects.select_related("section"))


def test_accepting_a_candidate_creates_an_anchored_claim(candidates, editor):
    candidate = candidates[0]
    claim = claim_candidate_accept(candidate=candidate, actor=editor)

    body = candidate.section.body
    assert claim.exact == candidate.text == body[claim.start : claim.end]
    assert claim.prefix == body[max(0, claim.start - 32) : claim.start]
    assert claim.suffix == body[claim.end : claim.end + 32]
    assert claim.status == ClaimStatus.UNREVIEWED and claim.check_worthiness == candidate.score
    candidate.refresh_from_db()
    assert candidate.decision == ClaimCandidate.Decision.ACCEPTED
    assert candidate.claim == claim and candidate.decided_by == editor and candidate.decided_at
    with pytest.raises(ValidationError, match="already accepted"):
        claim_candidate_accept(candidate=candidate, actor=editor)
    with pytest.raises(ValidationError, match="delete its claim"):
        claim_candidate_reject(candidate=candidate, actor=editor)
    assert Claim.objects.count() == 1


def test_accepting_after_the_section_was_edited_finds_the_sentence_again(candidates, publisher):
    candidate = candidates[-1]
    section = candidate.section
    section.body = "A new first sentence. " + section.body
    section.save()
    claim = claim_candidate_accept(candidate=candidate, actor=publisher)
    assert section.body[claim.start : claim.end] == candidate.text


def test_a_candidate_whose_sentence_was_edited_away_cannot_be_accepted(candidates, editor):
    candidate = candidates[0]
    candidate.section.body = "Nothing of the old text is left."
    candidate.section.save()
    with pytest.raises(ValidationError, match="no longer in its section"):
        claim_candidate_accept(candidate=candidate, actor=editor)
    candidate.refresh_from_db()
    assert candidate.decision == ClaimCandidate.Decision.PENDING and Claim.objects.count() == 0


def test_rejecting_records_who_and_when(candidates, editor):
    candidate = claim_candidate_reject(candidate=candidates[0], actor=editor)
    assert candidate.decision == ClaimCandidate.Decision.REJECTED
    assert candidate.decided_by == editor and candidate.decided_at
    assert Claim.objects.count() == 0
    # A rejected candidate can still be accepted if the editor changes their mind.
    claim_candidate_accept(candidate=candidate, actor=editor)
    assert Claim.objects.count() == 1


def test_admin_lists_candidates_by_score_with_filters(candidates, client, editor):
    client.force_login(editor)
    url = reverse("admin:essays_claimcandidate_changelist")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    scores = sorted((c.score for c in candidates), reverse=True)
    assert html.count('class="field-why"') == len(candidates)
    positions = [html.index(c.text[:40]) for c in sorted(candidates, key=lambda c: -c.score)]
    assert positions == sorted(positions) and scores
    essay_id = candidates[0].section.essay_id
    assert (
        client.get(url, {"decision": "pending", "section__essay__id__exact": essay_id}).status_code
        == 200
    )


def test_admin_actions_accept_and_reject(candidates, client, editor):
    client.force_login(editor)
    url = reverse("admin:essays_claimcandidate_changelist")
    first, *rest = candidates
    response = client.post(
        url, {"action": "accept_as_claims", "_selected_action": [first.pk]}, follow=True
    )
    assert "Accepted 1 candidate as a claim." in response.content.decode()
    assert Claim.objects.get().exact == first.text
    client.post(url, {"action": "reject", "_selected_action": [c.pk for c in rest]})
    assert ClaimCandidate.objects.filter(decision="rejected").count() == len(rest)


def test_reviewers_see_candidates_but_get_no_decision_actions(candidates, client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:essays_claimcandidate_changelist"))
    assert page.status_code == 200 and "accept_as_claims" not in page.content.decode()


def test_each_row_shows_the_sentence_in_its_paragraph_and_why_in_words(candidates, client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:essays_claimcandidate_changelist")).content.decode()
    hospitals = next(c for c in candidates if "hospitals" in c.text)
    assert f"<mark>{hospitals.text}</mark>" in html
    assert "numbers" in html and "a named source" in html and "a date" in html
    assert "[[" not in html and "section.body[" not in html  # no raw JSON, no code words
    assert html.count('name="accept"') == len(candidates) == html.count('name="reject"')
    assert 'id="cp-decide-form"' in html


def test_a_rows_buttons_accept_or_reject_and_come_back_to_the_filtered_list(
    candidates, client, editor
):
    client.force_login(editor)
    first, second = candidates[0], candidates[1]
    back = reverse("admin:essays_claimcandidate_changelist") + "?decision__exact=pending"
    decide = reverse("admin:essays_claimcandidate_decide")
    response = client.post(decide, {"accept": first.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Claim.objects.get().exact == first.text
    # the page of one candidate carries the same buttons
    page = client.get(
        reverse("admin:essays_claimcandidate_change", args=[second.pk])
    ).content.decode()
    assert 'name="accept"' in page and 'id="cp-decide-form"' in page
    away = client.post(decide, {"reject": second.pk, "next": "https://elsewhere.example/"})
    assert away["Location"] == reverse("admin:essays_claimcandidate_changelist")
    assert ClaimCandidate.objects.get(pk=second.pk).decision == "rejected"


def test_the_decide_buttons_are_for_who_may_decide(candidates, client, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("admin:essays_claimcandidate_changelist")).content.decode()
    assert 'name="accept"' not in html
    decide = reverse("admin:essays_claimcandidate_decide")
    assert client.post(decide, {"accept": candidates[0].pk}).status_code == 403
    assert not Claim.objects.exists()


def test_explain_score_names_what_raised_and_lowered_it():
    from essays.importer.claims import explain_score, score_sentence

    _, features = score_sentence("The ministry reported that 40 wells ran dry in May 2021.")
    assert explain_score(features).startswith("numbers")
    assert "a named source" in explain_score(features) and "a date" in explain_score(features)
    _, features = score_sentence("Perhaps we should worry.")
    assert "lowered by:" in explain_score(features) and "opinion words" in explain_score(features)
    assert explain_score([]) == "nothing in particular"
