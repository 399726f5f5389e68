"""Essays' own reads, for the admin pages that need nothing but essays."""

from __future__ import annotations

from essays.models import Claim

CONTEXT_CHARS = 280


def claim_context(claim: Claim, *, chars: int = CONTEXT_CHARS) -> dict:
    """The claim's words with the text around them in its section, for reading it in place."""
    body = claim.section.body
    start, end = claim.start, claim.end
    if body[start:end] != claim.exact:  # the section was edited since: fall back to a search
        found = body.find(claim.exact)
        start, end = (found, found + len(claim.exact)) if found >= 0 else (0, 0)
    before = body[max(0, start - chars) : start]
    after = body[end : end + chars]
    return {
        "before": ("…" if start > chars else "") + before,
        "exact": body[start:end] or claim.exact,
        "after": after + ("…" if end + chars < len(body) else ""),
        "anchored": body[claim.start : claim.end] == claim.exact,
    }
