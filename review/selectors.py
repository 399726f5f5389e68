"""Review's reads, each with its queries bounded: the reviewer's queue, the review panels of
the essay and claim admin pages, who can be assigned claims. They return data; forms are
built by the admin pages that show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from essays.choices import ClaimStatus
from essays.models import Claim, Essay, Quotation
from essays.selectors import claim_context
from review.models import ApprovalItem, CounterEvidence, QueueItem, ReviewerNote
from review.roles import PUBLISHER, REVIEWER
from review.workflow import (
    DoubleReview,
    can_publish,
    claim_moves,
    roles_of,
)
from search.similar import similar_reviewed


def reviewers() -> QuerySet:
    """Active users who can be assigned claims: Reviewers and Publishers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[REVIEWER, PUBLISHER])
        .distinct()
        .order_by("username")
    )


def review_queue(*, user) -> QuerySet[QueueItem]:
    """`user`'s open claims, oldest assignment first, with their note counts."""
    return (
        QueueItem.objects.open()
        .filter(assigned_to=user)
        .select_related("section__essay")
        .annotate(
            note_count=Count("notes", distinct=True),
            open_notes=Count("notes", filter=Q(notes__resolved=False), distinct=True),
            assigned_at=Max(
                "status_changes__created_at",
                filter=Q(status_changes__to_status=ClaimStatus.IN_REVIEW),
            ),
        )
        .order_by("assigned_at", "pk")
    )


def approval_queue(*, user) -> QuerySet[ApprovalItem]:
    """Claims with something `user` may approve: a verdict someone else proposed, or
    counter-evidence someone else wrote (with approve permission), oldest proposal first.
    Each carries `awaiting_evidence`: the items waiting for this user's approval."""
    roles = roles_of(user)
    wants = Q(pk__in=[])
    if roles & {REVIEWER, PUBLISHER}:
        wants |= (
            Q(status=ClaimStatus.PROPOSED)
            & ~Q(verdict_proposed_by=user)
            & ~Q(independent_verdicts__reviewer=user, independent_verdicts__active=True)
        )
    evidence = CounterEvidence.objects.none()
    if user.has_perm("review.approve_counterevidence"):
        evidence = (
            CounterEvidence.objects.filter(approved=False)
            .exclude(created_by=user)
            .exclude(text_edited_by=user)
            .select_related("source__outlet", "created_by")
            .order_by("position", "pk")
        )
        wants |= Q(pk__in=evidence.values("claim_id"))
    return (
        ApprovalItem.objects.filter(wants)
        .distinct()
        .select_related("section__essay", "verdict_proposed_by")
        .prefetch_related(Prefetch("counter_evidence", evidence, to_attr="awaiting_evidence"))
        .annotate(proposed_at=Max("status_changes__created_at",
                                  filter=Q(status_changes__to_status=ClaimStatus.PROPOSED)))
        .order_by(F("proposed_at").asc(nulls_last=True), "pk")
    )  # fmt: skip


def _independent_count(queryset: QuerySet) -> QuerySet:
    active = Q(independent_verdicts__active=True)
    return queryset.filter(section__essay__double_review=True).annotate(
        independent=Count("independent_verdicts", filter=active, distinct=True),
        independent_kinds=Count("independent_verdicts__verdict", filter=active, distinct=True),
    )


def second_review_needed(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims of double-review essays with one independent verdict, waiting for another."""
    return _independent_count(queryset).filter(status=ClaimStatus.IN_REVIEW, independent=1)


def disputed(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims whose two independent verdicts differ: a publisher decides."""
    return _independent_count(queryset).filter(status=ClaimStatus.PROPOSED, independent_kinds=2)


def notes_visible_to(user, notes: QuerySet[ReviewerNote]) -> QuerySet[ReviewerNote]:
    """`notes` without those a reviewer must not read yet: on a double-review claim
    waiting for its second verdict, other reviewers' notes stay hidden from anyone who
    may give a verdict, so the two verdicts are independent."""
    if not roles_of(user) & {REVIEWER, PUBLISHER}:
        return notes
    blind_claims = second_review_needed(Claim.objects.all()).values("pk")
    return notes.exclude(
        Q(claim__in=blind_claims)
        & ~Q(author=user)
        & Q(author__groups__name__in=[REVIEWER, PUBLISHER])
    )


def claim_workflow_context(claim: Claim, user) -> dict:
    """Everything the claim page's review panel shows: context, moves, history.

    The form for the moves is the caller's to build (review.admin does, from
    `claim.version` and `claim.verdict_summary`).
    """
    moves, reasons = claim_moves(claim, user)
    return {
        "claim_obj": claim,
        "claim_context": claim_context(claim),
        "transitions": moves,
        "unavailable_reasons": reasons,
        "quotations": claim_quotations(claim),
        "reviewer_choices": reviewers(),
        "status_changes": claim.status_changes.select_related("actor").order_by("created_at", "pk"),
        "double_review": (double := DoubleReview.of(claim)),
        "independent_verdicts": double.visible_to(user),
    }


def claim_quotations(claim: Claim) -> list[Quotation]:
    """The quotations inside the claim's words, each with its check against its source
    (`source_check`, absent if never checked), in reading order."""
    quotations = (
        Quotation.objects.filter(
            section_id=claim.section_id, start__lt=claim.end, end__gt=claim.start
        )
        .select_related("source", "source_check")
        .order_by("start")
    )
    return list(quotations)


def essay_review_summary(essay: Essay) -> dict:
    """Claim counts by status (for the progress bar) and the publish gate's answer."""
    counts = dict(
        Claim.objects.filter(section__essay=essay)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    rows = [
        {
            "status": status.value,
            "label": status.label,
            "count": counts.get(status.value, 0),
            "percent": round(100 * counts.get(status.value, 0) / total, 1) if total else 0,
        }
        for status in ClaimStatus
    ]
    return {"total": total, "by_status": rows, "check": publish_check(essay)}


# The essay page lists this many blockers (the rest are counted, and one link away).
LISTED_BLOCKERS = 20


def publish_check(essay: Essay):
    """The publish gate's answer for `essay` as the essay page shows it (the first
    LISTED_BLOCKERS blockers, all counted), computed once per essay object: the page shows
    it in its review panel and beside its publish buttons."""
    check = getattr(essay, "_publish_check", None)
    if check is None:
        check = essay._publish_check = can_publish(essay, limit=LISTED_BLOCKERS)
    return check


@dataclass(frozen=True)
class CheckedBefore:
    """A reviewed claim of another essay much like this one, with what readers were
    shown of it: its verdict and its approved counter-evidence."""

    claim: Claim
    score: float
    evidence: list[CounterEvidence]


def checked_before(claim: Claim, *, limit: int = 5) -> list[CheckedBefore]:
    """The reviewed claims of other essays most like `claim`'s statement (search.similar),
    best first, in a fixed number of queries."""
    found = similar_reviewed(
        claim.statement or claim.exact, exclude_essay_id=claim.section.essay_id, limit=limit
    )
    claims = Claim.objects.select_related("section__essay").in_bulk([s.claim_id for s in found])
    evidence: dict[int, list[CounterEvidence]] = {}
    for item in (
        CounterEvidence.objects.published()
        .filter(claim__in=list(claims))
        .select_related("source__outlet")
        .order_by("position", "pk")
    ):
        evidence.setdefault(item.claim_id, []).append(item)
    return [
        CheckedBefore(claims[s.claim_id], s.score, evidence.get(s.claim_id, []))
        for s in found
        if s.claim_id in claims and claims[s.claim_id].status == ClaimStatus.APPROVED
    ]
