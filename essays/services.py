"""Essays' own writes: deciding claim candidates (an editor accepts one, and it becomes a
Claim, or rejects it) here, and saving an import (`save_import`, in essays.importer, which
is large) re-exported below so callers find every write of essays in one place."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from essays.anchoring import Selector, anchor, selector_for
from essays.models import ATTRIBUTION_FIELDS, Claim, ClaimCandidate, Quotation, Section

DECIDE_PERMISSION = "essays.decide_claimcandidate"


def _require_decider(actor: AbstractBaseUser) -> None:
    if not (actor and actor.has_perm(DECIDE_PERMISSION) and actor.has_perm("essays.add_claim")):
        raise PermissionDenied("You do not have permission to decide claim candidates.")


def _lock(candidate: ClaimCandidate) -> ClaimCandidate:
    return ClaimCandidate.objects.select_for_update().select_related("section").get(pk=candidate.pk)


def claim_candidate_accept(*, candidate: ClaimCandidate, actor: AbstractBaseUser) -> Claim:
    """Turn a pending (or rejected) candidate into an unreviewed Claim and return it.

    The claim gets the candidate's span with exact/prefix/suffix taken from the section
    as it is now (if the section was edited since the import, the words are looked up
    again; if they are gone, nothing is written and ValidationError says so). A claim
    already on exactly that span is linked instead of duplicated. Refuses an accepted
    candidate with ValidationError.
    """
    _require_decider(actor)
    with transaction.atomic():
        locked = _lock(candidate)
        if locked.decision == ClaimCandidate.Decision.ACCEPTED:
            raise ValidationError("This candidate was already accepted.")
        body = locked.section.body
        start, end = locked.start, locked.end
        if body[start:end] != locked.text:
            found = anchor([body], Selector(locked.text, "", ""))
            if found is None or not found.found:
                raise ValidationError(
                    "The candidate's sentence is no longer in its section; add the claim by hand."
                )
            start, end = found.start, found.end
        claim = Claim.objects.filter(section=locked.section, start=start, end=end).first()
        if claim is None:
            selector = selector_for(body, start, end)
            claim = Claim(
                section=locked.section,
                start=start,
                end=end,
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                statement=selector.exact,
                check_worthiness=locked.score,
            )
            claim.full_clean()
            claim._history_user = actor
            claim.save()
        locked.decision = ClaimCandidate.Decision.ACCEPTED
        locked.decided_by, locked.decided_at, locked.claim = actor, timezone.now(), claim
        locked.start, locked.end = start, end
        locked.save(update_fields=["decision", "decided_by", "decided_at", "claim", "start", "end"])
    candidate.refresh_from_db()
    return claim


def claim_candidate_reject(*, candidate: ClaimCandidate, actor: AbstractBaseUser) -> ClaimCandidate:
    """Record that a pending candidate is not a claim (who and when).

    An accepted candidate cannot be rejected: its Claim exists and may carry review work;
    delete the claim instead. Rejecting a rejected candidate changes nothing.
    """
    _require_decider(actor)
    with transaction.atomic():
        locked = _lock(candidate)
        if locked.decision == ClaimCandidate.Decision.ACCEPTED:
            raise ValidationError("This candidate was accepted; delete its claim instead.")
        if locked.decision == ClaimCandidate.Decision.PENDING:
            locked.decision = ClaimCandidate.Decision.REJECTED
            locked.decided_by, locked.decided_at = actor, timezone.now()
            locked.save(update_fields=["decision", "decided_by", "decided_at"])
    candidate.refresh_from_db()
    return candidate


# Saving an import is a package of its own (essays.importer); its service is re-exported.
from essays.importer import ImportResult, parse_for_import, save_import  # noqa: E402

__all__ = [
    "ImportResult",
    "claim_candidate_accept",
    "claim_candidate_reject",
    "parse_for_import",
    "save_import",
]


def quotation_reanchored(quotation: Quotation, *, section: Section, text: str) -> tuple[int, int]:
    """Where a quotation's (new) words stand in its (new) section: the occurrence nearest
    its old place and context, or a ValidationError naming the section when they stand
    nowhere in it. Editors type words; offsets are found."""
    if quotation.pk:
        was = selector_for(quotation.section.body, quotation.start, quotation.end)
        wanted = Selector(exact=text, prefix=was.prefix, suffix=was.suffix)
    else:
        wanted = Selector(exact=text, prefix="", suffix="")
    found = anchor([section.body], wanted, hint=0)
    if found is None or not found.found:
        raise ValidationError(
            f"These words do not occur in the section “{section}”: copy them from its text."
        )
    return found.start, found.end


def quotation_attribute(
    *,
    quotation: Quotation,
    actor: AbstractBaseUser,
    expected_version: int,
    data: dict,
    checked: bool | None = None,
) -> Quotation:
    """Save an editor's attribution of one quotation (fields of ATTRIBUTION_FIELDS) and,
    when `checked` is given, whether it has been checked.

    Needs "essays.change_quotation". Refuses with a ValidationError, writing nothing, when
    the quotation changed since the editor loaded it (`expected_version`). An outlet or a
    speaker that replaces one the import set teaches the importer: the replaced one's name
    (a spelling the essay uses, such as "al-Arabia") becomes an alias of the chosen one.
    """
    if not (actor and actor.has_perm("essays.change_quotation")):
        raise PermissionDenied("You do not have permission to change quotations.")
    unknown = set(data) - set(ATTRIBUTION_FIELDS)
    if unknown:
        raise ValueError(f"Not attribution fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = (
            # Lock the quotation's row only: PostgreSQL cannot lock the nullable side of
            # the outer joins to its speaker and outlets.
            Quotation.objects.select_for_update(of=("self",))
            .select_related("speaker", "outlet", "via")
            .get(pk=quotation.pk)
        )
        if locked.version != expected_version:
            raise ValidationError(
                f"“{locked}” was changed by someone else since you loaded the page: "
                "reload to see their change, then make yours."
            )
        for name in ("speaker", "outlet", "via"):
            was, now = getattr(locked, name), data.get(name, getattr(locked, name))
            field = Quotation._meta.get_field(name)
            if was and now and was != now and locked.imported.get(field.attname) == was.pk:
                _learn_alias(now, was.name)
        for name, value in data.items():
            setattr(locked, name, value)
        if checked is not None and checked != bool(locked.checked_at):
            locked.checked_at = timezone.now() if checked else None
            locked.checked_by = actor if checked else None
        locked.version += 1
        locked.full_clean()
        locked._history_user = actor
        locked.save()
    return locked


def _learn_alias(chosen, variant: str) -> None:
    """Record `variant` as another spelling of `chosen` (an Outlet or a Person)."""
    if variant.casefold() == chosen.name.casefold():
        return
    if variant.casefold() not in {alias.casefold() for alias in chosen.aliases}:
        chosen.aliases = [*chosen.aliases, variant]
        chosen.save(update_fields=["aliases"])
