"""Turn a frozen snapshot into the public article: HTML for <head> and for the page body.

Called once per publish (and for staff previews), never per reader request: the result
is stored on the PublishedRevision row. Everything here reads only the snapshot, so a
revision renders the same way whatever has happened to the draft since.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from common import markup
from publishing.counts import claims_phrase
from publishing.fragments import citation, claim_marker, evidence_card, quote_citation
from publishing.models import PublishedRevision
from publishing.snapshot import (
    ClaimData,
    QuotationData,
    SectionData,
    Snapshot,
    stored_snapshot,
)
from publishing.structured_data import (
    BY_VERDICT,
    ORDER,
    UNDER_REVIEW,
    article_path,
    article_schema,
    author_name,
    claim_path,
    claim_paths,
    claim_review,
    site_url,
    verdict_label,
)

CLOSING_QUOTES = "”’\"'»›"
RTL_LANGUAGES = {"ar", "arc", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"}


def safe_url(url: str | None) -> str:
    """`url` if it is an http(s) address, else "": imports may bypass URL validation."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def prepare_sources(snapshot: Snapshot) -> dict[int, dict]:
    """The snapshot's sources by id, with dates as dates, only http(s) links kept, and
    each one's citation (built once, however many items cite it)."""
    sources = {}
    for source in snapshot["sources"]:
        prepared = {
            **source,
            "url": safe_url(source["url"]),
            "archived_url": safe_url(source["archived_url"]),
            "published_date": date.fromisoformat(source["published_on"])
            if source["published_on"]
            else None,
        }
        sources[source["id"]] = {**prepared, "citation": citation(prepared)}
    return sources


def _bibliography(snapshot: Snapshot, sources: dict[int, dict]) -> list[dict]:
    """Sources in bibliography order, each with the people the essay quotes from it."""
    speakers: dict[int, list[str]] = {}
    for quote in snapshot["quotations"]:
        if quote["source_id"] and quote["speaker"]:
            names = speakers.setdefault(quote["source_id"], [])
            if quote["speaker"] not in names:
                names.append(quote["speaker"])
    return [{**source, "speakers": speakers.get(sid, [])} for sid, source in sources.items()]


def _dated(entries: list[dict]) -> list[dict]:
    return [{**entry, "date": date.fromisoformat(entry["date"])} for entry in entries]


@dataclass(frozen=True)
class RenderedArticle:
    head_html: str
    article_html: str
    page: bytes  # the complete HTML document, UTF-8, as served to readers

    def page_gzip(self) -> bytes:
        """The page as stored and sent to browsers that accept gzip: smallest, and the same
        bytes for the same page (no timestamp in the header)."""
        return gzip.compress(self.page, compresslevel=9, mtime=0)


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def json_ld(data: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> block that text cannot break out of."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - every <, > and & is escaped above


# Past about three lines of text a claim is marked by a tint and a rule, not an underline.
LONG_CLAIM_CHARACTERS = 240


class _Decorations:
    """The inline markup for claims and quotations in one section."""

    def __init__(
        self, claims: dict[int, ClaimData], quotes: dict[int, QuotationData], sources: dict
    ) -> None:
        self.claims, self.quotes, self.sources = claims, quotes, sources

    def open(self, kind: str, ident: int) -> str:
        if kind == "claim":
            claim = self.claims[ident]
            verdict = claim["verdict"] or UNDER_REVIEW
            long = " claim-long" if len(claim["exact"]) > LONG_CLAIM_CHARACTERS else ""
            return f'<mark class="claim-text verdict-{verdict}{long}">'
        return '<q class="quotation" dir="auto">'

    def close(self, kind: str, ident: int) -> str:
        return "</mark>" if kind == "claim" else "</q>"

    def after(self, kind: str, ident: int) -> str:
        if kind == "claim":
            return claim_marker(self.claims[ident])
        quote = self.quotes[ident]
        return quote_citation(quote, self.sources.get(quote["source_id"]))


def _marks_for(
    section: SectionData, claims: list[ClaimData], quotes: list[QuotationData]
) -> list[markup.Mark]:
    body = section["body"]
    marks = []
    for quote in quotes:
        start = markup.anchor_span(
            body, exact=quote["text"], start=quote["start"], end=quote["end"]
        )
        if start is not None:
            end = start + len(quote["text"])
            # The citation goes after the closing quotation mark, not before it.
            while (
                end < len(body)
                and body[end] in CLOSING_QUOTES
                and end - start < len(quote["text"]) + 2
            ):
                end += 1
            marks.append(markup.Mark("quote", quote["id"], start, end))
    for claim in claims:
        start = markup.anchor_span(
            body,
            exact=claim["exact"],
            start=claim["start"],
            end=claim["end"],
            prefix=claim["prefix"],
        )
        if start is None:  # the words are gone: the marker still appears, at the section end
            marks.append(markup.Mark("claim", claim["id"], len(body) + 1, len(body) + 2))
        else:
            marks.append(markup.Mark("claim", claim["id"], start, start + len(claim["exact"])))
    return marks


def _stored_html(data: Mapping[str, Any], field: str) -> SafeString:
    """`field`'s HTML as the snapshot stores it (sanitised when its row was saved); from
    the Markdown for snapshots stored before the HTML was."""
    html = data.get(f"{field}_html")
    return mark_safe(markup.render_markdown(data[field]) if html is None else html)  # noqa: S308


def _evidence_items(claim: ClaimData, sources: dict[int, dict]) -> list[dict]:
    return [
        {**item, "summary_html": _stored_html(item, "summary"),
         "source": sources.get(item["source_id"])}
        for item in claim["counter_evidence"]
    ]  # fmt: skip


def prepare_claim(
    claim: ClaimData,
    sources: dict[int, dict],
    *,
    permalink: str,
    corrections: list[dict] = (),
) -> dict:
    """A claim from the snapshot with what its evidence card shows: stored HTML marked
    safe, sources, its permalink and its corrections."""
    return {
        **claim,
        "verdict_key": claim["verdict"] or UNDER_REVIEW,
        "verdict_meaning": BY_VERDICT[claim["verdict"]].meaning if claim["verdict"] else "",
        "verdict_summary_html": _stored_html(claim, "verdict_summary"),
        "evidence": _evidence_items(claim, sources),
        "permalink": permalink,
        "reviewed_date": date.fromisoformat(claim["reviewed_on"]) if claim["reviewed_on"] else None,
        "corrections": [entry for entry in corrections if entry["claim_id"] == claim["id"]],
    }


def _same_words(a: str, b: str) -> bool:
    """Whether two wordings say the same thing, ignoring case, spacing, quotes and end stops."""

    def words(text: str) -> str:
        return " ".join(text.casefold().split()).strip(" \"'“”‘’«».,;:!?")

    return words(a) == words(b)


def claim_wording(claim: ClaimData) -> dict[str, str]:
    """What the claim page shows, each wording once: the claim whole as its heading, the
    essay's own words when they differ from it, and the restatement when it differs from both.
    A short statement cut with an ellipsis is never the heading: the whole claim is."""
    short, statement, exact = (claim["short_statement"].strip(), claim["statement"].strip(),
                               claim["exact"].strip())  # fmt: skip
    cut = short.endswith(("…", "...")) or not short
    heading = (statement or exact) if cut else short
    quote = "" if _same_words(exact, heading) else exact
    restated = (
        "" if not statement or _same_words(statement, heading) or _same_words(statement, exact)
        else statement
    )  # fmt: skip
    return {"heading": heading, "quote": quote, "restated": restated}


def summary_bar(counts: dict[str, int]) -> dict[str, Any]:
    """The fact-check summary as data for the template: segments with widths in percent."""
    total = sum(counts.values())
    segments, offset = [], 0.0
    for key in ORDER:
        n = counts.get(key, 0)
        if not n:
            continue
        width = 100.0 * n / total
        segments.append(
            {"key": key, "label": verdict_label(None if key == UNDER_REVIEW else key),
             "count": n, "x": round(offset, 3), "width": round(width, 3)}
        )  # fmt: skip
        offset += width
    return {"total": total, "segments": segments, "phrase": claims_phrase(counts)}


def render_article(
    snapshot: Snapshot,
    *,
    number: int,
    published_at: datetime,
    first_published_at: datetime,
    corrections: list[dict],
    counts: dict[str, int],
    preview: bool = False,
) -> RenderedArticle:
    """Render the article page body and its <head> metadata from a snapshot.

    The body carries every claim marker (data-claim) and every claim's evidence section
    (data-evidence-for) right after the block the claim ends in; the head carries the
    canonical link, OpenGraph tags and the Article JSON-LD (ClaimReviews are on permalinks).
    """
    essay = snapshot["essay"]
    slug = essay["slug"]
    sources = prepare_sources(snapshot)
    dated_corrections = _dated(corrections)
    claims_by_section: dict[int, list[dict]] = {}
    for claim in snapshot["claims"]:
        claims_by_section.setdefault(claim["section_id"], []).append(claim)
    quotes_by_section: dict[int, list[dict]] = {}
    for quote in snapshot["quotations"]:
        quotes_by_section.setdefault(quote["section_id"], []).append(quote)
    claims = {claim["id"]: claim for claim in snapshot["claims"]}
    quotes = {quote["id"]: quote for quote in snapshot["quotations"]}
    decorations = _Decorations(claims, quotes, sources)
    permalink = claim_paths(slug)
    cards = {
        cid: evidence_card(
            prepare_claim(claim, sources, permalink=permalink(cid), corrections=dated_corrections)
        )
        for cid, claim in claims.items()
    }

    sections = []
    for section in snapshot["sections"]:
        section_claims = claims_by_section.get(section["id"], [])
        blocks = markup.render_marked(
            section["body"],
            _marks_for(section, section_claims, quotes_by_section.get(section["id"], [])),
            markup.Decorations(decorations.open, decorations.close, decorations.after),
        )
        sections.append(
            {
                **section,
                "blocks": [
                    {"html": mark_safe(block.html),  # noqa: S308 - built by markup from sanitized HTML
                     "evidence": mark_safe("".join(cards[cid] for cid in block.claim_ids))}  # noqa: S308
                    for block in blocks
                ],
            }
        )  # fmt: skip

    bibliography = _bibliography(snapshot, sources)

    # The Article only: each claim's ClaimReview lives on its permalink (search engines read
    # one per page), which every evidence card links to.
    graph = [
        article_schema(
            snapshot,
            first_published=first_published_at.isoformat(),
            published=published_at.isoformat(),
        ),
    ]
    context = {
        "essay": {**essay, "canonical_url_safe": safe_url(essay["canonical_url"])},
        "author": author_name(essay["byline"]),
        "direction": text_direction(essay["language"]),
        "number": number,
        "published_at": published_at,
        "first_published_at": first_published_at,
        "sections": sections,
        "summary": summary_bar(counts),
        "corrections": [
            {
                **entry,
                "permalink": permalink(entry["claim_id"]) if entry["claim_id"] in claims else None,
            }
            for entry in dated_corrections
        ],  # fmt: skip
        "bibliography": bibliography,
        # A draft's preview has no sources page of its own (that page shows the live revision).
        "bibliography_url": ""
        if preview
        else reverse("public:bibliography", kwargs={"slug": slug}),
        # An essay first published elsewhere names that page as the original.
        "canonical": safe_url(essay["canonical_url"]) or site_url(article_path(slug)),
        "json_ld": json_ld(graph),
        "organisation": settings.COUNTERPOINT_ORGANISATION,
        "preview": preview,
        "slug": slug,
    }
    head_html = render_to_string("publishing/partials/article_head.html", context)
    article_html = render_to_string("publishing/partials/article_body.html", context)
    page = render_to_string(
        "publishing/publishedrevision_detail.html",
        {
            "language": essay["language"],
            "title": essay["title"],
            "preview": preview,
            "head_html": mark_safe(head_html),  # noqa: S308 - rendered by our own templates
            "article_html": mark_safe(article_html),  # noqa: S308
        },
    )
    return RenderedArticle(head_html, article_html, page.encode("utf-8"))


def bibliography_context(revision: PublishedRevision) -> dict:
    """Context for an essay's bibliography page, from a live revision's snapshot."""
    snapshot = stored_snapshot(revision.snapshot)
    essay = snapshot["essay"]
    return {
        "essay": essay,
        "bibliography": _bibliography(snapshot, prepare_sources(snapshot)),
        "article_url": article_path(essay["slug"]),
        "canonical": site_url(reverse("public:bibliography", kwargs={"slug": essay["slug"]})),
    }


def render_claim_page_context(revision: PublishedRevision, claim_id: int) -> dict | None:
    """Context for one claim's permalink page, from a live revision's snapshot; None if absent."""
    snapshot = stored_snapshot(revision.snapshot)
    claim = next((c for c in snapshot["claims"] if c["id"] == claim_id), None)
    if claim is None:
        return None
    essay = snapshot["essay"]
    corrections = [e for e in _dated(revision.corrections) if e["claim_id"] == claim_id]
    prepared = prepare_claim(
        claim, prepare_sources(snapshot), permalink=claim_path(essay["slug"], claim_id)
    )
    structured = (
        json_ld(
            claim_review(
                snapshot,
                claim,
                first_published=revision.first_published_at.date().isoformat(),
                corrections=revision.corrections,
            )
        )
        if claim["verdict"]
        else ""
    )
    return {
        "revision": revision,
        "essay": essay,
        "author": author_name(essay["byline"]),
        "claim": prepared,
        "evidence": evidence_card(prepared, standalone=True),
        "wording": claim_wording(claim),
        "section": next((s for s in snapshot["sections"] if s["id"] == claim["section_id"]), None),
        "corrections": corrections,
        "json_ld": structured,
        "canonical": site_url(claim_path(essay["slug"], claim_id)),
        "article_url": article_path(essay["slug"]),
        "direction": text_direction(essay["language"]),
    }
