"""The transition table, role by role: every allowed move works, every other one is refused."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from essays.models import Claim
from review import services
from review.choices import ClaimStatus, Verdict
from review.models import PublishOverride, StatusChange
from review.roles import EDITOR, PUBLISHER, REVIEWER
from review.workflow import (
    TRANSITIONS,
    Action,
    TransitionDenied,
    TransitionError,
    available_actions,
    can_publish,
)
from tests.factories import make_claim, make_essay, make_note, make_section, make_user

pytestmark = pytest.mark.django_db

ROLES = (None, EDITOR, REVIEWER, PUBLISHER)


def claim_in(status: ClaimStatus, *, assignee=None, proposer=None) -> Claim:
    """A claim put straight into `status` (the setup, not the behaviour under test)."""
    claim = make_claim()
    verdict = Verdict.FALSE if status in (ClaimStatus.PROPOSED, ClaimStatus.APPROVED) else ""
    Claim.objects.filter(pk=claim.pk).update(
        status=status, verdict=verdict, assigned_to=assignee, verdict_proposed_by=proposer
    )
    claim.refresh_from_db()
    return claim


def apply(action: Action, claim: Claim, actor, assignee) -> Claim:
    match action:
        case Action.ASSIGN:
            return services.claim_assign(claim=claim, assignee=assignee, actor=actor)
        case Action.PROPOSE:
            return services.claim_propose_verdict(
                claim=claim, actor=actor, verdict=Verdict.MISLEADING
            )
        case Action.APPROVE:
            return services.claim_approve_verdict(claim=claim, actor=actor)
        case Action.SEND_BACK:
            return services.claim_send_back(claim=claim, actor=actor, reason="Needs the raw data.")
        case Action.REOPEN:
            return services.claim_reopen(claim=claim, actor=actor, reason="New report out.")


def test_the_transition_table_is_the_documented_one():
    S = ClaimStatus
    assert {a: (set(t.sources), t.target, set(t.roles)) for a, t in TRANSITIONS.items()} == {
        Action.ASSIGN: ({S.UNREVIEWED, S.IN_REVIEW}, S.IN_REVIEW, {EDITOR, PUBLISHER}),
        Action.TAKE: ({S.UNREVIEWED, S.IN_REVIEW}, S.IN_REVIEW, {REVIEWER, PUBLISHER}),
        Action.PROPOSE: ({S.IN_REVIEW}, S.PROPOSED, {REVIEWER, PUBLISHER}),
        Action.APPROVE: ({S.PROPOSED}, S.APPROVED, {REVIEWER, PUBLISHER}),
        Action.SEND_BACK: ({S.PROPOSED}, S.IN_REVIEW, {REVIEWER, PUBLISHER}),
        Action.REOPEN: ({S.APPROVED}, S.IN_REVIEW, {REVIEWER, PUBLISHER}),
        Action.DECIDE: ({S.PROPOSED}, S.APPROVED, {PUBLISHER}),
    }


# Deciding between two differing verdicts exists only in double review (tests/review/
# test_double_review.py), taking only on unassigned claims (below); every other move
# applies to any claim.
CASES = list(
    itertools.product(
        [a for a in TRANSITIONS if a not in (Action.DECIDE, Action.TAKE)], ClaimStatus, ROLES
    )
)


@pytest.mark.parametrize(("status", "role"), list(itertools.product(ClaimStatus, ROLES)), ids=str)
def test_reviewers_and_publishers_take_unassigned_open_claims(status, role):
    actor = make_user(role) if role else make_user(is_staff=False)
    claim = claim_in(status)
    if status in (ClaimStatus.UNREVIEWED, ClaimStatus.IN_REVIEW) and role in (REVIEWER, PUBLISHER):
        claim = services.claim_take(claim=claim, actor=actor)
        assert (claim.status, claim.assigned_to, claim.version) == (
            ClaimStatus.IN_REVIEW, actor, 2
        )  # fmt: skip
        change = StatusChange.objects.get(claim=claim)
        assert (change.actor, change.comment) == (actor, f"Taken by {actor}")
    else:
        with pytest.raises((TransitionError, TransitionDenied)):
            services.claim_take(claim=claim, actor=actor)
        assert not StatusChange.objects.filter(claim=claim).exists()
        assert Claim.objects.get(pk=claim.pk).assigned_to is None


def test_nobody_takes_a_claim_someone_else_holds():
    owner, other = make_user(REVIEWER), make_user(REVIEWER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=owner)
    with pytest.raises(TransitionDenied, match=f"assigned to {owner}; an editor can reassign"):
        services.claim_take(claim=claim, actor=other)
    with pytest.raises(TransitionDenied, match="already yours"):
        services.claim_take(claim=claim, actor=owner)
    assert Claim.objects.get(pk=claim.pk).assigned_to == owner


def test_where_no_move_is_open_the_page_says_why():
    from review.workflow import unavailable_reasons

    owner, other, editor = make_user(REVIEWER), make_user(REVIEWER), make_user(EDITOR)
    held = claim_in(ClaimStatus.IN_REVIEW, assignee=owner)
    assert unavailable_reasons(held, other) == [
        f"This claim is assigned to {owner}; an editor can reassign it.",
        f"This claim is assigned to {owner}: only they, or a publisher, can do this.",
    ]
    proposed = claim_in(ClaimStatus.PROPOSED, assignee=owner, proposer=owner)
    assert unavailable_reasons(proposed, owner) == [
        "You proposed this verdict; a publisher or a second reviewer must approve it.",
        "You proposed this verdict; a publisher or a second reviewer must send it back.",
    ]
    approved = claim_in(ClaimStatus.APPROVED, assignee=owner)
    assert unavailable_reasons(approved, editor) == [
        "Nothing for you to do on this claim: it is “Verdict approved”; next, a reviewer or "
        "publisher can reopen it."
    ]
    # the move that is open (take) leads to the one that is not yet (propose)
    assert unavailable_reasons(claim_in(ClaimStatus.IN_REVIEW), other) == [
        "Take this claim first: reviewers work only on claims assigned to them."
    ]
    # with every move open, no reason is made up
    assert unavailable_reasons(claim_in(ClaimStatus.IN_REVIEW, assignee=other), other) == []


@pytest.mark.parametrize(("action", "status", "role"), CASES, ids=lambda v: str(v))
def test_every_transition_from_every_state_for_every_role(action, status, role):
    actor = make_user(role) if role else make_user(is_staff=False)
    assignee = make_user(REVIEWER)
    # Reviewers act on claims assigned to them; the proposer is always someone else here.
    claim = claim_in(
        status, assignee=actor if role == REVIEWER else assignee, proposer=make_user(REVIEWER)
    )
    transition = TRANSITIONS[action]
    allowed = status in transition.sources and role in transition.roles
    before = StatusChange.objects.count()
    if allowed:
        claim = apply(action, claim, actor, assignee)
        assert claim.status == transition.target
        change = StatusChange.objects.latest("pk")
        assert (change.from_status, change.to_status, change.actor) == (
            status,
            transition.target,
            actor,
        )
        assert claim.version == 2
    else:
        with pytest.raises((TransitionError, TransitionDenied)):
            apply(action, claim, actor, assignee)
        assert StatusChange.objects.count() == before
        unchanged = Claim.objects.get(pk=claim.pk)
        assert (unchanged.status, unchanged.version) == (status, 1)


def test_a_reviewer_cannot_approve_the_verdict_they_proposed_but_a_second_reviewer_can():
    first, second = make_user(REVIEWER), make_user(REVIEWER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=first)
    services.claim_propose_verdict(claim=claim, actor=first, verdict=Verdict.FALSE)
    with pytest.raises(TransitionDenied, match="You proposed this verdict"):
        services.claim_approve_verdict(claim=claim, actor=first)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PROPOSED
    services.claim_approve_verdict(claim=claim, actor=second)
    assert claim.status == ClaimStatus.APPROVED and claim.reviewed_at is not None


def test_a_publisher_who_proposed_a_verdict_cannot_approve_it_either():
    publisher = make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=publisher)
    services.claim_propose_verdict(claim=claim, actor=publisher, verdict=Verdict.SUPPORTED)
    with pytest.raises(TransitionDenied):
        services.claim_approve_verdict(claim=claim, actor=publisher)


def test_reviewers_propose_only_on_claims_assigned_to_them():
    owner, other = make_user(REVIEWER), make_user(REVIEWER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=owner)
    with pytest.raises(TransitionDenied, match="only they, or a publisher"):
        services.claim_propose_verdict(claim=claim, actor=other, verdict=Verdict.FALSE)


def test_proposing_needs_a_verdict_and_reopening_needs_a_reason():
    reviewer = make_user(REVIEWER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=reviewer)
    with pytest.raises(TransitionError, match="Choose a verdict"):
        services.claim_propose_verdict(claim=claim, actor=reviewer, verdict="")
    approved = claim_in(ClaimStatus.APPROVED, assignee=reviewer)
    with pytest.raises(TransitionError, match="needs a reason"):
        services.claim_reopen(claim=approved, actor=make_user(PUBLISHER), reason="  ")


def test_claims_can_only_be_assigned_to_reviewers_or_publishers():
    with pytest.raises(TransitionError, match="not a reviewer"):
        services.claim_assign(
            claim=make_claim(), assignee=make_user(EDITOR), actor=make_user(EDITOR)
        )


def test_full_review_leaves_an_ordered_audit_trail_with_reasons():
    editor, reviewer, publisher = make_user(EDITOR), make_user(REVIEWER), make_user(PUBLISHER)
    claim = make_claim()
    services.claim_assign(claim=claim, assignee=reviewer, actor=editor)
    services.claim_propose_verdict(
        claim=claim, actor=reviewer, verdict=Verdict.MISLEADING, summary="The count is 26,000."
    )
    services.claim_send_back(claim=claim, actor=publisher, reason="Cite the monitor’s table.")
    services.claim_propose_verdict(claim=claim, actor=reviewer, verdict=Verdict.FALSE)
    services.claim_approve_verdict(claim=claim, actor=publisher)
    services.claim_reopen(claim=claim, actor=publisher, reason="The monitor revised its figures.")
    rows = list(
        claim.status_changes.values_list("from_status", "to_status", "to_verdict", "comment")
    )
    assert rows == [
        ("unreviewed", "in_review", "", f"Assigned to {reviewer}"),
        ("in_review", "proposed", "misleading", ""),
        ("proposed", "in_review", "", "Cite the monitor’s table."),
        ("in_review", "proposed", "false", ""),
        ("proposed", "approved", "false", ""),
        ("approved", "in_review", "", "The monitor revised its figures."),
    ]
    assert claim.verdict == "" and claim.verdict_summary == "The count is 26,000."


def test_available_actions_offer_only_what_the_user_may_do_now():
    reviewer, publisher = make_user(REVIEWER), make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.PROPOSED, assignee=reviewer, proposer=reviewer)
    assert [t.action for t in available_actions(claim, reviewer)] == []
    assert {t.action for t in available_actions(claim, publisher)} == {
        Action.APPROVE,
        Action.SEND_BACK,
    }


def test_bulk_assignment_assigns_open_claims_and_reports_the_rest():
    section = make_section()
    open_claims = [make_claim(section) for _ in range(3)]
    done = claim_in(ClaimStatus.APPROVED)
    reviewer = make_user(REVIEWER)
    ids = [c.pk for c in open_claims] + [done.pk]
    count, skipped = services.claims_assign(
        claims=Claim.objects.filter(pk__in=ids), assignee=reviewer, actor=make_user(PUBLISHER)
    )
    assert count == 3 and len(skipped) == 1 and "verdict approved" in skipped[0]
    assert set(Claim.objects.filter(assigned_to=reviewer).values_list("pk", flat=True)) == {
        c.pk for c in open_claims
    }


def test_bulk_assignment_by_a_reviewer_changes_nothing():
    claims = [make_claim() for _ in range(2)]
    with pytest.raises(TransitionDenied):
        services.claims_assign(
            claims=Claim.objects.filter(pk__in=[c.pk for c in claims]),
            assignee=make_user(REVIEWER),
            actor=make_user(REVIEWER),
        )
    assert not Claim.objects.filter(assigned_to__isnull=False).exists()


# Notes and counter-evidence


def test_notes_thread_and_resolve():
    reviewer, publisher = make_user(REVIEWER), make_user(PUBLISHER)
    claim = make_claim()
    note = services.note_create(claim=claim, author=reviewer, body="Which edition?")
    reply = services.note_create(claim=claim, author=publisher, body="The print one.", parent=note)
    assert list(note.replies.all()) == [reply]
    services.note_resolve(note=note, actor=publisher)
    note.refresh_from_db()
    assert note.resolved and note.resolved_by == publisher and note.resolved_at
    with pytest.raises(ValidationError):
        services.note_create(claim=make_claim(), author=reviewer, body="x", parent=note)


def test_counter_evidence_needs_a_publisher_to_approve_it():
    reviewer, publisher = make_user(REVIEWER), make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=reviewer)
    from tests.factories import make_source

    evidence = services.counter_evidence_create(
        claim=claim,
        actor=reviewer,
        source=make_source(),
        summary="Counted 26,000.",
    )
    assert not evidence.approved and evidence.created_by == reviewer
    with pytest.raises(PermissionDenied):
        services.counter_evidence_approve(evidence=evidence, actor=reviewer)
    services.counter_evidence_approve(evidence=evidence, actor=publisher)
    evidence.refresh_from_db()
    assert evidence.approved and evidence.approved_by == publisher


def test_reviewers_write_counter_evidence_only_on_their_claims():
    from tests.factories import make_source

    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=make_user(REVIEWER))
    with pytest.raises(PermissionDenied, match="assigned to them"):
        services.counter_evidence_create(
            claim=claim, actor=make_user(REVIEWER), source=make_source(), summary="x"
        )
    assert not claim.counter_evidence.exists()


def test_counter_evidence_order_is_editable():
    from tests.factories import make_counter_evidence

    claim = make_claim()
    a, b, c = (make_counter_evidence(claim, position=i) for i in range(3))
    services.counter_evidence_reorder(
        claim=claim, actor=make_user(PUBLISHER), order=[c.pk, a.pk, b.pk]
    )
    assert list(claim.counter_evidence.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    with pytest.raises(ValidationError):
        services.counter_evidence_reorder(claim=claim, actor=make_user(PUBLISHER), order=[c.pk])


def test_an_edit_to_approved_counter_evidence_needs_a_new_approval_by_someone_else():
    from tests.factories import make_counter_evidence

    reviewer, publisher, second = make_user(REVIEWER), make_user(PUBLISHER), make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=reviewer)
    evidence = services.counter_evidence_create(
        claim=claim, actor=reviewer, source=make_counter_evidence(claim).source,
        summary="Counted 11,000.",
    )  # fmt: skip
    evidence = services.counter_evidence_approve(evidence=evidence, actor=publisher)
    assert (evidence.approved_by, evidence.approved_at is not None) == (publisher, True)

    services.counter_evidence_update(evidence=evidence, actor=reviewer, data={"position": 4})
    assert evidence.approved  # not something readers see
    services.counter_evidence_update(
        evidence=evidence, actor=reviewer, data={"summary": "Counted 12,000."}
    )
    assert not evidence.approved and evidence.approved_by is None
    services.counter_evidence_update(
        evidence=evidence, actor=publisher, data={"summary": "Counted 12,500."}
    )
    assert not evidence.approved  # a publisher's edit does not approve by itself…
    with pytest.raises(PermissionDenied, match="someone else must approve it"):
        services.counter_evidence_approve(evidence=evidence, actor=publisher)  # …nor later
    evidence = services.counter_evidence_approve(evidence=evidence, actor=second)
    services.counter_evidence_update(
        evidence=evidence, actor=second, data={"summary": "Counted 13,000."}
    )
    assert not evidence.approved  # an approver's own edit withdraws their approval too
    evidence = services.counter_evidence_approve(evidence=evidence, actor=publisher)
    assert evidence.approved and evidence.approved_by == publisher


def test_the_author_of_counter_evidence_cannot_approve_it_by_any_route(client):
    from django.urls import reverse

    from review.models import CounterEvidence
    from tests.factories import make_source

    author, other = make_user(PUBLISHER), make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.IN_REVIEW, assignee=author)
    evidence = services.counter_evidence_create(
        claim=claim, actor=author, source=make_source(), summary="The log shows 12 trucks."
    )
    with pytest.raises(PermissionDenied):
        services.counter_evidence_approve(evidence=evidence, actor=author)
    client.force_login(author)
    response = client.post(
        reverse("admin:review_counterevidence_changelist"),
        {"action": "approve", "_selected_action": [evidence.pk]},
        follow=True,
    )
    assert "someone else must approve" in response.content.decode()
    assert not CounterEvidence.objects.get(pk=evidence.pk).approved
    client.force_login(other)
    client.post(
        reverse("admin:review_counterevidence_changelist"),
        {"action": "approve", "_selected_action": [evidence.pk]},
    )
    approved = CounterEvidence.objects.get(pk=evidence.pk)
    assert (approved.approved, approved.approved_by) == (True, other)


# The publish gate


def test_publish_gate_lists_every_claim_without_approved_verdict_or_with_open_notes():
    essay = make_essay()
    intro = make_section(essay, heading="")
    later = make_section(essay, heading="Idlib")
    ready = claim_in(ClaimStatus.APPROVED)
    Claim.objects.filter(pk=ready.pk).update(section=intro)
    pending = make_claim(later, short_statement="Pending claim")
    noisy = claim_in(ClaimStatus.APPROVED)
    Claim.objects.filter(pk=noisy.pk).update(section=later, short_statement="Noisy claim")
    make_note(noisy, body="Still unsure")
    make_note(noisy, body="Resolved", resolved=True)

    check = can_publish(essay)
    assert not check.ok and not check
    assert [b.claim.pk for b in check.blockers] == [pending.pk, noisy.pk]
    assert "verdict not approved (now “Unreviewed”)" in check.blockers[0].message
    assert "(Idlib)" in check.blockers[0].message
    assert check.blockers[1].message.endswith("1 unresolved note")

    Claim.objects.filter(pk=pending.pk).update(status=ClaimStatus.APPROVED, verdict=Verdict.FALSE)
    noisy.notes.update(resolved=True)
    assert can_publish(essay).ok


def test_publish_gate_query_count_does_not_grow_with_claims(django_assert_max_num_queries):
    essay = make_essay()
    section = make_section(essay)
    for _ in range(30):
        make_note(make_claim(section))
    # the claims; the undecided candidates; the doubtful quotation checks; the unchecked
    # attributions
    with django_assert_max_num_queries(4):
        assert len(can_publish(essay).blockers) == 30


def test_a_limited_gate_lists_the_first_blockers_and_counts_them_all(
    django_assert_max_num_queries,
):
    from tests.factories import make_claim_candidate

    essay = make_essay()
    section = make_section(essay, body=" ".join(f"Claim {n} here." for n in range(12)))
    claims = [make_claim(section, exact=f"Claim {n} here.") for n in range(12)]
    for claim in claims[:4]:  # approved, so not blocking, unless a note is open
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED, verdict="false")
    make_note(claims[0], body="Open")
    make_claim_candidate(section, text="Claim 5 here.")
    full = can_publish(essay)
    # the listed claims; the count; the candidates; the doubtful quotation checks; the
    # unchecked attributions
    with django_assert_max_num_queries(5):
        limited = can_publish(essay, limit=5)
    assert full.count == limited.count == 10  # 8 unapproved, 1 with a note, the candidates
    assert [b.message for b in limited.blockers] == [
        *(b.message for b in full.blockers[:5]),
        "1 claim candidate not decided (accept or reject it)",
    ]
    assert limited.unlisted == 4 and not limited.ok
    assert can_publish(essay, limit=50).blockers == full.blockers


def test_the_gate_counts_claim_candidates_nobody_decided():
    from essays.models import ClaimCandidate
    from tests.factories import make_claim_candidate

    essay = make_essay()
    section = make_section(essay)
    for _ in range(3):
        make_claim_candidate(section)
    decided = make_claim_candidate(section)
    ClaimCandidate.objects.filter(pk=decided.pk).update(decision="rejected")
    check = can_publish(essay)
    assert not check.ok
    assert [b.message for b in check.blockers] == [
        "3 claim candidates not decided (accept or reject them)"
    ]
    ClaimCandidate.objects.filter(decision="pending").exclude(pk=decided.pk).delete()
    make_claim_candidate(section)
    assert [b.message for b in can_publish(essay).blockers] == [
        "1 claim candidate not decided (accept or reject it)"
    ]


def test_the_gate_warns_on_altered_and_missing_quotations_without_blocking():
    from tests.factories import make_quotation, make_quotation_check, make_user

    essay = make_essay()
    section = make_section(
        essay, body="He said “the road is open” and “the bridge held” and “all is well”."
    )
    altered = make_quotation_check(make_quotation(section, "the road is open"), status="altered")
    make_quotation_check(make_quotation(section, "the bridge held"), status="not_found")
    fine = make_quotation_check(make_quotation(section, "all is well"), status="verbatim")
    check = can_publish(essay)
    assert check.ok  # no claims: nothing blocks
    assert [w.message for w in check.warnings] == [
        "The quotation “the road is open” is altered in its source",
        "The quotation “the bridge held” is not found in its source",
    ]
    # a reviewer's override counts: one judged a translation, another found altered
    reviewer = make_user(REVIEWER)
    from review.quotecheck_services import quotation_check_judge

    quotation_check_judge(check=altered, actor=reviewer, override_status="verbatim",
                          reason="translation")  # fmt: skip
    quotation_check_judge(check=fine, actor=reviewer, override_status="altered",
                          reason="a word changed")  # fmt: skip
    assert [w.message for w in can_publish(essay).warnings] == [
        "The quotation “the bridge held” is not found in its source",
        "The quotation “all is well” is altered in its source (confirmed by a reviewer)",
    ]


def test_publishing_over_the_gate_records_who_why_and_what_blocked():
    essay = make_essay()
    make_claim(make_section(essay))
    with pytest.raises(PermissionDenied):
        services.publish_override_record(essay=essay, actor=make_user(EDITOR), reason="Deadline")
    publisher = make_user(PUBLISHER)
    with pytest.raises(ValidationError):
        services.publish_override_record(essay=essay, actor=publisher, reason=" ")
    override = services.publish_override_record(
        essay=essay, actor=publisher, reason="Breaking news"
    )
    assert PublishOverride.objects.get() == override
    assert override.actor == publisher and override.reason == "Breaking news"
    assert len(override.blockers) == 1 and override.blockers[0]["claim_id"]


# -- an approved claim's words carry its approval -------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"statement": "Forty thousand people left"},
        {"short_statement": "40k left"},
        {"verdict_summary": "The census counts fewer."},
    ],
)
@pytest.mark.parametrize("role", [PUBLISHER, REVIEWER, EDITOR])
def test_editing_what_readers_see_of_an_approved_claim_sends_it_back_for_approval(data, role):
    actor = make_user(role)
    claim = claim_in(ClaimStatus.APPROVED, assignee=actor if role == REVIEWER else None)
    services.claim_update(claim=claim, actor=actor, expected_version=claim.version, data=data)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROPOSED
    assert claim.verdict == Verdict.FALSE
    assert claim.verdict_proposed_by == actor
    change = StatusChange.objects.get(claim=claim)
    assert (change.from_status, change.to_status, change.actor, change.comment) == (
        ClaimStatus.APPROVED,
        ClaimStatus.PROPOSED,
        actor,
        "edited after approval",
    )
    assert not can_publish(claim.section.essay).ok
    # Whoever changed the words proposed them: they cannot approve them as well.
    if role == PUBLISHER:
        with pytest.raises(TransitionDenied):
            services.claim_approve_verdict(claim=claim, actor=actor)


def test_an_edit_that_readers_do_not_see_keeps_the_approval():
    publisher = make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.APPROVED)
    services.claim_update(
        claim=claim, actor=publisher, expected_version=1, data={"check_worthiness": "0.8"}
    )
    services.claim_update(
        claim=claim, actor=publisher, expected_version=2, data={"statement": claim.statement}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert not StatusChange.objects.filter(claim=claim).exists()


def test_a_claim_can_never_move_to_another_essay():
    publisher = make_user(PUBLISHER)
    claim = claim_in(ClaimStatus.UNREVIEWED)
    other = make_section(make_essay(slug="another-essay"))
    with pytest.raises(ValidationError) as refused:
        services.claim_update(
            claim=claim, actor=publisher, expected_version=1, data={"section": other}
        )
    assert "cannot move to another essay" in str(refused.value)
    claim.refresh_from_db()
    assert (claim.section.essay.slug, claim.version) != ("another-essay", 2)
    assert claim.version == 1
