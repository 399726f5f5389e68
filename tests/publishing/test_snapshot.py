"""The snapshot's types are its stored JSON, key for key, and old snapshots still render."""

import json
from datetime import UTC, datetime

import pytest

from publishing.rendering import render_article
from publishing.snapshot import (
    ClaimData,
    CounterEvidenceData,
    EssayData,
    QuotationData,
    SectionData,
    Snapshot,
    SourceData,
    TagData,
    essay_snapshot,
    stored_snapshot,
)
from tests.publishing.builders import reviewed_essay

# A snapshot as the first release with published revisions stored it (schema 1), written out
# by hand: what `rerender_pages` and the claim and bibliography pages read back years later.
STORED_BEFORE = json.loads("""
{"schema": 1,
 "essay": {"id": 4, "title": "Old Harbour Road", "slug": "old-harbour-road",
           "byline": "by Rana Aziz", "dek": "", "canonical_url": "",
           "original_published_on": null, "language": "en",
           "tags": [{"name": "Ports", "slug": "ports"}]},
 "sections": [{"id": 9, "position": 0, "heading": "", "anchor": "introduction",
               "body": "The port handled 300 ships in May, a harbour official said."}],
 "quotations": [],
 "claims": [{"id": 21, "section_id": 9, "start": 16, "end": 33, "exact": "handled 300 ships",
             "prefix": "The port ", "statement": "The port handled 300 ships in May.",
             "short_statement": "The port handled 300 ships in May.", "verdict": "misleading",
             "verdict_label": "Misleading", "verdict_summary": "Most were fishing boats.",
             "reviewed_on": "2025-03-02", "version": 4,
             "counter_evidence": [{"id": 5, "stance": "context",
                                   "stance_label": "Adds context", "source_id": 2,
                                   "summary": "The log counts **fishing boats** too."}]}],
 "sources": [{"id": 2, "number": 1, "title": "Harbour log", "kind": "report",
              "kind_label": "Report", "outlet": null, "outlet_url": "", "authors": [],
              "url": "https://port.example.org/log", "archived_url": "", "published_on": null}]}
""")  # fmt: skip


def keys(typed) -> set[str]:
    return set(typed.__required_keys__ | typed.__optional_keys__)


@pytest.mark.django_db
def test_the_types_name_exactly_the_keys_the_snapshot_stores():
    snapshot = json.loads(json.dumps(essay_snapshot(essay=reviewed_essay())))  # as stored
    claim = next(c for c in snapshot["claims"] if c["counter_evidence"])
    assert set(snapshot) == keys(Snapshot)
    assert set(snapshot["essay"]) == keys(EssayData)
    assert set(snapshot["essay"]["tags"][0]) == keys(TagData)
    assert set(snapshot["sections"][0]) == keys(SectionData)
    assert set(snapshot["quotations"][0]) == keys(QuotationData)
    assert set(claim) == keys(ClaimData)
    assert set(claim["counter_evidence"][0]) == keys(CounterEvidenceData)
    assert set(snapshot["sources"][0]) == keys(SourceData)


def test_a_snapshot_stored_by_an_earlier_release_still_renders():
    assert set(STORED_BEFORE) == keys(Snapshot)
    moment = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    page = render_article(
        stored_snapshot(STORED_BEFORE),
        number=2,
        published_at=moment,
        first_published_at=moment,
        corrections=[],
        counts={"misleading": 1},
    ).page.decode()
    assert "Old Harbour Road" in page and 'data-claim="21"' in page
    assert "<strong>fishing boats</strong>" in page and '"@type":"Article"' in page


def test_a_snapshot_of_an_unknown_schema_is_refused_not_rendered_wrong():
    with pytest.raises(ValueError, match="Unknown snapshot schema 2"):
        stored_snapshot({**STORED_BEFORE, "schema": 2})
