"""Two reviewers saving the same claim from the same starting version: one wins, one is told."""

import threading

import pytest
from django.db import connection

from essays.models import Claim
from review import services
from review.roles import PUBLISHER, REVIEWER
from review.workflow import ConflictError
from tests.factories import make_claim, make_user


@pytest.mark.django_db
def test_a_stale_save_is_refused_with_what_changed_and_nothing_is_lost():
    reviewer = make_user(REVIEWER)
    claim = make_claim(assigned_to=reviewer)
    services.claim_update(
        claim=claim, actor=reviewer, expected_version=1, data={"statement": "First reviewer’s text"}
    )
    with pytest.raises(ConflictError) as conflict:
        services.claim_update(
            claim=claim, actor=reviewer, expected_version=1, data={"statement": "Second text"}
        )
    assert conflict.value.changes["statement"] == ("40,000 people left", "First reviewer’s text")
    assert "version 1 → 2" in str(conflict.value)
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.version) == ("First reviewer’s text", 2)
    assert saved.history.count() == 2


@pytest.mark.django_db
def test_a_stale_transition_is_refused():
    reviewer = make_user(REVIEWER)
    claim = make_claim(assigned_to=reviewer)
    services.claim_update(claim=claim, actor=reviewer, expected_version=1, data={"statement": "x"})
    with pytest.raises(ConflictError):
        services.claim_propose_verdict(
            claim=claim, actor=make_user(PUBLISHER), verdict="false", expected_version=1
        )
    assert Claim.objects.get(pk=claim.pk).status == "unreviewed"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_version_one_wins_one_is_refused():
    publisher = make_user(PUBLISHER)
    claim = make_claim()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(text: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.claim_update(
                claim=Claim.objects.get(pk=claim.pk),
                actor=publisher,
                expected_version=1,
                data={"statement": text},
            )
            outcomes[text] = "saved"
        except ConflictError:
            outcomes[text] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("from A", "from B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.statement, saved.version) == (winner, 2)
