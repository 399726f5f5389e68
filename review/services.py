"""Every write of the fact-check workflow. Admin actions, commands and tests call these.

Each service checks the actor's role, runs in one transaction, and leaves an audit
row where the workflow calls for one (StatusChange, PublishOverride).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from essays.anchoring import Selector, anchor, selector_for
from essays.models import CLAIM_READER_FIELDS, Claim, Essay
from review.choices import ClaimStatus, Stance
from review.models import (
    CounterEvidence,
    IndependentVerdict,
    PublishOverride,
    ReviewerNote,
    StatusChange,
)
from review.roles import PUBLISHER, REVIEWER
from review.workflow import (
    Action,
    ConflictError,
    DoubleReview,
    TransitionDenied,
    TransitionError,
    can_publish,
    check_transition,
    roles_of,
)
from sources.models import Source

# Fields of a claim that editors and reviewers edit in forms; the workflow owns the rest.
CLAIM_EDITABLE_FIELDS = (*CLAIM_READER_FIELDS, "check_worthiness")
EDITED_AFTER_APPROVAL = "edited after approval"


def _require(user, perm: str, what: str) -> None:
    if not (user and user.has_perm(perm)):
        raise PermissionDenied(f"You do not have permission to {what}.")


def _require_assigned_or_publisher(claim: Claim, user, what: str) -> None:
    roles = roles_of(user)
    if PUBLISHER in roles or claim.assigned_to_id == user.pk:
        return
    if REVIEWER in roles:
        raise PermissionDenied(f"Reviewers can only {what} on claims assigned to them.")


def _lock(claim: Claim, expected_version: int | None) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        raise claim_conflict(locked, expected_version)
    return locked


def claim_conflict(current: Claim, expected_version: int) -> ConflictError:
    """A ConflictError listing what changed between `expected_version` and the saved claim."""
    then = current.history.filter(version=expected_version).order_by("-history_date").first()
    changes = {}
    if then is not None:
        for name in (*CLAIM_EDITABLE_FIELDS, "status", "verdict", "assigned_to"):
            attname = Claim._meta.get_field(name).attname
            old, new = getattr(then, attname), getattr(current, attname)
            if old != new:
                changes[name] = (old, new)
    return ConflictError(
        expected_version=expected_version, current_version=current.version, changes=changes
    )


def _transition(
    *,
    claim: Claim,
    action: Action,
    actor: AbstractBaseUser,
    comment: str = "",
    verdict: str = "",
    expected_version: int | None = None,
    apply=None,
) -> Claim:
    with transaction.atomic():
        locked = _lock(claim, expected_version)
        transition = check_transition(locked, action, actor, comment=comment, verdict=verdict)
        from_status, from_verdict = locked.status, locked.verdict
        locked.status = transition.target
        if apply:
            apply(locked)
        locked.version += 1
        locked.full_clean()
        locked._history_user = actor
        locked.save()
        StatusChange.objects.create(
            claim=locked,
            from_status=from_status,
            to_status=locked.status,
            from_verdict=from_verdict,
            to_verdict=locked.verdict,
            actor=actor,
            comment=comment.strip(),
        )
    claim.refresh_from_db()
    return claim


def claim_assign(
    *, claim: Claim, assignee: AbstractBaseUser, actor: AbstractBaseUser, comment: str = ""
) -> Claim:
    """Put `claim` in review with `assignee` (a Reviewer or Publisher) as its reviewer."""
    if not roles_of(assignee) & {REVIEWER, PUBLISHER}:
        raise TransitionError(f"{assignee} is not a reviewer and cannot be assigned claims.")

    def apply(locked: Claim) -> None:
        locked.assigned_to = assignee

    return _transition(
        claim=claim,
        action=Action.ASSIGN,
        actor=actor,
        comment=comment or f"Assigned to {assignee}",
        apply=apply,
    )


def claim_take(*, claim: Claim, actor: AbstractBaseUser) -> Claim:
    """A reviewer (or publisher) takes an unassigned claim as its reviewer."""

    def apply(locked: Claim) -> None:
        locked.assigned_to = actor

    return _transition(
        claim=claim, action=Action.TAKE, actor=actor, comment=f"Taken by {actor}", apply=apply
    )


def claims_assign(
    *, claims: QuerySet[Claim], assignee: AbstractBaseUser, actor: AbstractBaseUser
) -> tuple[int, list[str]]:
    """Assign every claim of `claims` that can still be assigned; all or nothing.

    Returns how many were assigned and, for each claim skipped because its verdict is
    already proposed or approved, a line saying so. A role error aborts the whole batch.
    """
    assigned, skipped = 0, []
    with transaction.atomic():
        for claim in claims.order_by("section__essay", "section__position", "start"):
            if claim.status not in (ClaimStatus.UNREVIEWED, ClaimStatus.IN_REVIEW):
                skipped.append(f"“{claim}” skipped: {claim.get_status_display().lower()}")
                continue
            claim_assign(claim=claim, assignee=assignee, actor=actor)
            assigned += 1
    return assigned, skipped


def claim_propose_verdict(
    *,
    claim: Claim,
    actor: AbstractBaseUser,
    verdict: str,
    summary: str | None = None,
    comment: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Record the reviewer's verdict (and its public summary) for approval by someone else.

    On a double-review essay the verdict is recorded blind as one of two independent
    verdicts (see `_propose_independently`).
    """
    if claim.section.essay.double_review:
        return _propose_independently(
            claim=claim,
            actor=actor,
            verdict=verdict,
            summary=summary or "",
            comment=comment,
            expected_version=expected_version,
        )

    def apply(locked: Claim) -> None:
        locked.verdict = verdict
        locked.verdict_proposed_by = actor
        if summary is not None:
            locked.verdict_summary = summary

    return _transition(
        claim=claim,
        action=Action.PROPOSE,
        actor=actor,
        verdict=verdict,
        comment=comment,
        expected_version=expected_version,
        apply=apply,
    )


def _propose_independently(
    *, claim: Claim, actor, verdict: str, summary: str, comment: str, expected_version
) -> Claim:
    """One of two blind verdicts. The first leaves the claim in review, waiting for a
    second reviewer, and its audit row names no verdict; the second moves it to "verdict
    proposed": agreeing, with the first reviewer's explanation, for approval as usual;
    disagreeing, flagged for a publisher to decide which stands (`claim_decide`)."""
    with transaction.atomic():
        locked = _lock(claim, expected_version)
        check_transition(locked, Action.PROPOSE, actor, comment=comment, verdict=verdict)
        IndependentVerdict.objects.create(
            claim=locked,
            reviewer=actor,
            verdict=verdict,
            summary=summary.strip(),
            comment=comment.strip(),
        )
        verdicts = DoubleReview.of(locked).verdicts
        from_status = locked.status
        if len(verdicts) == 2:
            first, second = verdicts
            locked.status = ClaimStatus.PROPOSED
            locked.verdict = first.verdict
            locked.verdict_summary = first.summary
            locked.verdict_proposed_by = first.reviewer
            note = (
                f"Both independent verdicts agree: {first.get_verdict_display()}."
                if first.verdict == second.verdict
                else "The independent verdicts differ "
                f"({first.reviewer}: {first.get_verdict_display()}; "
                f"{second.reviewer}: {second.get_verdict_display()}): a publisher decides."
            )
        else:
            # The audit trail is read by the second reviewer too: no verdict, no comment.
            note, comment = "Independent verdict 1 of 2 recorded; hidden until the second.", ""
        locked.version += 1
        locked.full_clean()
        locked._history_user = actor
        locked.save()
        StatusChange.objects.create(
            claim=locked,
            from_status=from_status,
            to_status=locked.status,
            from_verdict="",
            to_verdict=locked.verdict,
            actor=actor,
            comment=" ".join(part for part in (note, comment.strip()) if part),
        )
    claim.refresh_from_db()
    return claim


def claim_decide(
    *,
    claim: Claim,
    actor: AbstractBaseUser,
    chosen: IndependentVerdict,
    reason: str,
    expected_version: int | None = None,
) -> Claim:
    """A publisher settles two differing independent verdicts: `chosen` stands, approved,
    and the audit row records both verdicts, which one stood, and why."""
    verdicts = DoubleReview.of(claim).verdicts
    if chosen not in verdicts:
        raise ValidationError("Choose one of the claim's two current verdicts.")
    others = [v for v in verdicts if v.pk != chosen.pk]

    def apply(locked: Claim) -> None:
        locked.verdict = chosen.verdict
        locked.verdict_summary = chosen.summary
        locked.verdict_proposed_by = chosen.reviewer
        locked.reviewed_at = timezone.now()

    both = "; ".join(f"{v.reviewer}: {v.get_verdict_display()}" for v in (chosen, *others))
    return _transition(
        claim=claim,
        action=Action.DECIDE,
        actor=actor,
        verdict=chosen.verdict,
        comment=f"Reviewers disagreed ({both}). {chosen.reviewer}'s verdict stands: "
        f"{reason.strip()}"
        if reason.strip()
        else "",
        expected_version=expected_version,
        apply=apply,
    )


def claim_approve_verdict(
    *, claim: Claim, actor: AbstractBaseUser, comment: str = "", expected_version: int | None = None
) -> Claim:
    """Approve the proposed verdict; never by the reviewer who proposed it."""

    def apply(locked: Claim) -> None:
        locked.reviewed_at = timezone.now()

    return _transition(
        claim=claim,
        action=Action.APPROVE,
        actor=actor,
        comment=comment,
        expected_version=expected_version,
        apply=apply,
    )


def _clear_verdict(locked: Claim) -> None:
    locked.verdict = ""
    locked.verdict_proposed_by = None
    locked.reviewed_at = None
    # Double review starts a new round: two fresh blind verdicts.
    locked.independent_verdicts.active().update(active=False)


def claim_send_back(
    *, claim: Claim, actor: AbstractBaseUser, reason: str, expected_version: int | None = None
) -> Claim:
    """Return a proposed verdict to review, with the reason the reviewer will read."""
    return _transition(
        claim=claim,
        action=Action.SEND_BACK,
        actor=actor,
        comment=reason,
        expected_version=expected_version,
        apply=_clear_verdict,
    )


def claim_reopen(
    *, claim: Claim, actor: AbstractBaseUser, reason: str, expected_version: int | None = None
) -> Claim:
    """Take an approved verdict back into review. Readers keep the published verdict until
    the next publish, which then shows the change as a dated correction."""
    return _transition(
        claim=claim,
        action=Action.REOPEN,
        actor=actor,
        comment=reason,
        expected_version=expected_version,
        apply=_clear_verdict,
    )


def claim_reanchored(claim: Claim, data: dict) -> dict:
    """Offsets and context for the claim's (new) words in its (new) section: the words are
    what an editor types; where they sit is found, never typed."""
    section = data.get("section", claim.section)
    exact = data.get("exact", claim.exact)
    old = Selector(exact=exact, prefix=claim.prefix, suffix=claim.suffix)
    found = anchor([section.body], old, hint=0)
    if found is None or not found.found:
        where = section.heading or "Introduction"
        raise ValidationError(
            {"exact": f"These words do not occur in the section “{where}”: copy the claim's "
             "words from the section's text."}
        )  # fmt: skip
    context = selector_for(section.body, found.start, found.end)
    return {"start": found.start, "end": found.end, "prefix": context.prefix,
            "suffix": context.suffix}  # fmt: skip


def claim_update(
    *, claim: Claim, actor: AbstractBaseUser, expected_version: int, data: dict
) -> Claim:
    """Save form edits to a claim's text fields, refusing if it changed since the form loaded.

    Optimistic locking: the UPDATE only matches the row at `expected_version`, so of two
    saves from the same starting version exactly one wins; the other gets a ConflictError
    naming what changed, and writes nothing.
    """
    _require(actor, "essays.change_claim", "change claims")
    _require_assigned_or_publisher(claim, actor, "edit claims")
    unknown = set(data) - set(CLAIM_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields are not edited here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        # Claim the row first: only one save can move it off `expected_version`.
        won = Claim.objects.filter(pk=claim.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not won:
            raise claim_conflict(Claim.objects.get(pk=claim.pk), expected_version)
        saved = Claim.objects.get(pk=claim.pk)
        if "section" in data and data["section"].essay_id != saved.section.essay_id:
            raise ValidationError({"section": "A claim cannot move to another essay."})
        if data.keys() & {"exact", "section"} and not data.keys() & {"start", "end"}:
            data = {**data, **claim_reanchored(saved, data)}
        public_change = any(
            getattr(saved, name) != value
            for name, value in data.items()
            if name in CLAIM_READER_FIELDS
        )
        for name, value in data.items():
            setattr(saved, name, value)
        withdrawn = public_change and saved.status == ClaimStatus.APPROVED
        if withdrawn:
            # Approval covered the words readers were shown: new words need a new approval,
            # and whoever changed them proposes them (so cannot approve them too).
            saved.status = ClaimStatus.PROPOSED
            saved.verdict_proposed_by = actor
            saved.reviewed_at = None
        if data.keys() & {"exact", "start", "end", "section"}:
            # An editor fixed the anchor by hand: the import's "anchor lost" flag follows it.
            saved.anchor_lost = saved.section.body[saved.start : saved.end] != saved.exact
        saved.full_clean()
        saved._history_user = actor
        saved.save()
        if withdrawn:
            StatusChange.objects.create(
                claim=saved,
                from_status=ClaimStatus.APPROVED,
                to_status=ClaimStatus.PROPOSED,
                from_verdict=saved.verdict,
                to_verdict=saved.verdict,
                actor=actor,
                comment=EDITED_AFTER_APPROVAL,
            )
    claim.refresh_from_db()
    return claim


def note_create(
    *, claim: Claim, author: AbstractBaseUser, body: str, parent: ReviewerNote | None = None
) -> ReviewerNote:
    """Add an internal note (or a reply in a thread) to a claim."""
    _require(author, "review.add_reviewernote", "write reviewer notes")
    if parent is not None and parent.claim_id != claim.pk:
        raise ValidationError("A reply must belong to the same claim as the note it answers.")
    note = ReviewerNote(claim=claim, author=author, body=body.strip(), parent=parent)
    note.full_clean()
    note.save()
    return note


def note_resolve(
    *, note: ReviewerNote, actor: AbstractBaseUser, resolved: bool = True
) -> ReviewerNote:
    """Mark a note resolved (or open again); the publish gate counts only open notes.

    Reviewers and publishers resolve any note; whoever wrote a note (an editor, say) may
    resolve their own.
    """
    if not (actor and (actor.has_perm("review.change_reviewernote") or note.author_id == actor.pk)):
        raise PermissionDenied("You may resolve only the notes you wrote.")
    note.resolved = resolved
    note.resolved_by = actor if resolved else None
    note.resolved_at = timezone.now() if resolved else None
    note.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    return note


def counter_evidence_create(
    *,
    claim: Claim,
    actor: AbstractBaseUser,
    source: Source,
    summary: str,
    stance: str = Stance.CONTRADICTS,
    position: int | None = None,
) -> CounterEvidence:
    """Write counter-evidence for a claim; readers see it only after a publisher approves it."""
    _require(actor, "review.add_counterevidence", "write counter-evidence")
    _require_assigned_or_publisher(claim, actor, "write counter-evidence")
    if position is None:
        position = (claim.counter_evidence.aggregate(m=Max("position"))["m"] or 0) + 1
    evidence = CounterEvidence(
        claim=claim,
        source=source,
        summary=summary.strip(),
        stance=stance,
        position=position,
        created_by=actor,
        text_edited_by=actor,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


def counter_evidence_reuse(
    *, claim: Claim, evidence: CounterEvidence, actor: AbstractBaseUser
) -> CounterEvidence:
    """Copy approved counter-evidence of another claim ("checked before") to `claim`, as
    new counter-evidence written by `actor`: readers see it only once approved here."""
    _require(actor, "review.add_counterevidence", "write counter-evidence")
    _require_assigned_or_publisher(claim, actor, "write counter-evidence")
    if not evidence.approved:
        raise ValidationError("Only counter-evidence readers were shown can be reused.")
    if evidence.claim_id == claim.pk:
        raise ValidationError("This counter-evidence is already this claim's.")
    if claim.counter_evidence.filter(source=evidence.source, summary=evidence.summary).exists():
        raise ValidationError("This claim already has that counter-evidence.")
    return counter_evidence_create(
        claim=claim,
        actor=actor,
        source=evidence.source,
        summary=evidence.summary,
        stance=evidence.stance,
    )


# What readers see of a piece of counter-evidence: changing any of it needs a new approval.
COUNTER_EVIDENCE_PUBLIC_FIELDS = ("claim", "summary", "source", "stance")
COUNTER_EVIDENCE_EDITABLE_FIELDS = (*COUNTER_EVIDENCE_PUBLIC_FIELDS, "position")


def counter_evidence_update(
    *, evidence: CounterEvidence, actor: AbstractBaseUser, data: dict
) -> CounterEvidence:
    """Save edits to counter-evidence, on claims the actor may work on.

    Reviewers edit only counter-evidence on claims assigned to them (and cannot move it
    to a claim that is not theirs). Approval covers the text readers were shown: any edit
    to what readers see withdraws it, whoever makes it, and the editor (like the author)
    may not approve the new text: someone else must read it first.
    """
    _require(actor, "review.change_counterevidence", "change counter-evidence")
    unknown = set(data) - set(COUNTER_EVIDENCE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields are not edited here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = (
            CounterEvidence.objects.select_for_update().select_related("claim").get(pk=evidence.pk)
        )
        _require_assigned_or_publisher(locked.claim, actor, "change counter-evidence")
        if "claim" in data and data["claim"].pk != locked.claim_id:
            _require_assigned_or_publisher(data["claim"], actor, "move counter-evidence")
        public_change = any(
            getattr(locked, name) != value
            for name, value in data.items()
            if name in COUNTER_EVIDENCE_PUBLIC_FIELDS
        )
        for name, value in data.items():
            setattr(locked, name, value)
        if public_change:
            locked.text_edited_by = actor
            locked.approved, locked.approved_by, locked.approved_at = False, None, None
        locked.full_clean()
        locked._history_user = actor
        locked.save()
    evidence.refresh_from_db()
    return evidence


def counter_evidence_approve(
    *, evidence: CounterEvidence, actor: AbstractBaseUser, approved: bool = True
) -> CounterEvidence:
    """Let readers see this counter-evidence (from the next publish on), or withdraw it.

    Never approved by its author or by whoever last changed its text: a second person
    reads every word readers get. Records who approved it and when.
    """
    _require(actor, "review.approve_counterevidence", "approve counter-evidence")
    with transaction.atomic():
        evidence = CounterEvidence.objects.select_for_update().get(pk=evidence.pk)
        if approved and actor.pk in (evidence.created_by_id, evidence.text_edited_by_id):
            raise PermissionDenied(
                "You wrote this counter-evidence or last changed its text; someone else "
                "must approve it."
            )
        evidence.approved = approved
        evidence.approved_by = actor if approved else None
        evidence.approved_at = timezone.now() if approved else None
        evidence.save()
    return evidence


def counter_evidence_reorder(*, claim: Claim, actor: AbstractBaseUser, order: list[int]) -> None:
    """Set the reading order of a claim's counter-evidence to the ids in `order`."""
    _require(actor, "review.change_counterevidence", "reorder counter-evidence")
    _require_assigned_or_publisher(claim, actor, "reorder counter-evidence")
    ids = set(claim.counter_evidence.values_list("pk", flat=True))
    if set(order) != ids:
        raise ValidationError("The new order must list each of the claim's counter-evidence once.")
    with transaction.atomic():
        for position, pk in enumerate(order, start=1):
            CounterEvidence.objects.filter(pk=pk).update(position=position)


def publish_override_record(
    *, essay: Essay, actor: AbstractBaseUser, reason: str
) -> PublishOverride:
    """Record that `actor` publishes `essay` despite the gate's blockers, and why."""
    _require(actor, "essays.publish_essay", "publish essays")
    if not reason.strip():
        raise ValidationError("Publishing over the review gate needs a written reason.")
    check = can_publish(essay)
    return PublishOverride.objects.create(
        essay=essay,
        actor=actor,
        reason=reason.strip(),
        blockers=[blocker.as_dict() for blocker in check.blockers],
    )


__all__ = [
    "ConflictError",
    "TransitionDenied",
    "TransitionError",
    "claim_approve_verdict",
    "claim_assign",
    "claim_decide",
    "claim_propose_verdict",
    "claim_reopen",
    "claim_send_back",
    "claim_update",
    "claims_assign",
    "counter_evidence_approve",
    "counter_evidence_create",
    "counter_evidence_reorder",
    "counter_evidence_reuse",
    "counter_evidence_update",
    "note_create",
    "note_resolve",
    "publish_override_record",
]
