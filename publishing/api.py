"""The read API (django-ninja): published essays, claims and search, for other tools.

Everything comes from live published revisions and the public search index, exactly
what the public pages show; nothing here reads a draft, a note or unapproved evidence.
Responses are validated like the pages (ETag and Last-Modified from the public
generation, so a conditional GET is a 304), open to any origin for GET (CORS, see
settings), and rate-limited per client (COUNTERPOINT_API_RATE). The OpenAPI schema is
at /api/openapi.json, its documentation at /api/docs.
"""

from __future__ import annotations

import math
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle
from pydantic import Field

from publishing import search as public_search
from publishing import selectors
from publishing.caching import public_page
from publishing.models import PublishedRevision
from publishing.snapshot import ClaimData, Snapshot, stored_snapshot
from publishing.structured_data import article_path, claim_paths, site_url, verdict_label
from search import index
from search.index import PUBLIC

PAGE_SIZE = 20


class ClientRateThrottle(AnonRateThrottle):
    """Requests per client address (behind TRUSTED_PROXY_COUNT proxies, the address the
    outermost one saw, as NINJA_NUM_PROXIES says), at the rate settings give now."""

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.COUNTERPOINT_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="Counterpoint read API",
    version="1",
    description="Published essays and fact-checks: every claim with its verdict and the "
    "approved counter-evidence against it, with sources. Read-only; built from published "
    "revisions only.",
    urls_namespace="api",
    throttle=[ClientRateThrottle("60/m")],
)


# -- shapes -------------------------------------------------------------------------------


class Tag(Schema):
    name: str
    slug: str


class SourceRef(Schema):
    id: int
    number: int = Field(description="Its number in the essay's bibliography.")
    title: str
    url: str
    outlet: str | None


class Source(SourceRef):
    kind: str
    kind_label: str
    outlet_url: str
    authors: list[str]
    archived_url: str
    published_on: str | None


class Section(Schema):
    id: int
    position: int
    heading: str
    anchor: str
    body: str = Field(description="Markdown.")


class Quotation(Schema):
    id: int
    section_id: int
    text: str
    speaker: str | None
    speaker_description: str
    speaker_affiliation: str
    outlet: str | None
    via: str | None
    source: SourceRef | None
    check: Literal["checked", "altered"] | None = Field(
        description="Checked against its source: found as quoted, or altered."
    )


class CounterEvidence(Schema):
    id: int
    stance: str
    stance_label: str
    summary: str = Field(description="Markdown.")
    summary_html: str
    source: SourceRef | None


class Claim(Schema):
    id: int
    section_id: int
    statement: str
    exact: str = Field(description="The claim's words as printed in the essay.")
    verdict: str | None = Field(description="None while the claim is under review.")
    verdict_label: str
    verdict_summary: str = Field(description="Markdown.")
    verdict_summary_html: str
    reviewed_on: str | None
    url: str
    counter_evidence: list[CounterEvidence]


class Correction(Schema):
    date: str
    revision: int
    kind: str
    is_correction: bool
    claim_id: int
    claim: str
    text: str


class EssaySummary(Schema):
    slug: str
    title: str
    byline: str
    dek: str
    language: str
    url: str
    revision: int
    published_at: str
    first_published_at: str
    tags: list[Tag]
    verdict_counts: dict[str, int]


class EssayPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EssaySummary]


class Essay(EssaySummary):
    canonical_url: str
    original_published_on: str | None
    sections: list[Section]
    quotations: list[Quotation]
    claims: list[Claim]
    sources: list[Source]
    corrections: list[Correction]


class EssayRef(Schema):
    slug: str
    title: str
    url: str


class ClaimInEssay(Claim):
    essay: EssayRef


class SearchHit(Schema):
    kind: Literal["essay", "claim", "source"]
    id: int
    title: str
    url: str
    verdict: str | None
    verdict_label: str | None
    snippet: str = Field(description="HTML: the text around the match, matches in <mark>.")


class SearchPage(Schema):
    query: str
    count: int
    page: int
    pages: int
    results: list[SearchHit]


class Problem(Schema):
    detail: str


# -- building -----------------------------------------------------------------------------


def _json(schema: type[Schema], data) -> JsonResponse:
    """`data` validated against `schema`, as the response the schema documents."""
    return JsonResponse(
        schema.model_validate(data).model_dump(mode="json"),
        json_dumps_params={"ensure_ascii": False},
    )


def _summary(revision: PublishedRevision) -> dict:
    return {
        "slug": revision.slug,
        "title": revision.title,
        "byline": revision.byline,
        "dek": revision.dek,
        "language": revision.language,
        "url": site_url(article_path(revision.slug)),
        "revision": revision.number,
        "published_at": revision.published_at.isoformat(),
        "first_published_at": revision.first_published_at.isoformat(),
        "tags": [{"name": t.name, "slug": t.slug} for t in revision.tags.all()],
        "verdict_counts": revision.verdict_counts,
    }


def _source_refs(snapshot: Snapshot) -> dict[int, dict]:
    return {
        s["id"]: {key: s[key] for key in ("id", "number", "title", "url", "outlet")}
        for s in snapshot["sources"]
    }


def _claim(claim: ClaimData, refs: dict[int, dict], path) -> dict:
    return {
        **{key: claim[key] for key in ("id", "section_id", "statement", "exact", "verdict",
                                        "verdict_label", "verdict_summary", "reviewed_on")},
        "verdict_summary_html": claim.get("verdict_summary_html", ""),
        "url": site_url(path(claim["id"])),
        "counter_evidence": [
            {**item, "summary_html": item.get("summary_html", ""),
             "source": refs.get(item["source_id"])}
            for item in claim["counter_evidence"]
        ],
    }  # fmt: skip


def _essay(revision: PublishedRevision) -> dict:
    snapshot = stored_snapshot(revision.snapshot)
    refs, path = _source_refs(snapshot), claim_paths(revision.slug)
    essay = snapshot["essay"]
    return {
        **_summary(revision),
        "canonical_url": essay["canonical_url"],
        "original_published_on": essay["original_published_on"],
        "sections": snapshot["sections"],
        "quotations": [
            {
                **q,
                "speaker_description": q.get("speaker_description", ""),
                "source": refs.get(q["source_id"]),
                "check": (q.get("check") or {}).get("status"),
            }
            for q in snapshot["quotations"]
        ],
        "claims": [_claim(claim, refs, path) for claim in snapshot["claims"]],
        "sources": snapshot["sources"],
        "corrections": revision.corrections,
    }


def _page_number(page: int, count: int) -> tuple[int, int]:
    pages = max(1, math.ceil(count / PAGE_SIZE))
    if page > pages:
        raise HttpError(404, f"There is no page {page}; there are {pages}.")
    return (page - 1) * PAGE_SIZE, pages


# -- endpoints ----------------------------------------------------------------------------


@api.get("/essays/", response={200: EssayPage, 404: Problem}, summary="Published essays")
def essays(
    request: HttpRequest,
    tag: str | None = Query(None, description="Only essays with this tag (its slug)."),
    page: int = Query(1, ge=1, le=10_000),
) -> HttpResponse:
    """The published essays, newest first, twenty a page."""

    def build() -> HttpResponse:
        revisions = (
            selectors.live_revisions_tagged(tag_slug=tag) if tag else selectors.live_revisions()
        )
        count = revisions.count()
        offset, pages = _page_number(page, count)
        rows = [_summary(r) for r in revisions[offset : offset + PAGE_SIZE]]
        return _json(EssayPage, {"count": count, "page": page, "pages": pages, "results": rows})

    return public_page(request, f"api:essays:{tag}:{page}", build, app_cache=False)


@api.get("/essays/{slug}/", response={200: Essay, 404: Problem}, summary="One published essay")
def essay(request: HttpRequest, slug: str) -> HttpResponse:
    """The essay as published: sections, quotations with speaker, outlet and source,
    claims with their verdicts and approved counter-evidence, sources, corrections."""

    def build() -> HttpResponse:
        revision = selectors.live_revision_with_snapshot(slug=slug)
        if revision is None:
            raise Http404
        return _json(Essay, _essay(revision))

    return public_page(request, f"api:essay:{slug}", build)


@api.get("/claims/{claim_id}/", response={200: ClaimInEssay, 404: Problem},
         summary="One published claim")  # fmt: skip
def claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    """A claim of a published essay, with its verdict and approved counter-evidence."""

    def build() -> HttpResponse:
        essay_id = index.essay_of(PUBLIC, "claim", claim_id)
        revision = selectors.live_revision_of_essay(essay_id) if essay_id else None
        if revision is None:
            raise Http404
        snapshot = stored_snapshot(revision.snapshot)
        found = next((c for c in snapshot["claims"] if c["id"] == claim_id), None)
        if found is None:
            raise Http404
        data = _claim(found, _source_refs(snapshot), claim_paths(revision.slug))
        essay_ref = {"slug": revision.slug, "title": revision.title,
                     "url": site_url(article_path(revision.slug))}  # fmt: skip
        return _json(ClaimInEssay, {**data, "essay": essay_ref})

    return public_page(request, f"api:claim:{claim_id}", build)


@api.get("/search/", response={200: SearchPage, 404: Problem}, summary="Search")
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=200),
    kind: Literal["essay", "claim", "source"] | None = None,
    verdict: str | None = None,
    tag: str | None = None,
    page: int = Query(1, ge=1, le=public_search.MAX_PAGE),
) -> HttpResponse:
    """Published essays, claims and sources matching `q`: words are all required,
    "quoted phrases" must appear as written, -word excludes."""
    form = public_search.SearchForm.from_query(request.GET)

    def build() -> HttpResponse:
        results = public_search.public_search(form, page_size=PAGE_SIZE)
        offset, pages = _page_number(form.page, results.total)
        hits = [
            {
                "kind": hit.kind,
                "id": hit.object_id,
                "title": hit.title,
                "url": site_url(hit.url),
                "verdict": (hit.verdict or None) if is_claim else None,
                "verdict_label": verdict_label(hit.verdict or None) if is_claim else None,
                "snippet": str(hit.snippet),
            }
            for hit in results.hits
            for is_claim in [hit.kind == "claim"]
        ]
        data = {"query": form.q, "count": results.total, "page": form.page, "pages": pages,
                "results": hits}  # fmt: skip
        return _json(SearchPage, data)

    return public_page(request, f"api:search:{form.key}", build, app_cache=False)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
