"""The snapshot: everything readers may see of an essay, frozen at publish time.

`essay_snapshot` reads it from the database; it is stored as JSON on the
PublishedRevision (`snapshot`) and every public page, correction and piece of
structured data is built from it alone. The types below are that JSON's shape, key for
key (TypedDicts: the stored dictionaries are these types as they are, so snapshots
stored by earlier releases read unchanged). A new key must be optional for readers, or
come with a new SNAPSHOT_SCHEMA and a reader for the old one.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict, cast

from django.db.models import F, Max, Q
from django.db.models.functions import Substr

from common.markup import render_markdown
from essays.choices import ClaimStatus
from essays.models import Claim, Essay, Quotation, Section
from publishing.structured_data import CLAIM_REVIEWED_MAX, ORDER, UNDER_REVIEW, verdict_label
from review.choices import Stance
from review.models import CounterEvidence, QuotationCheck
from sources.models import Source


class TagData(TypedDict):
    name: str
    slug: str


class EssayData(TypedDict):
    id: int
    title: str
    slug: str
    byline: str
    dek: str
    canonical_url: str
    original_published_on: str | None  # ISO date
    language: str
    tags: list[TagData]


class SectionData(TypedDict):
    id: int
    position: int
    heading: str
    anchor: str
    body: str  # Markdown


class QuoteCheckData(TypedDict):
    """What readers are told of a quotation's check against its source: "checked" (found
    verbatim, or with marked edits), or "altered", once a reviewer confirmed it, with the
    source's own words. Nothing else of a check is public (not its reviewer's reason)."""

    status: str  # "checked" | "altered"
    original: str


class QuotationData(TypedDict):
    id: int
    section_id: int
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_description: NotRequired[str]  # who, when no person is named; absent before
    speaker_affiliation: str
    outlet: str | None
    via: str | None
    source_id: int | None
    emphasis_added: bool
    is_scare_quote: bool
    check: NotRequired[QuoteCheckData | None]  # absent in snapshots stored before it


class CounterEvidenceData(TypedDict):
    id: int
    stance: str
    stance_label: str
    summary: str  # Markdown
    summary_html: NotRequired[str]  # sanitised, as stored on save; absent in older snapshots
    source_id: int


class ClaimData(TypedDict):
    id: int
    section_id: int
    start: int
    end: int
    exact: str
    prefix: str
    statement: str
    short_statement: str  # at most 74 characters
    verdict: str | None  # None until a verdict is approved
    verdict_label: str
    verdict_summary: str  # Markdown; "" until approved
    verdict_summary_html: NotRequired[str]  # sanitised, as stored; absent in older snapshots
    reviewed_on: str | None  # ISO date of the approval
    version: int
    counter_evidence: list[CounterEvidenceData]  # approved only


class SourceData(TypedDict):
    id: int
    number: int  # in the bibliography, by first appearance
    title: str
    kind: str
    kind_label: str
    outlet: str | None
    outlet_url: str
    authors: list[str]
    url: str
    archived_url: str
    published_on: str | None  # ISO date


class Snapshot(TypedDict):
    schema: int
    essay: EssayData
    sections: list[SectionData]
    quotations: list[QuotationData]
    claims: list[ClaimData]
    sources: list[SourceData]


SNAPSHOT_SCHEMA = 1


def _short(text: str, limit: int = CLAIM_REVIEWED_MAX - 1) -> str:
    """`text` on one line in at most `limit` characters, cut at a word and ended with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _html(markdown: str, stored_html: str) -> str:
    """A Markdown field's HTML as stored on save, rendered here only for a row written
    around save() (a bulk insert) that has none."""
    return stored_html if stored_html or not markdown else render_markdown(markdown)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _source_record(source: Source, number: int) -> SourceData:
    # Source.notes is internal and deliberately absent.
    return {
        "id": source.pk,
        "number": number,
        "title": source.title,
        "kind": source.kind,
        "kind_label": source.get_kind_display(),
        "outlet": source.outlet.name if source.outlet_id else None,
        "outlet_url": source.outlet.homepage if source.outlet_id else "",
        "authors": [person.name for person in source.authors.all()],
        "url": source.url,
        "archived_url": source.archived_url,
        "published_on": _iso(source.published_on),
    }


def essay_snapshot(*, essay: Essay) -> Snapshot:
    """Everything readers may see of `essay` as it stands now, as JSON-ready data.

    Includes sections, quotations (speaker, outlet, source), every claim with its verdict
    only once approved (otherwise verdict None, shown as "under review"), approved
    counter-evidence only, and the sources all of those cite. Never includes reviewer
    notes, unapproved counter-evidence, proposed verdicts or internal source notes.
    Runs a fixed number of queries whatever the essay's size.
    """
    essay = Essay.objects.prefetch_related("tags").get(pk=essay.pk)
    sections = list(Section.objects.filter(essay=essay).order_by("position"))
    quotations = list(
        Quotation.objects.filter(section__essay=essay)
        .select_related("speaker", "outlet", "via", "source_check")
        .annotate(
            # The source's words where the check matched: only that slice of the document.
            check_original=Substr(
                "source_check__document__text",
                F("source_check__start") + 1,
                F("source_check__end") - F("source_check__start"),
            )
        )
        .order_by("section__position", "start", "pk")
    )
    # Approved counter-evidence of every claim, as plain rows: thousands of them in a long
    # essay, where model instances would cost more than the rest of the snapshot.
    evidence_by_claim: dict[int, list[dict]] = {}
    for item in (
        CounterEvidence.objects.published()
        .filter(claim__section__essay=essay)
        .order_by("position", "pk")
        .values("id", "claim_id", "stance", "summary", "summary_html", "source_id")
    ):
        evidence_by_claim.setdefault(item["claim_id"], []).append(item)
    claims = list(
        Claim.objects.filter(section__essay=essay)
        # When the verdict was approved, for a claim whose row does not say (reviewed_at is
        # set by the approval service; rows written otherwise fall back to the audit trail).
        .annotate(
            approved_at=Max(
                "status_changes__created_at",
                filter=Q(status_changes__to_status=ClaimStatus.APPROVED),
            )
        )
        .order_by("section__position", "start", "pk")
        # Plain rows: a long essay has thousands of claims, and the snapshot needs no model.
        .values(
            "id", "section_id", "start", "end", "exact", "prefix", "statement",
            "short_statement", "status", "verdict", "verdict_summary", "verdict_summary_html",
            "reviewed_at", "approved_at", "updated_at", "version",
        )
    )  # fmt: skip
    approved_ids = {c["id"] for c in claims if c["status"] == ClaimStatus.APPROVED and c["verdict"]}

    # Bibliography numbers follow first appearance: quotations, then counter-evidence.
    source_order: list[int] = []
    for quotation in quotations:
        if quotation.source_id and quotation.source_id not in source_order:
            source_order.append(quotation.source_id)
    for claim in claims:
        for item in evidence_by_claim.get(claim["id"], ()):
            if item["source_id"] not in source_order:
                source_order.append(item["source_id"])
    sources = Source.objects.with_related().in_bulk(source_order)
    numbers = {source_id: n for n, source_id in enumerate(source_order, start=1)}
    stance_labels = dict(Stance.choices)

    def claim_record(claim: dict) -> ClaimData:
        approved = claim["id"] in approved_ids
        reviewed = (
            (claim["reviewed_at"] or claim["approved_at"] or claim["updated_at"])
            if approved
            else None
        )
        return {
            "id": claim["id"],
            "section_id": claim["section_id"],
            "start": claim["start"],
            "end": claim["end"],
            "exact": claim["exact"],
            "prefix": claim["prefix"],
            "statement": claim["statement"] or claim["exact"],
            "short_statement": _short(
                claim["short_statement"] or claim["statement"] or claim["exact"]
            ),
            "verdict": claim["verdict"] if approved else None,
            "verdict_label": verdict_label(claim["verdict"] if approved else None),
            "verdict_summary": claim["verdict_summary"] if approved else "",
            "verdict_summary_html": _html(claim["verdict_summary"], claim["verdict_summary_html"])
            if approved
            else "",
            "reviewed_on": reviewed.date().isoformat() if reviewed else None,
            "version": claim["version"],
            "counter_evidence": [
                {
                    "id": item["id"],
                    "stance": item["stance"],
                    "stance_label": stance_labels.get(item["stance"], item["stance"]),
                    "summary": item["summary"],
                    "summary_html": _html(item["summary"], item["summary_html"]),
                    "source_id": item["source_id"],
                }
                for item in evidence_by_claim.get(claim["id"], ())
            ],
        }

    return {
        "schema": SNAPSHOT_SCHEMA,
        "essay": {
            "id": essay.pk,
            "title": essay.title,
            "slug": essay.slug,
            "byline": essay.byline,
            "dek": essay.dek,
            "canonical_url": essay.canonical_url,
            "original_published_on": _iso(essay.original_published_on),
            "language": essay.language,
            "tags": [{"name": tag.name, "slug": tag.slug} for tag in essay.tags.all()],
        },
        "sections": [
            {
                "id": section.pk,
                "position": section.position,
                "heading": section.heading,
                "anchor": section.anchor,
                "body": section.body,
            }
            for section in sections
        ],
        "quotations": [
            {
                "id": q.pk,
                "section_id": q.section_id,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker": q.speaker.name if q.speaker_id else None,
                "speaker_description": q.speaker_description,
                "speaker_affiliation": q.speaker.affiliation if q.speaker_id else "",
                "outlet": q.outlet.name if q.outlet_id else None,
                "via": q.via.name if q.via_id else None,
                "source_id": q.source_id,
                "emphasis_added": q.emphasis_added,
                "is_scare_quote": q.is_scare_quote,
                "check": _public_check(q),
            }
            for q in quotations
        ],
        "claims": [claim_record(claim) for claim in claims],
        "sources": [
            _source_record(sources[source_id], numbers[source_id])
            for source_id in source_order
            if source_id in sources
        ],
    }


def _public_check(quotation: Quotation) -> QuoteCheckData | None:
    check = getattr(quotation, "source_check", None)
    if check is None or check.quoted_text != quotation.text:
        return None  # never checked, or checked before its words were edited
    status = check.effective_status
    if status in (QuotationCheck.Status.VERBATIM, QuotationCheck.Status.EDITED):
        return {"status": "checked", "original": ""}
    if (
        status == QuotationCheck.Status.ALTERED
        and check.confirmed_by_id
        and quotation.check_original
    ):
        return {"status": "altered", "original": quotation.check_original}
    return None


def verdict_counts(snapshot: Snapshot) -> dict[str, int]:
    """How many claims carry each verdict (and how many are under review), in display order."""
    counts = dict.fromkeys(ORDER, 0)
    for claim in snapshot["claims"]:
        counts[claim["verdict"] or UNDER_REVIEW] += 1
    return {key: n for key, n in counts.items() if n}


def stored_snapshot(data: object) -> Snapshot:
    """A snapshot read back from a revision's JSON, as the Snapshot type.

    Every revision stored so far has schema 1, the shape above; an unknown schema is
    refused rather than rendered wrong.
    """
    if not isinstance(data, dict) or data.get("schema") != SNAPSHOT_SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        raise ValueError(
            f"Unknown snapshot schema {schema!r}; this release reads {SNAPSHOT_SCHEMA}."
        )
    return cast(Snapshot, data)
