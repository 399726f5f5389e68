"""The fact-check workflow: one transition table, who may make each move, and the publish gate.

Nothing here writes. review.services applies a transition under a row lock; admin
actions, management commands and tests all go through those services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils.translation import ngettext

from essays.models import Claim, ClaimCandidate
from essays.selectors import attribution_counts
from review.choices import ClaimStatus
from review.models import QuotationCheck
from review.roles import EDITOR, PUBLISHER, REVIEWER, ROLES


class Action(StrEnum):
    ASSIGN = "assign"
    TAKE = "take"
    PROPOSE = "propose"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    REOPEN = "reopen"
    DECIDE = "decide"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[ClaimStatus]
    target: ClaimStatus
    roles: frozenset[str]
    label: str
    needs_comment: bool = False


S = ClaimStatus
TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.ASSIGN,
            frozenset({S.UNREVIEWED, S.IN_REVIEW}),
            S.IN_REVIEW,
            frozenset({EDITOR, PUBLISHER}),
            "Assign to a reviewer",
        ),
        Transition(
            Action.TAKE,
            frozenset({S.UNREVIEWED, S.IN_REVIEW}),
            S.IN_REVIEW,
            frozenset({REVIEWER, PUBLISHER}),
            "Take this claim",
        ),
        Transition(
            Action.PROPOSE,
            frozenset({S.IN_REVIEW}),
            S.PROPOSED,
            frozenset({REVIEWER, PUBLISHER}),
            "Propose a verdict",
        ),
        Transition(
            Action.APPROVE,
            frozenset({S.PROPOSED}),
            S.APPROVED,
            frozenset({REVIEWER, PUBLISHER}),
            "Approve the proposed verdict",
        ),
        Transition(
            Action.DECIDE,
            frozenset({S.PROPOSED}),
            S.APPROVED,
            frozenset({PUBLISHER}),
            "Decide which verdict stands",
            needs_comment=True,
        ),
        Transition(
            Action.SEND_BACK,
            frozenset({S.PROPOSED}),
            S.IN_REVIEW,
            frozenset({REVIEWER, PUBLISHER}),
            "Send back for more review",
            needs_comment=True,
        ),
        Transition(
            Action.REOPEN,
            frozenset({S.APPROVED}),
            S.IN_REVIEW,
            frozenset({REVIEWER, PUBLISHER}),
            "Reopen the verdict",
            needs_comment=True,
        ),
    )
}


class TransitionError(ValidationError):
    """The claim is not in a state this move starts from, or the move lacks what it needs."""


class TransitionDenied(PermissionDenied):
    """The user's role, or their relation to the claim, does not allow this move."""


class ConflictError(Exception):
    """Someone saved the claim since this form was loaded; nothing was written.

    `changes` maps each field that differs to (value the form started from, value now saved).
    """

    def __init__(self, *, expected_version: int, current_version: int, changes: dict | None = None):
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = changes or {}
        detail = ", ".join(
            f"{name}: {old!r} → {new!r}" for name, (old, new) in self.changes.items()
        )
        super().__init__(
            f"This claim was changed by someone else (version {expected_version} → "
            f"{current_version}) since you opened it. Nothing was saved."
            + (f" Changed: {detail}." if detail else "")
        )


def roles_of(user) -> frozenset[str]:
    """The editorial roles a user holds; a superuser holds every role."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(ROLES)
    cached = getattr(user, "_counterpoint_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._counterpoint_roles = cached
    return cached


def check_transition(
    claim, action: Action, user, *, comment: str = "", verdict: str = ""
) -> Transition:
    """Return the transition if `user` may apply `action` to `claim` now; raise otherwise.

    Raises TransitionError for a wrong current state or missing verdict/comment, and
    TransitionDenied for a role, or an object-level rule, that forbids it: reviewers act
    only on claims assigned to them, and nobody approves a verdict they proposed.
    """
    transition = TRANSITIONS[Action(action)]
    if claim.status not in transition.sources:
        allowed = ", ".join(sorted(ClaimStatus(s).label for s in transition.sources))
        raise TransitionError(
            f"Cannot {transition.label.lower()}: the claim is “{claim.get_status_display()}”; "
            f"this is only possible from: {allowed}.",
            code="wrong_state",
        )
    roles = roles_of(user)
    if not roles & transition.roles:
        raise TransitionDenied(
            f"{transition.label} needs one of these roles: {', '.join(sorted(transition.roles))}."
        )
    if action == Action.TAKE and claim.assigned_to_id is not None:
        raise TransitionDenied(
            "This claim is already yours."
            if claim.assigned_to_id == user.pk
            else f"This claim is assigned to {claim.assigned_to}; an editor can reassign it."
        )
    double = DoubleReview.of(claim)
    only_reviewer = REVIEWER in roles and not (roles & {PUBLISHER})
    if action == Action.PROPOSE and double.enabled:
        double.check_may_propose(
            user, assigned=claim.assigned_to_id == user.pk or not only_reviewer
        )
    elif (
        only_reviewer
        and action in (Action.PROPOSE, Action.REOPEN)
        and claim.assigned_to_id != user.pk
    ):
        raise TransitionDenied(
            "Take this claim first: reviewers work only on claims assigned to them."
            if claim.assigned_to_id is None
            else f"This claim is assigned to {claim.assigned_to}: only they, or a publisher, "
            "can do this."
        )
    if action in (Action.APPROVE, Action.SEND_BACK, Action.DECIDE) and (
        claim.verdict_proposed_by_id == user.pk or user.pk in double.reviewer_ids
    ):
        raise TransitionDenied(
            "You proposed this verdict; a publisher or a second reviewer must "
            + ("approve it." if action == Action.APPROVE else "send it back.")
            if action != Action.DECIDE
            else "You gave one of the two verdicts; another publisher decides between them."
        )
    if action == Action.APPROVE and double.disputed:
        raise TransitionDenied(
            "The two reviewers disagree; a publisher decides which verdict stands."
        )
    if action == Action.DECIDE and not double.disputed:
        raise TransitionError(
            "There is nothing to decide: this claim does not have two differing verdicts.",
            code="not_disputed",
        )
    if action == Action.PROPOSE and not verdict:
        raise TransitionError("Choose a verdict to propose.", code="verdict_required")
    if transition.needs_comment and not comment.strip():
        raise TransitionError(f"{transition.label} needs a reason.", code="comment_required")
    return transition


@dataclass(frozen=True)
class DoubleReview:
    """Where a claim stands in independent double review (its essay's `double_review`).

    `verdicts` are the current round's independent verdicts, oldest first: none, one
    (waiting for the second, blind) or two (agreeing, or disputed: a publisher decides).
    """

    enabled: bool
    verdicts: tuple = ()

    @classmethod
    def of(cls, claim) -> DoubleReview:
        if not claim.pk or not claim.section.essay.double_review:
            return cls(enabled=False)
        return cls(enabled=True, verdicts=tuple(claim.independent_verdicts.active()))

    @property
    def reviewer_ids(self) -> set[int]:
        return {v.reviewer_id for v in self.verdicts}

    @property
    def blind(self) -> bool:
        """One verdict in: the second reviewer must not see it (or its reviewer's notes)."""
        return self.enabled and len(self.verdicts) == 1

    @property
    def disputed(self) -> bool:
        return len(self.verdicts) == 2 and self.verdicts[0].verdict != self.verdicts[1].verdict

    def check_may_propose(self, user, *, assigned: bool) -> None:
        if user.pk in self.reviewer_ids:
            raise TransitionDenied(
                "You gave your independent verdict; a second reviewer gives theirs without "
                "seeing it."
            )
        if not self.verdicts and not assigned:
            raise TransitionDenied(
                "The claim's assigned reviewer gives the first independent verdict."
            )

    def visible_to(self, user) -> list:
        """The verdicts `user` may read now: all once both are in, else only their own."""
        if not self.blind:
            return list(self.verdicts)
        return [v for v in self.verdicts if v.reviewer_id == user.pk]


def available_actions(claim, user) -> list[Transition]:
    """The moves `user` could make on `claim` now (verdict and reason still to be given)."""
    return claim_moves(claim, user)[0]


# Who moves a claim on from each state, for a user with nothing to do on it.
NEXT_STEP = {
    S.UNREVIEWED: "an editor assigns it to a reviewer, or a reviewer takes it",
    S.IN_REVIEW: "its reviewer proposes a verdict",
    S.PROPOSED: "a publisher, or a reviewer who did not propose it, approves it or sends it back",
    S.APPROVED: "a reviewer or publisher can reopen it",
}


def unavailable_reasons(claim, user) -> list[str]:
    """Why the moves that start from the claim's state, and that the user's roles could
    make, are not open to them on this claim; or, with none such, who acts next."""
    return claim_moves(claim, user)[1]


def claim_moves(claim, user) -> tuple[list[Transition], list[str]]:
    """The moves open to `user` on `claim` now, and why the others that start from its
    state, and that the user's roles could make, are not; each move checked once."""
    roles = roles_of(user)
    possible, reasons = [], []
    for action, transition in TRANSITIONS.items():
        try:
            check_transition(claim, action, user, comment="-", verdict="-")
        except (TransitionError, TransitionDenied) as refused:
            if claim.status not in transition.sources or not roles & transition.roles:
                continue
            if action == Action.TAKE and claim.assigned_to_id == user.pk:
                continue  # nothing to explain: the claim is theirs
            message = " ".join(getattr(refused, "messages", None) or [str(refused)])
            if message not in reasons and getattr(refused, "code", "") != "not_disputed":
                reasons.append(message)
        else:
            possible.append(transition)
    if not reasons and not possible:
        reasons.append(
            f"Nothing for you to do on this claim: it is “{claim.get_status_display()}”; "
            f"next, {NEXT_STEP[ClaimStatus(claim.status)]}."
        )
    return possible, reasons


@dataclass(frozen=True)
class Blocker:
    """One reason an essay may not be published yet, pointing at the claim to fix."""

    message: str
    claim: object | None = None

    def as_dict(self) -> dict:
        return {"message": self.message, "claim_id": getattr(self.claim, "pk", None)}


@dataclass(frozen=True)
class Warning:
    """Something to look at before publishing that does not block it."""

    message: str
    check_id: int | None = None


@dataclass(frozen=True)
class PublishCheck:
    blockers: list[Blocker] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    # How many blockers there are in all: more than `blockers` lists when it was cut short.
    count: int | None = None
    # Quotations whose attribution nobody has checked on the attribution desk (not blocking).
    unchecked_attributions: int = 0

    def __post_init__(self) -> None:
        if self.count is None:
            object.__setattr__(self, "count", len(self.blockers))

    @property
    def ok(self) -> bool:
        return not self.count

    @property
    def unlisted(self) -> int:
        """Blockers counted but not listed (can_publish with a limit)."""
        return self.count - len(self.blockers)

    def __bool__(self) -> bool:
        return self.ok


def can_publish(essay, *, limit: int | None = None) -> PublishCheck:
    """Whether every claim of `essay` has an approved verdict and no note is unresolved.

    The answer lists each blocking claim once, in reading order, with what is missing,
    then undecided claim candidates. With `limit`, only the first `limit` blocking claims
    are listed and the rest only counted (a page that shows a few of a thousand). Runs a
    fixed number of queries whatever the number of claims; only blocking claims are read.
    """
    active = Q(independent_verdicts__active=True)
    blocking = (
        Claim.objects.filter(section__essay=essay)
        .select_related("section")
        .annotate(
            open_notes=Count("notes", filter=Q(notes__resolved=False), distinct=True),
            independent=Count("independent_verdicts", filter=active, distinct=True),
            independent_kinds=Count("independent_verdicts__verdict", filter=active, distinct=True),
        )
        .filter(~Q(status=ClaimStatus.APPROVED) | Q(open_notes__gt=0))
        .order_by("section__position", "start")
    )
    if limit is None:
        claims = list(blocking)
        count = len(claims)
    else:
        claims = list(blocking[:limit])
        count = len(claims) if len(claims) < limit else blocking.count()
    blockers = []
    for claim in claims:
        problems = []
        if essay.double_review and claim.status == ClaimStatus.IN_REVIEW and claim.independent == 1:
            problems.append("waiting for its second independent review")
        elif claim.status == ClaimStatus.PROPOSED and claim.independent_kinds == 2:
            problems.append("the two reviewers disagree: a publisher decides")
        elif claim.status != ClaimStatus.APPROVED:
            problems.append(f"verdict not approved (now “{claim.get_status_display()}”)")
        if claim.open_notes:
            problems.append(
                f"{claim.open_notes} unresolved note{'s' if claim.open_notes != 1 else ''}"
            )
        if problems:
            where = claim.section.heading or "Introduction"
            blockers.append(Blocker(f"“{claim}” ({where}): {'; '.join(problems)}", claim))
    pending = ClaimCandidate.objects.filter(
        section__essay=essay, decision=ClaimCandidate.Decision.PENDING
    ).count()
    if pending:
        # An import's candidate claims nobody has accepted or rejected: the essay may
        # carry claims nobody has checked.
        count += 1
        blockers.append(
            Blocker(
                ngettext(
                    "%d claim candidate not decided (accept or reject it)",
                    "%d claim candidates not decided (accept or reject them)",
                    pending,
                )
                % pending
            )
        )
    attributions = attribution_counts(essay)
    unchecked = attributions["total"] - attributions["checked"]
    return PublishCheck(blockers, _quotation_warnings(essay), count, unchecked)


def _quotation_warnings(essay) -> list[Warning]:
    """Quotations whose check (or a reviewer's override of it) says the source has other
    words, or none of them: publishing is not blocked, but someone should look."""
    doubtful = [QuotationCheck.Status.ALTERED, QuotationCheck.Status.NOT_FOUND]
    checks = (
        QuotationCheck.objects.filter(quotation__section__essay=essay)
        .filter(Q(override_status__in=doubtful) | Q(override_status="", status__in=doubtful))
        .select_related("quotation")
        .order_by("quotation__section__position", "quotation__start")
    )
    return [
        Warning(
            f"The quotation “{check.quotation}” is "
            + ("altered in its source" if check.effective_status == "altered"
               else "not found in its source")
            + (" (confirmed by a reviewer)" if check.confirmed_by_id else ""),
            check.pk,
        )
        for check in checks
    ]  # fmt: skip
