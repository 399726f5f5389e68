"""Essays' own reads, for the admin pages that need nothing but essays."""

from __future__ import annotations

from django.db.models import Count, Q

from essays.models import Claim, Quotation
from search.similar import similar_reviewed

CONTEXT_CHARS = 280


def span_context(body: str, start: int, end: int, exact: str, *, chars: int) -> dict:
    """Words at body[start:end] with up to `chars` characters of text either side."""
    anchored = body[start:end] == exact
    if not anchored:  # the section was edited since: fall back to a search
        found = body.find(exact)
        start, end = (found, found + len(exact)) if found >= 0 else (0, 0)
    return {
        "before": ("…" if start > chars else "") + body[max(0, start - chars) : start],
        "exact": body[start:end] or exact,
        "after": body[end : end + chars] + ("…" if end + chars < len(body) else ""),
        "anchored": anchored,
    }


def claim_context(claim: Claim, *, chars: int = CONTEXT_CHARS) -> dict:
    """The claim's words with the text around them in its section, for reading it in place."""
    return span_context(claim.section.body, claim.start, claim.end, claim.exact, chars=chars)


def quotation_context(quotation: Quotation, *, chars: int = CONTEXT_CHARS) -> dict:
    """The quoted words with the text around them in their section."""
    return span_context(
        quotation.section.body, quotation.start, quotation.end, quotation.text, chars=chars
    )


def attribution_counts(essay) -> dict[str, int]:
    """How many quotations `essay` has ("total") and how many of their attributions
    someone has checked ("checked"), in one query."""
    return Quotation.objects.filter(section__essay=essay).aggregate(
        total=Count("pk"), checked=Count("pk", filter=Q(checked_at__isnull=False))
    )


def checked_before(
    statement: str, *, exclude_essay_id: int | None = None, limit: int = 3
) -> list[dict]:
    """Reviewed claims of other essays that say much what `statement` says (search.similar):
    for the importer to mark a candidate that was checked before."""
    return [
        {"claim_id": s.claim_id, "statement": s.statement, "verdict": s.verdict,
         "score": round(s.score, 2)}
        for s in similar_reviewed(statement, exclude_essay_id=exclude_essay_id, limit=limit)
    ]  # fmt: skip
