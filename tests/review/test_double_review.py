"""Independent double review (issue 18, item 3): two blind verdicts, a publisher decides.

One essay needs two independent verdicts per claim. The test runs a disagreement from the
first proposal to the publisher's decision through the claim's admin page, as two
reviewers and a publisher would, and asserts what each could read at each step.
"""

import pytest
from django.urls import reverse

from essays.models import Claim, Essay
from review import services
from review.choices import ClaimStatus, Verdict
from review.models import IndependentVerdict, StatusChange
from review.roles import PUBLISHER, REVIEWER
from review.workflow import TransitionDenied, TransitionError, can_publish
from tests.factories import make_claim, make_essay, make_section, make_user

pytestmark = pytest.mark.django_db

# No apostrophes or quotes: the pages escape them, and the checks read plain text.
A_EXPLAINS, A_NOTE, A_COMMENT = "Ama: the census counts 26,000.", "Ama doubts it", "Ama: hmm"
B_EXPLAINS, B_NOTE = "Bo: three monitors agree on 40,000.", "Bo doubts it"


def claim_page(client, user, claim) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:essays_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def move(client, user, claim, **data) -> None:
    client.force_login(user)
    claim.refresh_from_db()
    client.post(
        reverse("admin:essays_claim_transition", args=[claim.pk]),
        {"expected_version": claim.version, "comment": "", **data},
    )
    claim.refresh_from_db()


def add_note(client, user, claim, body) -> None:
    client.force_login(user)
    client.post(
        reverse("admin:review_reviewernote_add"), {"claim": claim.pk, "body": body, "parent": ""}
    )


def notes_listed(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("admin:review_reviewernote_changelist")).content.decode()


def test_two_blind_verdicts_that_disagree_go_to_the_publisher_who_decides(client):
    ama, bo = make_user(REVIEWER, username="ama"), make_user(REVIEWER, username="bo")
    publisher = make_user(PUBLISHER, username="pia")
    essay = make_essay(double_review=True)
    claim = make_claim(make_section(essay))
    services.claim_assign(claim=claim, assignee=ama, actor=publisher)

    # Bo is not assigned: the first verdict is the assigned reviewer's.
    with pytest.raises(TransitionDenied, match="assigned reviewer gives the first"):
        services.claim_propose_verdict(claim=claim, actor=bo, verdict=Verdict.SUPPORTED)

    # 1. Ama writes a note and proposes "false", blind.
    add_note(client, ama, claim, A_NOTE)
    move(
        client, ama, claim, action="propose", verdict=Verdict.FALSE,
        verdict_summary=A_EXPLAINS, comment=A_COMMENT,
    )  # fmt: skip
    assert (claim.status, claim.verdict, claim.verdict_summary) == (ClaimStatus.IN_REVIEW, "", "")
    first = StatusChange.objects.filter(claim=claim).latest("pk")
    assert first.to_verdict == "" and A_COMMENT not in first.comment
    assert "Independent verdict 1 of 2" in first.comment

    ama_sees = claim_page(client, ama, claim)
    assert A_EXPLAINS in ama_sees and A_COMMENT in ama_sees  # her own
    bo_sees = claim_page(client, bo, claim)
    for hidden in (A_EXPLAINS, A_COMMENT, A_NOTE):
        assert hidden not in bo_sees, hidden
    assert "stays hidden" in bo_sees
    assert A_NOTE not in notes_listed(client, bo)
    assert A_NOTE in notes_listed(client, ama)
    # The queue's filter and the publish gate both show the claim waits for a second review.
    client.force_login(bo)
    waiting = client.get(reverse("admin:essays_claim_changelist") + "?double_review=second")
    assert claim.exact in waiting.content.decode()
    assert "waiting for its second independent review" in can_publish(essay).blockers[0].message
    with pytest.raises(TransitionDenied, match="gave your independent verdict"):
        services.claim_propose_verdict(claim=claim, actor=ama, verdict=Verdict.FALSE)

    # 2. Bo writes his note and proposes "supported": now both see both.
    add_note(client, bo, claim, B_NOTE)
    move(
        client, bo, claim, action="propose", verdict=Verdict.SUPPORTED,
        verdict_summary=B_EXPLAINS,
    )  # fmt: skip
    assert claim.status == ClaimStatus.PROPOSED
    for user in (ama, bo, publisher):
        page = claim_page(client, user, claim)
        for shown in (A_EXPLAINS, B_EXPLAINS, A_COMMENT, "The two reviewers disagree"):
            assert shown in page, (user, shown)
        listed = notes_listed(client, user)
        assert A_NOTE in listed and B_NOTE in listed
    assert "reviewers disagree" in can_publish(essay).blockers[0].message
    client.force_login(publisher)
    listed = client.get(reverse("admin:essays_claim_changelist") + "?double_review=disputed")
    assert claim.exact in listed.content.decode()

    # Nobody approves a disputed claim; neither reviewer decides; a decision needs a reason.
    for user in (ama, bo, publisher):
        with pytest.raises(TransitionDenied):
            services.claim_approve_verdict(claim=claim, actor=user)
    bo_verdict = IndependentVerdict.objects.get(claim=claim, reviewer=bo)
    with pytest.raises(TransitionDenied):
        services.claim_decide(claim=claim, actor=bo, chosen=bo_verdict, reason="Mine.")
    with pytest.raises(TransitionError):
        services.claim_decide(claim=claim, actor=publisher, chosen=bo_verdict, reason=" ")

    # 3. The publisher decides on the claim's page: Bo's verdict stands, and why.
    move(
        client, publisher, claim, action="decide", chosen=bo_verdict.pk,
        comment="The monitor logs are primary evidence.",
    )  # fmt: skip
    assert (claim.status, claim.verdict, claim.verdict_summary, claim.verdict_proposed_by) == (
        ClaimStatus.APPROVED, Verdict.SUPPORTED, B_EXPLAINS, bo,
    )  # fmt: skip
    decision = StatusChange.objects.filter(claim=claim).latest("pk")
    assert decision.actor == publisher and decision.to_status == ClaimStatus.APPROVED
    assert "ama: False" in decision.comment and "bo: Supported" in decision.comment
    assert "bo's verdict stands: The monitor logs are primary evidence." in decision.comment
    assert StatusChange.objects.filter(claim=claim).count() == 4  # assign, 2 verdicts, decision


def test_agreeing_verdicts_go_to_approval_by_someone_who_gave_neither():
    ama, bo, pia = make_user(REVIEWER), make_user(REVIEWER), make_user(PUBLISHER)
    claim = make_claim(make_section(make_essay(double_review=True)))
    services.claim_assign(claim=claim, assignee=ama, actor=pia)
    services.claim_propose_verdict(claim=claim, actor=ama, verdict=Verdict.FALSE, summary="A.")
    services.claim_propose_verdict(claim=claim, actor=bo, verdict=Verdict.FALSE, summary="B.")
    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.verdict_summary) == ("proposed", "false", "A.")
    assert "Both independent verdicts agree" in claim.status_changes.latest("pk").comment
    for proposer in (ama, bo):
        with pytest.raises(TransitionDenied):
            services.claim_approve_verdict(claim=claim, actor=proposer)
    services.claim_approve_verdict(claim=claim, actor=pia)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED


def test_sending_back_starts_a_new_blind_round():
    ama, bo, pia = make_user(REVIEWER), make_user(REVIEWER), make_user(PUBLISHER)
    claim = make_claim(make_section(make_essay(double_review=True)))
    services.claim_assign(claim=claim, assignee=ama, actor=pia)
    services.claim_propose_verdict(claim=claim, actor=ama, verdict=Verdict.FALSE)
    services.claim_propose_verdict(claim=claim, actor=bo, verdict=Verdict.FALSE)
    services.claim_send_back(claim=claim, actor=pia, reason="Check the new census.")
    assert not claim.independent_verdicts.active().exists()
    assert claim.independent_verdicts.count() == 2  # kept as the record
    services.claim_propose_verdict(claim=claim, actor=ama, verdict=Verdict.MISLEADING)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_double_review_is_off_by_default_and_one_verdict_then_suffices():
    assert Essay._meta.get_field("double_review").default is False
    ama = make_user(REVIEWER)
    claim = make_claim()
    services.claim_assign(claim=claim, assignee=ama, actor=make_user(PUBLISHER))
    services.claim_propose_verdict(claim=claim, actor=ama, verdict=Verdict.FALSE)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PROPOSED
    assert not IndependentVerdict.objects.exists()
