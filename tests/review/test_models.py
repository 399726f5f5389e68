import pytest

from review.choices import ClaimStatus
from review.models import CounterEvidence
from tests.factories import (
    make_counter_evidence,
    make_note,
    make_source,
    make_status_change,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_note_str_names_author_and_claim():
    note = make_note(author=make_user(username="rana"), body="Ask the monitor for raw counts.")
    assert str(note) == f"rana on claim {note.claim_id}: Ask the monitor for raw counts."


def test_counter_evidence_starts_unapproved_and_only_approved_is_published():
    hidden = make_counter_evidence()
    shown = make_counter_evidence(approved=True)
    assert hidden.approved is False
    assert list(CounterEvidence.objects.published()) == [shown]


def test_counter_evidence_str_names_stance_and_source():
    evidence = make_counter_evidence(
        source=make_source(title="Monitor count"), stance="complicates"
    )
    assert str(evidence) == "Complicates: Monitor count"


def test_status_change_str_shows_the_transition():
    change = make_status_change(to_status=ClaimStatus.IN_REVIEW)
    assert str(change) == f"claim {change.claim_id}: unreviewed → in_review"
