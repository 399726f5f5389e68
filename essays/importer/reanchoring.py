"""Keeping an essay's claims through a re-import: re-anchor them in the new text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simple_history.utils import bulk_update_with_history

from essays.anchoring import CONTEXT_CHARS, Selector, anchor, selector_for
from essays.importer.errors import locate
from essays.importer.layout import SectionLayout
from essays.importer.result import ImportResult
from essays.models import Claim, ClaimCandidate, Essay, Section

# --- claims: keep and re-anchor ---------------------------------------------------------


def _reanchor_claims(
    essay: Essay,
    sections: list[SectionLayout],
    rows: list[Section],
    old_sections: list[Section],
    actor,
    result: ImportResult,
    name: str | None,
) -> None:
    """Move every existing claim of ``essay`` onto the new text; never delete one."""
    claims = list(Claim.objects.select_for_update().filter(section__essay=essay).order_by("pk"))
    if not claims:
        return
    bodies = [s.body for s in sections]
    old_headings = {s.pk: s.heading for s in old_sections}
    placements = plan_reanchoring(
        bodies,
        [s.heading for s in sections],
        [(c, old_headings.get(c.section_id), _row_index(rows, c.section_id)) for c in claims],
    )
    changed = []
    for claim, placed in zip(claims, placements, strict=True):
        if placed is None:
            # Every new section is empty: leave the claim where it was (its section row
            # stays only if reused), and flag it.
            section_id, start, end, found = rows[0].pk, 0, 1, False
        else:
            section_id, start, end, found = (
                rows[placed.section].pk,
                placed.start,
                placed.end,
                placed.found,
            )
        update: dict[str, Any] = {
            "section_id": section_id,
            "start": start,
            "end": end,
            "anchor_lost": not found,
        }
        if found:
            fresh = selector_for(bodies[placed.section], start, end, context=CONTEXT_CHARS)
            update["prefix"], update["suffix"] = fresh.prefix, fresh.suffix
            result.claims_reanchored += 1
        else:
            result.claims_unanchored.append(claim.pk)
            result.warnings.append(
                locate(
                    name,
                    None,
                    f"claim #{claim.pk} “{_short(claim.exact)}” ({claim.get_status_display()}) "
                    "is no longer in the text; kept and flagged “anchor lost”",
                )
            )
        if any(getattr(claim, k) != v for k, v in update.items()):
            for key, value in update.items():
                setattr(claim, key, value)
            claim.version += 1  # open review forms must not save stale offsets over these
            changed.append(claim)
    if changed:
        bulk_update_with_history(
            changed,
            Claim,
            ["section", "start", "end", "prefix", "suffix", "anchor_lost", "version"],
            default_user=actor,
            default_change_reason="re-anchored by import",
        )


def _row_index(rows: list[Section], section_id: int) -> int | None:
    return next((i for i, row in enumerate(rows) if row.pk == section_id), None)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plan_reanchoring(
    bodies: list[str],
    headings: list[str],
    claims: Iterable[tuple[Any, str | None, int | None]],
):
    """Where each claim lands in the new bodies (an ``Anchor`` or None), pure.

    ``claims`` yields (claim-like with exact/prefix/suffix, old section heading, index of
    the new section that reuses the claim's old row or None). The hint for a claim is
    that reused section, else the first new section with the old heading.
    """
    out = []
    for claim, old_heading, reused_index in claims:
        hint = reused_index
        if hint is None and old_heading is not None and old_heading in headings:
            hint = headings.index(old_heading)
        out.append(anchor(bodies, Selector(claim.exact, claim.prefix, claim.suffix), hint=hint))
    return out


def _carry_over(essay: Essay) -> dict[str, tuple]:
    """Decisions on old candidates, keyed by their text."""
    return {
        text: (decision, by, at, claim)
        for text, decision, by, at, claim in ClaimCandidate.objects.filter(section__essay=essay)
        .exclude(decision=ClaimCandidate.Decision.PENDING)
        .values_list("text", "decision", "decided_by", "decided_at", "claim")
    }
