"""Corrections: what readers were told before and are told now, between two snapshots.

Pure functions over the snapshot dictionaries that publishing freezes (see
`publishing.snapshot`). Only what readers could see is compared (approved
verdicts, their public explanations, approved counter-evidence), so an internal
edit never produces a public correction, and a public change never goes unlisted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from publishing.structured_data import verdict_label

if TYPE_CHECKING:
    from publishing.snapshot import ClaimData, Snapshot

VERDICT_CHANGED = "verdict_changed"
VERDICT_ADDED = "verdict_added"
VERDICT_WITHDRAWN = "verdict_withdrawn"
EXPLANATION_REVISED = "explanation_revised"
EVIDENCE_ADDED = "evidence_added"
EVIDENCE_REVISED = "evidence_revised"
EVIDENCE_WITHDRAWN = "evidence_withdrawn"
CLAIM_WITHDRAWN = "claim_withdrawn"

# Kinds that change or retract something readers were told; the rest add to it.
CORRECTION_KINDS = {
    VERDICT_CHANGED,
    VERDICT_WITHDRAWN,
    EXPLANATION_REVISED,
    EVIDENCE_REVISED,
    EVIDENCE_WITHDRAWN,
    CLAIM_WITHDRAWN,
}


class Correction(TypedDict):
    """One dated public change, as stored in a revision's `corrections` (JSON)."""

    date: str  # ISO date of the publish that made the change
    revision: int
    kind: str  # one of the kinds above
    is_correction: bool  # changes or retracts what readers were told (else it adds)
    claim_id: int
    claim: str  # the claim's short statement
    text: str


def _claims(snapshot: Snapshot | None) -> dict[int, ClaimData]:
    return {claim["id"]: claim for claim in (snapshot or {}).get("claims", [])}


def _evidence(claim: dict | None) -> dict[int, dict]:
    return {item["id"]: item for item in (claim or {}).get("counter_evidence", [])}


def _entry(kind: str, claim: ClaimData, text: str, *, date: str, revision: int) -> Correction:
    return {
        "date": date,
        "revision": revision,
        "kind": kind,
        "is_correction": kind in CORRECTION_KINDS,
        "claim_id": claim["id"],
        "claim": claim["short_statement"],
        "text": text,
    }


def diff_snapshots(
    old: Snapshot | None, new: Snapshot, *, date: str, revision: int
) -> list[Correction]:
    """The dated public changes from `old` to `new`, in the order of the claims in `new`.

    Returns [] for a first publication (`old` is None): nothing was published before.
    `date` is an ISO date string and `revision` the number of the new revision.
    """
    if old is None:
        return []
    before, after = _claims(old), _claims(new)
    entries: list[Correction] = []
    for claim_id, claim in after.items():
        was = before.get(claim_id)
        entries += _claim_changes(was, claim, date=date, revision=revision)
    for claim_id, claim in before.items():
        if claim_id not in after and (claim["verdict"] or claim["counter_evidence"]):
            entries.append(
                _entry(
                    CLAIM_WITHDRAWN,
                    claim,
                    "This passage was removed from the essay, and its fact-check with it.",
                    date=date,
                    revision=revision,
                )
            )
    return entries


def _claim_changes(
    was: ClaimData | None, now: ClaimData, *, date: str, revision: int
) -> list[Correction]:
    entries = []
    old_verdict = (was or {}).get("verdict")
    new_verdict = now["verdict"]

    def add(kind: str, text: str) -> None:
        entries.append(_entry(kind, now, text, date=date, revision=revision))

    if old_verdict and new_verdict and old_verdict != new_verdict:
        add(
            VERDICT_CHANGED,
            f"Verdict changed from “{verdict_label(old_verdict)}” "
            f"to “{verdict_label(new_verdict)}”.",
        )
    elif old_verdict and not new_verdict:
        add(
            VERDICT_WITHDRAWN,
            f"The verdict “{verdict_label(old_verdict)}” was withdrawn while the claim "
            "is reviewed again.",
        )
    elif new_verdict and not old_verdict:
        add(VERDICT_ADDED, f"Fact-check completed: “{verdict_label(new_verdict)}”.")
    elif (
        old_verdict
        and new_verdict
        and (was or {}).get("verdict_summary", "") != now.get("verdict_summary", "")
    ):
        add(EXPLANATION_REVISED, "The explanation of the verdict was revised.")

    before, after = _evidence(was), _evidence(now)
    for evidence_id, item in after.items():
        old_item = before.get(evidence_id)
        if old_item is None:
            add(EVIDENCE_ADDED, f"Counter-evidence added ({item['stance_label'].lower()}).")
        elif any(old_item.get(k) != item.get(k) for k in ("summary", "stance", "source_id")):
            add(EVIDENCE_REVISED, "Counter-evidence revised.")
    for evidence_id, item in before.items():
        if evidence_id not in after:
            add(EVIDENCE_WITHDRAWN, f"Counter-evidence withdrawn ({item['stance_label'].lower()}).")
    return entries


def accumulate(previous: list[Correction], new_entries: list[Correction]) -> list[Correction]:
    """All corrections an essay has had, newest revision first; earlier ones are never dropped."""
    return [*new_entries, *previous]
