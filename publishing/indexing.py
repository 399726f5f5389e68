"""Public search entries, built from a live revision's snapshot and nothing else.

`essay_publish` replaces an essay's public entries with its new revision's; unpublishing
removes them; `rebuild_public` rewrites them all from the live revisions. Drafts, notes,
proposed verdicts and unapproved evidence never reach this index because the snapshot
holds none of them.
"""

from __future__ import annotations

import html

from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags

from common.markup import render_markdown
from publishing.models import PublishedRevision
from publishing.snapshot import Snapshot, stored_snapshot
from publishing.structured_data import article_path, claim_paths
from search import index
from search.index import PUBLIC, Document


def _plain(markdown: str) -> str:
    return html.unescape(strip_tags(render_markdown(markdown))) if markdown else ""


def _lines(*parts) -> str:
    return "\n".join(part for part in parts if part)


def public_documents(revision: PublishedRevision) -> list[Document]:
    snapshot: Snapshot = stored_snapshot(revision.snapshot)
    essay_id, slug = revision.essay_id, revision.slug
    tags = [tag["slug"] for tag in snapshot["essay"]["tags"]]
    claim_path = claim_paths(slug)
    bibliography = reverse("public:bibliography", kwargs={"slug": slug})
    sources = {source["id"]: source for source in snapshot["sources"]}
    documents = [
        Document(
            kind="essay",
            object_id=essay_id,
            essay_id=essay_id,
            title=revision.title,
            body=_lines(
                revision.dek,
                revision.byline,
                *(_lines(s["heading"], _plain(s["body"])) for s in snapshot["sections"]),
            ),
            url=article_path(slug),
            tags=tags,
        )
    ]
    for claim in snapshot["claims"]:
        evidence = claim["counter_evidence"]
        documents.append(
            Document(
                kind="claim",
                object_id=claim["id"],
                essay_id=essay_id,
                title=claim["statement"],
                body=_lines(
                    claim["exact"] if claim["exact"] != claim["statement"] else "",
                    _plain(claim["verdict_summary"]),
                    *(_plain(item["summary"]) for item in evidence),
                    *(
                        sources[item["source_id"]]["title"]
                        for item in evidence
                        if item["source_id"] in sources
                    ),  # fmt: skip
                ),
                url=claim_path(claim["id"]),
                verdict=claim["verdict"] or "",
                tags=tags,
            )
        )
    for source in snapshot["sources"]:
        documents.append(
            Document(
                kind="source",
                object_id=source["id"],
                essay_id=essay_id,
                title=source["title"],
                body=_lines(source["outlet"] or "", ", ".join(source["authors"]), source["url"]),
                url=f"{bibliography}#source-{source['number']}",
                tags=tags,
            )
        )
    return documents


def index_revision(revision: PublishedRevision) -> None:
    """The essay's public entries become its live revision's (inside the publish)."""
    index.replace(PUBLIC, public_documents(revision), essay_id=revision.essay_id)


def unindex_essay(essay_id: int) -> None:
    index.replace(PUBLIC, [], essay_id=essay_id)


def rebuild_public() -> int:
    with transaction.atomic():
        index.clear(PUBLIC)
        revisions = PublishedRevision.objects.published().defer("page_gzip", "page_identity")
        count = 0
        for revision in revisions.iterator(chunk_size=50):
            index_revision(revision)
            count += 1
    return count
