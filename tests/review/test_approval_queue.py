"""“Awaiting my approval”: what others proposed or wrote, approved row by row or in bulk."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from essays.models import Claim
from review import services
from review.choices import ClaimStatus
from review.models import CounterEvidence, StatusChange
from review.roles import REVIEWER
from tests.factories import (
    make_claim,
    make_counter_evidence,
    make_essay,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db
QUEUE = "admin:review_approvalitem_changelist"
DECIDE = "admin:review_approvalitem_decide"

BODY = (
    "Officials said 10 trucks crossed on Monday. Officials said 20 trucks crossed on Tuesday. "
    "Officials said 30 trucks crossed on Wednesday. Officials said 40 trucks crossed on Thursday."
)


def proposed(section, exact, by, verdict="false", summary="The log shows fewer."):
    claim = make_claim(section, exact=exact)
    services.claim_assign(claim=claim, assignee=by, actor=make_user(superuser=True))
    return services.claim_propose_verdict(claim=claim, actor=by, verdict=verdict, summary=summary)


@pytest.fixture
def desk(publisher):
    section = make_section(make_essay(title="The Bridge"), heading="Traffic", body=BODY)
    reviewer = make_user(REVIEWER)
    theirs = proposed(section, "10 trucks crossed on Monday", reviewer)
    theirs_too = proposed(section, "20 trucks crossed on Tuesday", reviewer, verdict="misleading")
    mine = proposed(section, "30 trucks crossed on Wednesday", publisher)
    open_claim = make_claim(section, exact="40 trucks crossed on Thursday")
    evidence_theirs = make_counter_evidence(open_claim, summary="Customs counted 12.",
                                            created_by=reviewer)  # fmt: skip
    evidence_mine = make_counter_evidence(mine, summary="My own note of 31.", created_by=publisher)
    return locals()


def test_the_queue_shows_what_others_proposed_or_wrote_with_the_claim_in_context(
    client, publisher, desk
):
    client.force_login(publisher)
    html = client.get(reverse(QUEUE)).content.decode()
    assert "Awaiting my approval" in html
    assert "10 trucks crossed on Monday</mark>" in html and "The log shows fewer." in html
    assert "20 trucks crossed on Tuesday</mark>" in html and "Misleading" in html
    assert "Customs counted 12." in html  # evidence on a claim still in review
    assert "30 trucks crossed on Wednesday</mark>" not in html  # my own proposal
    assert "My own note of 31." not in html
    assert "The Bridge" in html and "Traffic" in html
    assert html.count('name="approve_claim"') == 2 and html.count('name="approve_evidence"') == 1


def test_a_rows_button_approves_one_verdict_with_one_audit_row(client, publisher, desk):
    client.force_login(publisher)
    claim = desk["theirs"]
    response = client.post(reverse(DECIDE), {"approve_claim": f"{claim.pk}:{claim.version}"})
    assert response.status_code == 302 and response["Location"] == reverse(QUEUE)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert StatusChange.objects.filter(claim=claim, to_status=ClaimStatus.APPROVED).count() == 1
    # an old version is refused, not approved over someone's newer edit
    other = desk["theirs_too"]
    client.post(reverse(DECIDE), {"approve_claim": f"{other.pk}:{other.version - 1}"})
    assert Claim.objects.get(pk=other.pk).status == ClaimStatus.PROPOSED


def test_a_rows_button_approves_evidence_but_never_ones_own(client, publisher, desk):
    client.force_login(publisher)
    client.post(reverse(DECIDE), {"approve_evidence": desk["evidence_theirs"].pk})
    assert CounterEvidence.objects.get(pk=desk["evidence_theirs"].pk).approved_by == publisher
    page = client.post(reverse(DECIDE), {"approve_evidence": desk["evidence_mine"].pk}, follow=True)
    assert "someone else must approve it" in page.content.decode()
    assert not CounterEvidence.objects.get(pk=desk["evidence_mine"].pk).approved


def test_bulk_approval_approves_each_and_refuses_ones_own(client, publisher, desk):
    client.force_login(publisher)
    chosen = [desk["theirs"].pk, desk["theirs_too"].pk, desk["mine"].pk]
    page = client.post(
        reverse(QUEUE),
        {"action": "approve_verdicts", helpers.ACTION_CHECKBOX_NAME: chosen},
        follow=True,
    )
    html = page.content.decode()
    assert "Approved 2 verdicts." in html
    statuses = dict(Claim.objects.filter(pk__in=chosen).values_list("pk", "status"))
    assert statuses == {
        desk["theirs"].pk: ClaimStatus.APPROVED,
        desk["theirs_too"].pk: ClaimStatus.APPROVED,
        desk["mine"].pk: ClaimStatus.PROPOSED,  # not in my queue: the action never sees it
    }


def test_bulk_send_back_asks_one_reason_and_writes_one_audit_row_per_claim(client, publisher, desk):
    client.force_login(publisher)
    chosen = [desk["theirs"].pk, desk["theirs_too"].pk]
    action = {"action": "send_back_verdicts", helpers.ACTION_CHECKBOX_NAME: chosen}
    ask = client.post(reverse(QUEUE), action)
    assert "Why send them back?" in ask.content.decode()
    missing = client.post(reverse(QUEUE), action | {"confirm_send_back": "yes", "reason": " "})
    assert "Give a reason" in missing.content.decode()
    client.post(reverse(QUEUE), action | {"confirm_send_back": "yes", "reason": "Second source?"})
    for pk in chosen:
        assert Claim.objects.get(pk=pk).status == ClaimStatus.IN_REVIEW
        row = StatusChange.objects.filter(claim_id=pk).latest("pk")
        assert (row.to_status, row.comment, row.actor) == (
            ClaimStatus.IN_REVIEW, "Second source?", publisher
        )  # fmt: skip


def test_editors_have_no_approval_queue(client, editor, desk):
    client.force_login(editor)
    assert client.get(reverse(QUEUE)).status_code == 403
    assert (
        client.post(reverse(DECIDE), {"approve_claim": f"{desk['theirs'].pk}:2"}).status_code == 403
    )
    assert Claim.objects.get(pk=desk["theirs"].pk).status == ClaimStatus.PROPOSED


def test_reviewers_see_others_verdicts_but_no_evidence_to_approve(client, desk):
    second = make_user(REVIEWER)
    client.force_login(second)
    html = client.get(reverse(QUEUE)).content.decode()
    assert "10 trucks crossed on Monday</mark>" in html
    assert "Customs counted 12." not in html  # approving evidence is for publishers


def test_the_queue_costs_the_same_queries_for_many_claims(
    client, publisher, django_assert_max_num_queries
):
    reviewer = make_user(REVIEWER)
    body = " ".join(f"Officials said {n} trucks crossed." for n in range(30))
    section = make_section(make_essay(), body=body)
    for n in range(30):
        claim = proposed(section, f"{n} trucks crossed", reviewer)
        make_counter_evidence(claim, created_by=reviewer)
    client.force_login(publisher)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(QUEUE)).status_code == 200
