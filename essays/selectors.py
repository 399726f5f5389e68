"""Reads, each with its queries bounded: for the admin's essay and claim pages, and for the
public site and publishing (what readers may see, and nothing else)."""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import Count, Prefetch

from essays.models import Claim, Essay, PublishedRevision, Quotation, Section
from essays.ratings import ORDER, UNDER_REVIEW, verdict_label
from review.choices import ClaimStatus, Stance
from review.forms import TransitionForm, reviewers
from review.models import CounterEvidence
from review.workflow import available_actions, can_publish
from sources.models import Source

SNAPSHOT_SCHEMA = 1


def _short(text: str, limit: int = 74) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _source_record(source: Source, number: int) -> dict[str, Any]:
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


def essay_snapshot(*, essay: Essay) -> dict[str, Any]:
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
        .select_related("speaker", "outlet", "via")
        .order_by("section__position", "start", "pk")
    )
    public_evidence = CounterEvidence.objects.published().order_by("position", "pk")
    claims = list(
        Claim.objects.filter(section__essay=essay)
        .prefetch_related(Prefetch("counter_evidence", queryset=public_evidence))
        .order_by("section__position", "start", "pk")
    )
    approved_ids = {c.pk for c in claims if c.status == ClaimStatus.APPROVED and c.verdict}

    # Bibliography numbers follow first appearance: quotations, then counter-evidence.
    source_order: list[int] = []
    for quotation in quotations:
        if quotation.source_id and quotation.source_id not in source_order:
            source_order.append(quotation.source_id)
    for claim in claims:
        for item in claim.counter_evidence.all():
            if item.source_id not in source_order:
                source_order.append(item.source_id)
    sources = Source.objects.with_related().in_bulk(source_order)
    numbers = {source_id: n for n, source_id in enumerate(source_order, start=1)}
    stance_labels = dict(Stance.choices)

    def claim_record(claim: Claim) -> dict[str, Any]:
        approved = claim.pk in approved_ids
        reviewed = (claim.reviewed_at or claim.updated_at) if approved else None
        return {
            "id": claim.pk,
            "section_id": claim.section_id,
            "start": claim.start,
            "end": claim.end,
            "exact": claim.exact,
            "prefix": claim.prefix,
            "statement": claim.statement or claim.exact,
            "short_statement": _short(claim.short_statement or claim.statement or claim.exact),
            "verdict": claim.verdict if approved else None,
            "verdict_label": verdict_label(claim.verdict if approved else None),
            "verdict_summary": claim.verdict_summary if approved else "",
            "reviewed_on": reviewed.date().isoformat() if reviewed else None,
            "version": claim.version,
            "counter_evidence": [
                {
                    "id": item.pk,
                    "stance": item.stance,
                    "stance_label": stance_labels.get(item.stance, item.stance),
                    "summary": item.summary,
                    "source_id": item.source_id,
                }
                for item in claim.counter_evidence.all()
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
                "speaker_affiliation": q.speaker.affiliation if q.speaker_id else "",
                "outlet": q.outlet.name if q.outlet_id else None,
                "via": q.via.name if q.via_id else None,
                "source_id": q.source_id,
                "emphasis_added": q.emphasis_added,
                "is_scare_quote": q.is_scare_quote,
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


def verdict_counts(snapshot: dict[str, Any]) -> dict[str, int]:
    """How many claims carry each verdict (and how many are under review), in display order."""
    counts = dict.fromkeys(ORDER, 0)
    for claim in snapshot["claims"]:
        counts[claim["verdict"] or UNDER_REVIEW] += 1
    return {key: n for key, n in counts.items() if n}


_SLUG_PLACEHOLDER = "\x00slug\x00"
_compiled_page_sql: dict[str, tuple[str, tuple, int]] = {}


def live_article_page_gzip(*, slug: str) -> bytes | None:
    """The stored, gzipped page of the live revision at `slug` in one query; None if none.

    The hottest read on the site, so the SQL of `published().filter(slug=…)` is compiled
    once per database and reused with the slug as a parameter: the same query the ORM
    would run, without rebuilding it on every request. Only the page column is read.
    """
    connection = connections[router.db_for_read(PublishedRevision)]
    compiled = _compiled_page_sql.get(connection.alias)
    if compiled is None:
        query = (
            PublishedRevision.objects.using(connection.alias)
            .published()
            .filter(slug=_SLUG_PLACEHOLDER)
            .values_list("page_gzip")[:1]
            .query
        )
        sql, params = query.sql_with_params()
        compiled = (sql, params, params.index(_SLUG_PLACEHOLDER))
        _compiled_page_sql[connection.alias] = compiled
    sql, params, slug_index = compiled
    params = (*params[:slug_index], slug, *params[slug_index + 1 :])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else bytes(row[0])


def live_revision_with_snapshot(*, slug: str) -> PublishedRevision | None:
    """The live revision at `slug` with its snapshot (for claim and bibliography pages)."""
    return PublishedRevision.objects.published().filter(slug=slug).defer("page_gzip").first()


def current_slug_for_old_slug(*, slug: str) -> str | None:
    """If `slug` belonged to an essay now published under another slug, that new slug."""
    essay_ids = PublishedRevision.objects.filter(slug=slug).values("essay_id")
    live = (
        PublishedRevision.objects.published()
        .filter(essay_id__in=essay_ids)
        .values_list("slug", flat=True)
        .first()
    )
    return live if live and live != slug else None


def was_ever_published(*, slug: str) -> bool:
    """Whether readers could once read an essay at `slug` (so it is gone, not missing)."""
    return PublishedRevision.objects.filter(slug=slug).exists()


def live_revisions() -> Any:
    """Published essays for lists and feeds, most recently first published first."""
    return PublishedRevision.objects.published().listing().order_by("-first_published_at", "-pk")


def live_revision_addresses() -> list[PublishedRevision]:
    """Slug, dates and reviewed claim ids of every live revision, for the sitemap (one query)."""
    return list(
        PublishedRevision.objects.published()
        .only("slug", "published_at", "claim_ids")
        .order_by("-first_published_at", "-pk")
    )


def live_revisions_tagged(*, tag_slug: str) -> Any:
    """Published essays whose published revision carries the tag `tag_slug`."""
    return live_revisions().filter(tags__slug=tag_slug)


def latest_revision(*, essay: Essay) -> PublishedRevision | None:
    """The essay's most recent revision, live or not (the base for corrections)."""
    return PublishedRevision.objects.filter(essay=essay).order_by("-number").first()


# The admin's essay and claim pages.

CONTEXT_CHARS = 280


def claim_context(claim: Claim) -> dict:
    """The claim's words with the text around them in its section, for reading it in place."""
    body = claim.section.body
    start, end = claim.start, claim.end
    if body[start:end] != claim.exact:  # the section was edited since: fall back to a search
        found = body.find(claim.exact)
        start, end = (found, found + len(claim.exact)) if found >= 0 else (0, 0)
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    return {
        "before": ("…" if start > CONTEXT_CHARS else "") + before,
        "exact": body[start:end] or claim.exact,
        "after": after + ("…" if end + CONTEXT_CHARS < len(body) else ""),
        "anchored": body[claim.start : claim.end] == claim.exact,
    }


def claim_workflow_context(claim: Claim, user) -> dict:
    """Everything the claim page's review panel shows: context, moves, history."""
    return {
        "claim_obj": claim,
        "claim_context": claim_context(claim),
        "transitions": available_actions(claim, user),
        "transition_form": TransitionForm(
            initial={"expected_version": claim.version, "verdict_summary": claim.verdict_summary}
        ),
        "reviewer_choices": reviewers(),
        "status_changes": claim.status_changes.select_related("actor").order_by("created_at", "pk"),
    }


def essay_review_summary(essay: Essay) -> dict:
    """Claim counts by status (for the progress bar) and the publish gate's answer."""
    counts = dict(
        Claim.objects.filter(section__essay=essay)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    rows = [
        {
            "status": status.value,
            "label": status.label,
            "count": counts.get(status.value, 0),
            "percent": round(100 * counts.get(status.value, 0) / total, 1) if total else 0,
        }
        for status in ClaimStatus
    ]
    return {"total": total, "by_status": rows, "check": can_publish(essay)}
