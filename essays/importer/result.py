"""What an import did: ``ImportResult``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from essays.models import Essay

# --- the result -------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What ``save_import`` did, for the command's summary and the admin's message."""

    essay: Essay
    created: bool
    sections: int = 0
    quotations: int = 0
    candidates: int = 0
    outlets_created: list[str] = field(default_factory=list)
    outlets_reused: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    people_reused: list[str] = field(default_factory=list)
    sources_created: list[str] = field(default_factory=list)  # URLs
    sources_reused: list[str] = field(default_factory=list)
    source_outlets: dict[str, int] = field(default_factory=dict)  # URL → Outlet by domain
    claims_reanchored: int = 0
    claims_unanchored: list[int] = field(default_factory=list)
    decisions_kept: int = 0
    quotations_updated: int = 0  # matched to an old quotation (re-import)
    quotations_removed: int = 0
    fixes_kept: int = 0  # attribution fields an editor changed, kept over the new parse
    conflicts: list[str] = field(default_factory=list)  # kept fixes the new file disagrees with
    was_published: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "sections": self.sections,
            "quotations": self.quotations,
            "candidates": self.candidates,
            "outlets_created": len(self.outlets_created),
            "outlets_reused": len(self.outlets_reused),
            "people_created": len(self.people_created),
            "people_reused": len(self.people_reused),
            "sources_created": len(self.sources_created),
            "sources_reused": len(self.sources_reused),
            "claims_reanchored": self.claims_reanchored,
            "claims_unanchored": len(self.claims_unanchored),
            "decisions_kept": self.decisions_kept,
            "quotations_updated": self.quotations_updated,
            "quotations_removed": self.quotations_removed,
            "fixes_kept": self.fixes_kept,
            "conflicts": len(self.conflicts),
        }

    def summary(self) -> str:
        """One sentence for an admin message or the command's first line."""
        verb = "Created" if self.created else "Updated"
        c = self.counts
        text = (
            f"{verb} “{self.essay.title}”: {c['sections']} sections, {c['quotations']} "
            f"quotations, {c['candidates']} claim candidates; outlets {c['outlets_created']} "
            f"new, {c['outlets_reused']} reused; people {c['people_created']} new, "
            f"{c['people_reused']} reused; sources {c['sources_created']} new, "
            f"{c['sources_reused']} reused."
        )
        if not self.created:
            text += (
                f" Existing claims: {c['claims_reanchored']} re-anchored, "
                f"{c['claims_unanchored']} need attention. Quotations: "
                f"{c['quotations_updated']} kept, "
                f"{c['quotations'] - c['quotations_updated']} new, "
                f"{c['quotations_removed']} removed; kept {c['fixes_kept']} editor "
                f"fix{'es' if c['fixes_kept'] != 1 else ''}"
                + (f", {c['conflicts']} where the new file disagrees." if c["conflicts"] else ".")
            )
        return text

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "essay": {"id": self.essay.pk, "slug": self.essay.slug, "title": self.essay.title},
            "created": self.created,
            "counts": self.counts,
            "outlets_created": self.outlets_created,
            "people_created": self.people_created,
            "unanchored_claims": self.claims_unanchored,
            "conflicts": self.conflicts,
            "was_published": self.was_published,
            "warnings": self.warnings,
        }
