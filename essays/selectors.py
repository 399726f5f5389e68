"""Reads that the admin's essay and claim pages need, each with its queries bounded."""

from __future__ import annotations

from django.db.models import Count

from essays.models import Claim, Essay
from review.choices import ClaimStatus
from review.forms import TransitionForm, reviewers
from review.workflow import available_actions, can_publish

CONTEXT_CHARS = 280


def claim_context(claim: Claim) -> dict:
    """The claim's words with the text around them in its section, for reading it in place."""
    body = claim.section.body
    start, end = claim.start, claim.end
    if body[start:end] != claim.exact:  # the section was edited since: fall back to a search
        found = body.find(claim.exact)
        start, end = (found, found + len(claim.exact)) if found >= 0 else (0, 0)
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    return {
        "before": ("…" if start > CONTEXT_CHARS else "") + before,
        "exact": body[start:end] or claim.exact,
        "after": after + ("…" if end + CONTEXT_CHARS < len(body) else ""),
        "anchored": body[claim.start : claim.end] == claim.exact,
    }


def claim_workflow_context(claim: Claim, user) -> dict:
    """Everything the claim page's review panel shows: context, moves, history."""
    return {
        "claim_obj": claim,
        "claim_context": claim_context(claim),
        "transitions": available_actions(claim, user),
        "transition_form": TransitionForm(
            initial={"expected_version": claim.version, "verdict_summary": claim.verdict_summary}
        ),
        "reviewer_choices": reviewers(),
        "status_changes": claim.status_changes.select_related("actor").order_by("created_at", "pk"),
    }


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
    return {"total": total, "by_status": rows, "check": can_publish(essay)}
