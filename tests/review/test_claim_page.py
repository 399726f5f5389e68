"""The claim page is one form: a move button saves what was typed anywhere on it, then moves."""

import re

import pytest
from django.urls import reverse

from essays.models import Claim
from review.choices import ClaimStatus
from review.models import ReviewerNote, StatusChange
from review.roles import REVIEWER
from tests.factories import claim_admin_form, make_claim, make_essay, make_section, make_user

pytestmark = pytest.mark.django_db


def change_url(claim) -> str:
    return reverse("admin:essays_claim_change", args=[claim.pk])


def with_note(data: dict, body: str) -> dict:
    return data | {"notes-TOTAL_FORMS": "1", "notes-0-body": body, "notes-0-parent": ""}


@pytest.fixture
def assigned(reviewer):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.IN_REVIEW, assigned_to=reviewer)
    claim.refresh_from_db()
    return claim


def test_proposing_saves_the_note_typed_with_it(client, reviewer, assigned):
    client.force_login(reviewer)
    data = with_note(claim_admin_form(assigned), "Checked the ministry's 2019 table.") | {
        "verdict_summary": "The ministry's own table shows 26,000.",
        "move_verdict": "false",
        "move_comment": "Ready for a second look.",
        "_move": "propose",
    }
    response = client.post(change_url(assigned), data)
    assert response.status_code == 302 and response["Location"] == change_url(assigned)
    claim = Claim.objects.get(pk=assigned.pk)
    assert (claim.status, claim.verdict) == (ClaimStatus.PROPOSED, "false")
    assert claim.verdict_summary == "The ministry's own table shows 26,000."
    assert ReviewerNote.objects.get(claim=claim).body == "Checked the ministry's 2019 table."
    change = StatusChange.objects.get(claim=claim, to_status=ClaimStatus.PROPOSED)
    assert (change.actor, change.comment) == (reviewer, "Ready for a second look.")


def test_a_move_missing_what_it_needs_saves_nothing_and_loses_nothing(client, reviewer, assigned):
    client.force_login(reviewer)
    data = with_note(claim_admin_form(assigned), "A note typed before the mistake") | {
        "short_statement": "An edit typed before the mistake",
        "_move": "propose",  # no verdict chosen
    }
    page = client.post(change_url(assigned), data)
    html = page.content.decode()
    assert page.status_code == 200 and "Choose a verdict to propose." in html
    assert "A note typed before the mistake" in html and "An edit typed before the mistake" in html
    assert not ReviewerNote.objects.exists()
    assert Claim.objects.get(pk=assigned.pk).status == ClaimStatus.IN_REVIEW


def test_sending_back_needs_a_reason_in_the_one_form(client, publisher):
    proposer = make_user(REVIEWER)
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(
        status=ClaimStatus.PROPOSED, verdict="false", verdict_proposed_by=proposer
    )
    claim.refresh_from_db()
    client.force_login(publisher)
    page = client.post(change_url(claim), claim_admin_form(claim) | {"_move": "send_back"})
    assert "Send back for more review needs a reason." in page.content.decode()
    data = claim_admin_form(claim) | {"_move": "send_back", "move_comment": "Second source?"}
    assert client.post(change_url(claim), data).status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_the_page_has_one_explanation_field_and_no_typed_anchors(client, reviewer, assigned):
    client.force_login(reviewer)
    html = client.get(change_url(assigned)).content.decode()
    assert html.count('name="verdict_summary"') == 1
    assert 'form="claim_form"' in html and 'name="_move" value="propose"' in html
    for anchor in ("start", "end", "prefix", "suffix"):
        assert f'name="{anchor}"' not in html
    # offsets posted anyway are ignored
    data = claim_admin_form(assigned) | {
        "start": 0,
        "end": 3,
        "prefix": "x",
        "short_statement": "S",
    }
    assert client.post(change_url(assigned), data).status_code == 302
    claim = Claim.objects.get(pk=assigned.pk)
    assert (claim.start, claim.end, claim.short_statement) == (assigned.start, assigned.end, "S")


def test_changing_the_claims_words_finds_them_in_the_section(client, editor):
    essay = make_essay()
    section = make_section(
        essay, body="Officials said 40,000 people left the valley. The monitor counted 26,000."
    )
    claim = make_claim(section, exact="40,000 people left")
    client.force_login(editor)
    data = claim_admin_form(claim) | {"exact": "The monitor counted 26,000"}
    assert client.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert section.body[claim.start : claim.end] == "The monitor counted 26,000"
    assert claim.prefix.endswith("left the valley. ") and claim.suffix == "."
    # words the section does not hold are refused, naming the problem
    page = client.post(change_url(claim), claim_admin_form(claim) | {"exact": "Nobody said this"})
    assert "These words do not occur in the section" in page.content.decode()
    assert Claim.objects.get(pk=claim.pk).exact == "The monitor counted 26,000"


def test_an_unassigned_reviewer_takes_the_claim_and_is_told_why_not_otherwise(client, reviewer):
    claim = make_claim()
    client.force_login(reviewer)
    html = client.get(change_url(claim)).content.decode()
    assert re.search(r'<input type="hidden" name="action" value="take">', html)
    response = client.post(
        reverse("admin:essays_claim_transition", args=[claim.pk]),
        {"action": "take", "expected_version": 1},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.assigned_to, claim.status) == (reviewer, ClaimStatus.IN_REVIEW)
    assert StatusChange.objects.get(claim=claim).comment == f"Taken by {reviewer}"
    # now the page is theirs: one form with the propose button
    html = client.get(change_url(claim)).content.decode()
    assert 'name="_move" value="propose"' in html and 'value="take"' not in html
    # another reviewer is told who holds it
    other = make_user(REVIEWER)
    client.force_login(other)
    html = client.get(change_url(claim)).content.decode()
    assert f"This claim is assigned to {reviewer}" in html
    assert "No workflow move is open" not in html
