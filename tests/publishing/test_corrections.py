"""Corrections between two published snapshots: every public change listed, nothing else."""

from publishing.corrections import accumulate, diff_snapshots


def claim(ident=1, verdict="false", summary="Why.", evidence=()):
    return {
        "id": ident,
        "short_statement": f"Claim {ident}",
        "verdict": verdict,
        "verdict_summary": summary,
        "counter_evidence": [
            {"id": e, "stance": "contradicts", "stance_label": "Contradicts", "summary": f"E{e}",
             "source_id": 1}
            for e in evidence
        ],
    }  # fmt: skip


def snap(*claims):
    return {"claims": list(claims)}


def kinds(entries):
    return [(e["claim_id"], e["kind"]) for e in entries]


def test_a_first_publication_has_no_corrections():
    assert diff_snapshots(None, snap(claim()), date="2025-01-02", revision=1) == []


def test_an_identical_republication_lists_nothing():
    s = snap(claim(evidence=[1]))
    assert diff_snapshots(s, s, date="2025-01-02", revision=2) == []


def test_a_changed_verdict_is_a_dated_correction_naming_both_verdicts():
    [entry] = diff_snapshots(
        snap(claim(verdict="supported")),
        snap(claim(verdict="false")),
        date="2025-03-04",
        revision=2,
    )
    assert entry["kind"] == "verdict_changed" and entry["is_correction"]
    assert entry["date"] == "2025-03-04" and entry["revision"] == 2
    assert "Supported" in entry["text"] and "False" in entry["text"]


def test_verdicts_added_and_withdrawn_and_evidence_changes_are_all_listed():
    old = snap(claim(1, verdict=None, evidence=[10]), claim(2, verdict="false", evidence=[20, 21]))
    new = snap(claim(1, verdict="misleading", evidence=[10, 11]), claim(2, verdict=None))
    new["claims"][1]["counter_evidence"] = [
        {"id": 20, "stance": "context", "stance_label": "Adds context", "summary": "E20",
         "source_id": 1}
    ]  # fmt: skip
    assert kinds(diff_snapshots(old, new, date="2025-01-01", revision=3)) == [
        (1, "verdict_added"),
        (1, "evidence_added"),
        (2, "verdict_withdrawn"),
        (2, "evidence_revised"),
        (2, "evidence_withdrawn"),
    ]


def test_a_checked_claim_removed_from_the_essay_is_listed():
    entries = diff_snapshots(snap(claim(5)), snap(), date="2025-01-01", revision=2)
    assert kinds(entries) == [(5, "claim_withdrawn")]


def test_corrections_accumulate_newest_first_and_are_never_dropped():
    first = [{"revision": 2, "claim_id": 1}]
    second = [{"revision": 3, "claim_id": 2}, {"revision": 3, "claim_id": 3}]
    assert accumulate(accumulate([], first), second) == [*second, *first]
    assert accumulate(first, []) == first
