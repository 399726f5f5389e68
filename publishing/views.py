"""Public pages: read a live revision (or a list of them), render, cache. No rules here."""

from __future__ import annotations

import re

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from essays.models import Essay
from publishing import rendering, selectors, services
from publishing import search as public_search
from publishing.caching import (
    current_token,
    is_conditional,
    mark_public,
    public_page,
    vary_on_encoding,
)
from publishing.structured_data import (
    BEST_RATING,
    BY_VERDICT,
    RATINGS,
    WORST_RATING,
    site_url,
    verdict_label,
)

_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q\s*=\s*0(?:\.0*)?\s*(?:,|$))")


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the client's Accept-Encoding allows gzip (and does not refuse it with q=0)."""
    return bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _missing(request: HttpRequest, slug: str, route: str, **kwargs) -> HttpResponse:
    """No live revision at `slug`: moved (301), withdrawn (410) or never published (404)."""
    new_slug = selectors.current_slug_for_old_slug(slug=slug)
    if new_slug:
        return HttpResponsePermanentRedirect(reverse(route, kwargs={"slug": new_slug, **kwargs}))
    if selectors.was_ever_published(slug=slug):
        return render(request, "publishing/publishedrevision_gone.html", status=410)
    raise Http404("No essay is published at this address.")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        return render(
            request,
            "publishing/publishedrevision_list.html",
            {
                "revisions": selectors.live_revisions()[:50],
                "canonical": site_url(reverse("public:home")),
            },
        )

    return public_page(request, "home", build)


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored page, as stored: one query (page and generation together), no template,
    no (de)compression; a revalidation reads only the generation."""
    gzip_ok = accepts_gzip(request)
    key = f"article:{slug}:{'gzip' if gzip_ok else 'identity'}"
    if is_conditional(request):
        response = public_page(request, key, lambda: _article(request, slug, gzip_ok),
                               app_cache=False)  # fmt: skip
    elif found := selectors.live_article_page(slug=slug, gzipped=gzip_ok):
        page, token = found
        response = mark_public(_page_response(page, gzip_ok), token, key)
    else:  # moved, withdrawn or never published: read once, not twice
        response = mark_public(_missing(request, slug, "public:article"), current_token(), key)
    return vary_on_encoding(response)


def _page_response(page: bytes, gzipped: bool) -> HttpResponse:
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return response


def _article(request: HttpRequest, slug: str, gzipped: bool) -> HttpResponse:
    found = selectors.live_article_page(slug=slug, gzipped=gzipped)
    if found is None:
        return _missing(request, slug, "public:article")
    return _page_response(found[0], gzipped)


@require_safe
def claim(request: HttpRequest, slug: str, claim_id: int) -> HttpResponse:
    def build() -> HttpResponse:
        revision = selectors.live_revision_with_snapshot(slug=slug)
        if revision is None:
            return _missing(request, slug, "public:claim", claim_id=claim_id)
        context = rendering.render_claim_page_context(revision, claim_id)
        if context is None:
            raise Http404("This essay has no such claim.")
        return render(request, "publishing/claim_detail.html", context)

    return public_page(request, f"claim:{slug}:{claim_id}", build)


@require_safe
def bibliography(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> HttpResponse:
        revision = selectors.live_revision_with_snapshot(slug=slug)
        if revision is None:
            return _missing(request, slug, "public:bibliography")
        return render(
            request,
            "publishing/publishedrevision_bibliography.html",
            rendering.bibliography_context(revision),
        )

    return public_page(request, f"bibliography:{slug}", build)


@require_safe
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> HttpResponse:
        the_tag = get_object_or_404(Tag, slug=slug)
        revisions = list(selectors.live_revisions_tagged(tag_slug=slug)[:100])
        if not revisions:
            raise Http404("No published essay carries this tag.")
        return render(
            request,
            "publishing/publishedrevision_list.html",
            {
                "tag": the_tag,
                "revisions": revisions,
                "canonical": site_url(reverse("public:tag", kwargs={"slug": slug})),
            },
        )

    return public_page(request, f"tag:{slug}", build)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search the published essays, claims and sources: never a draft, note or unapproved
    evidence (the public index is built from published revisions only)."""
    form = public_search.SearchForm.from_query(request.GET)

    def build() -> HttpResponse:
        if form.page > public_search.MAX_PAGE:
            raise Http404("Search results go no deeper.")
        results = public_search.public_search(form)
        pages = -(-results.total // public_search.PAGE_SIZE)
        if form.page > 1 and form.page > pages:
            raise Http404("There is no such page of results.")
        response = render(
            request,
            "publishing/search.html",
            {
                "form": form,
                "results": results,
                "rows": [
                    (hit, verdict_label(hit.verdict or None) if hit.kind == "claim" else "")
                    for hit in results.hits
                ],  # fmt: skip
                "first": (form.page - 1) * public_search.PAGE_SIZE + 1,
                "pages": min(pages, public_search.MAX_PAGE),
                "kinds": public_search.KINDS,
                "verdicts": public_search.verdict_choices(),
                "canonical": site_url(reverse("public:search")),
            },
        )
        response["X-Robots-Tag"] = "noindex"  # result pages are not content
        return response

    # Validated by the public generation like every public page; not kept in the app's
    # page cache (anyone could fill it with queries).
    return public_page(request, f"search:{form.key}", build, app_cache=False)


@require_safe
def ratings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publishing/page_ratings.html",
        {"ratings": RATINGS, "scale": BY_VERDICT, "best": BEST_RATING, "worst": WORST_RATING},
    )


@require_safe
def corrections_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "publishing/page_corrections_policy.html")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = site_url(reverse("public:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Allow: /",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@staff_member_required
@require_safe
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff only: the current draft as readers would see it if it were published now."""
    if not request.user.has_perm("essays.view_essay"):
        # The same answer as for a missing essay: no way to learn which drafts exist.
        raise Http404("No essay here.")
    essay = get_object_or_404(Essay, slug=slug)
    rendered = services.essay_render_preview(essay=essay)  # never stored, never cached
    response = HttpResponse(rendered.page, content_type="text/html; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
