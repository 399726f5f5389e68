"""The reviewer's admin screens: queue, workflow buttons, conflicts, progress and the gate."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from essays.models import Claim
from review.choices import ClaimStatus, Verdict
from review.models import StatusChange
from review.roles import REVIEWER
from tests.factories import (
    claim_admin_form,
    make_claim,
    make_claim_candidate,
    make_essay,
    make_note,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:review_queueitem_changelist")


def change_url(claim: Claim) -> str:
    return reverse("admin:essays_claim_change", args=[claim.pk])


def transition_url(claim: Claim) -> str:
    return reverse("admin:essays_claim_transition", args=[claim.pk])


def test_my_queue_lists_only_my_open_claims_with_their_note_counts(client, reviewer):
    mine = make_claim(
        short_statement="Mine to check", assigned_to=reviewer, status=ClaimStatus.IN_REVIEW
    )
    make_note(mine, body="open one")
    make_note(mine, body="closed one", resolved=True)
    make_claim(
        short_statement="Someone else’s", assigned_to=make_user(REVIEWER), status="in_review"
    )
    make_claim(
        short_statement="Mine but proposed",
        assigned_to=reviewer,
        status="proposed",
        verdict="false",
    )
    client.force_login(reviewer)
    page = client.get(QUEUE).content.decode()
    assert "Mine to check" in page
    assert "Someone else’s" not in page and "Mine but proposed" not in page
    row = page[page.index("Mine to check") :]
    assert (
        '<td class="field-open_notes">1</td>' in row
        and '<td class="field-note_count">2</td>' in row
    )
    assert client.get(QUEUE, {"o": "4"}).status_code == 200  # sortable by age
    assert (
        client.get(QUEUE, {"section__essay__id__exact": mine.section.essay_id}).status_code == 200
    )


def test_reviewer_proposes_a_verdict_from_the_claim_page(client, reviewer):
    claim = make_claim(assigned_to=reviewer, status=ClaimStatus.IN_REVIEW)
    client.force_login(reviewer)
    page = client.get(change_url(claim)).content.decode()
    assert "Propose a verdict" in page and "<mark>40,000 people left</mark>" in page
    response = client.post(
        transition_url(claim),
        {
            "action": "propose",
            "expected_version": 1,
            "verdict": "misleading",
            "verdict_summary": "The monitor counted 26,000.",
            "comment": "",
        },
        follow=True,
    )
    assert "Claim is now “Verdict proposed”" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.verdict_proposed_by) == (
        "proposed",
        "misleading",
        reviewer,
    )
    assert claim.verdict_summary == "The monitor counted 26,000."
    page = client.get(change_url(claim)).content.decode()
    assert "Approve the proposed verdict" not in page  # not for the one who proposed it


def test_a_refused_move_shows_why_and_changes_nothing(client, reviewer):
    claim = make_claim(assigned_to=reviewer, status=ClaimStatus.IN_REVIEW)
    client.force_login(reviewer)
    response = client.post(
        transition_url(claim),
        {
            "action": "approve",
            "expected_version": 1,
            "comment": "",
        },
        follow=True,
    )
    assert "only possible from: Verdict proposed" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW
    assert not StatusChange.objects.exists()


def test_a_move_from_a_stale_page_is_refused_as_a_conflict(client, publisher):
    claim = make_claim(assigned_to=publisher, status=ClaimStatus.IN_REVIEW)
    Claim.objects.filter(pk=claim.pk).update(version=2)
    client.force_login(publisher)
    response = client.post(
        transition_url(claim),
        {
            "action": "propose",
            "expected_version": 1,
            "verdict": Verdict.FALSE,
            "comment": "",
        },
        follow=True,
    )
    assert "changed by someone else" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def _claim_form(claim: Claim, version: int, statement: str) -> dict:
    return claim_admin_form(claim, expected_version=version, statement=statement)


def test_two_editors_saving_from_the_same_form_version_the_second_sees_a_conflict(
    client, publisher
):
    claim = make_claim()
    other = make_user("Publisher")
    client.force_login(other)
    assert client.post(change_url(claim), _claim_form(claim, 1, "First edit")).status_code == 302
    client.force_login(publisher)
    response = client.post(change_url(claim), _claim_form(claim, 1, "Second edit"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in page and "First edit" in page
    assert Claim.objects.get(pk=claim.pk).statement == "First edit"
    # Saving again from the re-displayed form is a knowing overwrite.
    again = client.post(change_url(claim), _claim_form(claim, 2, "Second edit"))
    assert again.status_code == 302
    assert Claim.objects.get(pk=claim.pk).statement == "Second edit"


def test_essay_page_shows_progress_by_state_and_what_blocks_publishing(client, publisher):
    essay = make_essay()
    section = make_section(essay, heading="Idlib")
    done = make_claim(section, short_statement="Done claim", status="approved", verdict="false")
    waiting = make_claim(section, short_statement="Waiting claim")
    make_note(done, body="still open")
    make_claim_candidate(section)
    client.force_login(publisher)
    page = client.get(reverse("admin:essays_essay_change", args=[essay.pk])).content.decode()
    assert "Verdict approved: <strong>1</strong>" in page
    assert "Unreviewed: <strong>1</strong>" in page
    assert "Publishing is blocked by 3 open items" in page
    assert change_url(waiting) in page and change_url(done) in page
    assert "1 unresolved note" in page
    candidates = reverse("admin:essays_claimcandidate_changelist")
    assert f"{candidates}?section__essay__id__exact={essay.pk}&amp;decision__exact=pending" in page
    assert "1 claim candidate not decided" in page


def test_bulk_assignment_from_the_essay_list(client, editor):
    essay = make_essay()
    claims = [make_claim(make_section(essay)) for _ in range(3)]
    reviewer = make_user(REVIEWER)
    client.force_login(editor)
    url = reverse("admin:essays_essay_changelist")
    action = {"action": "assign_claims_to_reviewer", ACTION_CHECKBOX_NAME: [essay.pk]}
    confirm = client.post(url, action)
    assert "3 of 3 claims can be assigned" in confirm.content.decode()
    done = client.post(url, {**action, "assignee": reviewer.pk}, follow=True)
    assert "Assigned 3 claims to" in done.content.decode()
    assert Claim.objects.filter(assigned_to=reviewer, status="in_review").count() == len(claims)


def test_reviewers_are_not_offered_bulk_assignment(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:essays_claim_changelist")).content.decode()
    assert "assign_to_reviewer" not in page


def test_claim_history_lists_revisions_with_what_changed(client, publisher):
    claim = make_claim()
    from review import services

    services.claim_update(
        claim=claim, actor=publisher, expected_version=1, data={"statement": "Restated claim"}
    )
    client.force_login(publisher)
    response = client.get(reverse("admin:essays_claim_history", args=[claim.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Restated claim" in page and "40,000 people left" in page
    assert str(publisher) in page


def test_a_reviewer_may_resolve_but_not_rewrite_someone_elses_note(client, reviewer):
    note = make_note(body="Original words", author=make_user("Publisher"))
    client.force_login(reviewer)
    url = reverse("admin:review_reviewernote_change", args=[note.pk])
    response = client.post(url, {"body": "Rewritten", "resolved": "on"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Original words" and note.resolved and note.resolved_by == reviewer


def test_a_claim_form_without_its_version_is_refused_and_changes_nothing(client, publisher):
    claim = make_claim()
    client.force_login(publisher)
    data = claim_admin_form(claim, statement="Overwritten blind")
    del data["expected_version"]
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == ("40,000 people left", 1)


def test_the_claim_form_cannot_move_a_claim_to_another_essays_section(client, publisher):
    claim = make_claim()
    elsewhere = make_section(make_essay(slug="elsewhere"))
    client.force_login(publisher)
    response = client.post(change_url(claim), claim_admin_form(claim, section=elsewhere.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    claim.refresh_from_db()
    assert claim.section_id != elsewhere.pk and claim.version == 1


def test_editing_an_approved_claims_statement_on_its_page_sends_it_back(client, publisher):
    claim = make_claim(status="approved", verdict="false")
    client.force_login(publisher)
    response = client.post(change_url(claim), claim_admin_form(claim, statement="New words"))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.statement, claim.verdict_proposed_by) == (
        "proposed",
        "New words",
        publisher,
    )
    assert claim.status_changes.get().comment == "edited after approval"
