"""Claims are written on their own page, through the services (issue 11, item 3)."""

import pytest
from django.urls import reverse

from essays.models import Claim
from review.models import StatusChange
from review.roles import EDITOR, PUBLISHER, REVIEWER
from tests.factories import make_claim, make_user

pytestmark = pytest.mark.django_db


def _section_form(section, claim, **claim_cells) -> dict:
    """The section page's POST with a claims table row, as the old inline accepted it."""
    data = {
        "essay": section.essay_id,
        "position": section.position,
        "heading": section.heading,
        "body": section.body,
        "quotations-TOTAL_FORMS": "0",
        "quotations-INITIAL_FORMS": "0",
        "claims-TOTAL_FORMS": "1",
        "claims-INITIAL_FORMS": "1",
        "claims-0-id": claim.pk,
        "claims-0-section": section.pk,
        "claims-0-exact": claim.exact,
        "claims-0-start": claim.start,
        "claims-0-end": claim.end,
        "claims-0-short_statement": claim.short_statement,
    }
    data |= {f"claims-0-{name}": value for name, value in claim_cells.items()}
    return data


@pytest.mark.parametrize("role", [EDITOR, PUBLISHER])
def test_the_section_page_cannot_assign_or_edit_claims(client, role):
    claim = make_claim()
    outsider = make_user(EDITOR)  # not a reviewer: may never be assigned
    client.force_login(make_user(role))
    url = reverse("admin:essays_section_change", args=[claim.section_id])
    page = client.get(url).content.decode()
    assert 'name="claims-0-assigned_to"' not in page
    assert reverse("admin:essays_claim_change", args=[claim.pk]) in page
    before = Claim.objects.filter(pk=claim.pk).values().get()
    response = client.post(
        url, _section_form(claim.section, claim, assigned_to=outsider.pk, short_statement="x")
    )
    assert response.status_code == 302  # the section saved; its claims were not touched
    assert Claim.objects.filter(pk=claim.pk).values().get() == before
    assert not StatusChange.objects.exists()


def test_creating_a_claim_with_an_assignee_writes_the_assignment_audit_row(client):
    claim = make_claim()  # for a section with a body
    reviewer = make_user(REVIEWER)
    publisher = make_user(PUBLISHER)
    client.force_login(publisher)
    response = client.post(
        reverse("admin:essays_claim_add"),
        {
            "section": claim.section_id,
            "exact": claim.exact,
            "start": claim.start,
            "end": claim.end,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "statement": "Again",
            "short_statement": "",
            "check_worthiness": "",
            "verdict_summary": "",
            "assigned_to": reviewer.pk,
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
            "counter_evidence-TOTAL_FORMS": "0",
            "counter_evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Claim.objects.exclude(pk=claim.pk).get()
    assert (created.assigned_to, created.status) == (reviewer, "in_review")
    change = StatusChange.objects.get(claim=created)
    assert (change.actor, change.to_status) == (publisher, "in_review")


def test_a_claim_cannot_be_created_assigned_to_a_non_reviewer(client):
    claim = make_claim()
    client.force_login(make_user(PUBLISHER))
    response = client.post(
        reverse("admin:essays_claim_add"),
        {
            "section": claim.section_id,
            "exact": claim.exact,
            "start": claim.start,
            "end": claim.end,
            "statement": "Again",
            "assigned_to": make_user(EDITOR).pk,
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
            "counter_evidence-TOTAL_FORMS": "0",
            "counter_evidence-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Claim.objects.count() == 1


def test_a_reply_to_another_claims_note_is_a_form_error_not_a_crash(client):
    from review.models import ReviewerNote
    from tests.factories import claim_admin_form, make_note

    publisher = make_user(PUBLISHER)
    claim, other = make_claim(), make_claim()
    own = make_note(claim, author=publisher, body="Which census?")
    foreign = make_note(other, author=publisher, body="Private to the other claim")
    client.force_login(publisher)
    url = reverse("admin:essays_claim_change", args=[claim.pk])
    page = client.get(url).content.decode()
    start = page.index('name="notes-0-parent"')
    choices = page[start : page.index("</select>", start)]
    assert f'<option value="{own.pk}"' in choices
    assert f'<option value="{foreign.pk}"' not in choices and "Private to the other" not in page
    data = claim_admin_form(claim) | {
        "notes-TOTAL_FORMS": "2",
        "notes-INITIAL_FORMS": "1",
        "notes-0-id": own.pk,
        "notes-0-claim": claim.pk,
        "notes-0-body": own.body,
        "notes-1-claim": claim.pk,
        "notes-1-body": "A reply in the wrong thread",
        "notes-1-parent": foreign.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ReviewerNote.objects.count() == 2

    # The notes list's own add page: the claim and the parent disagree.
    response = client.post(
        reverse("admin:review_reviewernote_add"),
        {"claim": claim.pk, "parent": foreign.pk, "body": "Wrong thread again"},
    )
    assert response.status_code == 200
    assert "A reply must answer a note on the same claim." in response.content.decode()
    assert ReviewerNote.objects.count() == 2


def test_a_claim_with_an_audit_trail_cannot_be_deleted(client):
    from django.db.models import ProtectedError

    from review import services
    from review.models import CounterEvidence
    from tests.factories import make_counter_evidence

    publisher = make_user(PUBLISHER)
    claim = make_claim()
    services.claim_assign(claim=claim, assignee=make_user(REVIEWER), actor=publisher)
    make_counter_evidence(claim)
    with pytest.raises(ProtectedError):
        Claim.objects.get(pk=claim.pk).delete()
    client.force_login(make_user(superuser=True))
    url = reverse("admin:essays_claim_delete", args=[claim.pk])
    assert "Cannot delete" in client.get(url).content.decode()
    response = client.post(url, {"post": "yes"})
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert StatusChange.objects.filter(claim=claim).count() == 1
    assert CounterEvidence.objects.filter(claim=claim).count() == 1
    assert response.status_code in (200, 403)
