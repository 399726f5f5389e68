"""Public reads: the live revision at an address, lists of live revisions, a revision's
history. Everything readers get comes from published revisions, through these."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import QuerySet, Subquery

from essays.models import Essay
from publishing import structured_data
from publishing.models import PAGE_COLUMNS, PublicGeneration, PublishedRevision
from publishing.snapshot import stored_snapshot

_SLUG_PLACEHOLDER = "\x00slug\x00"
_compiled_page_sql: dict[tuple[str, str], tuple[str, tuple, int]] = {}


def live_article_page(*, slug: str, gzipped: bool) -> tuple[bytes, str] | None:
    """The stored page of the live revision at `slug` (gzipped, or not) and the public
    generation's token, in one query; None if no revision is live there.

    The hottest read on the site, so the SQL of `published().filter(slug=…)` is compiled
    once per database and column and reused with the slug as a parameter: the same query
    the ORM would run, without rebuilding it on every request. Only the page column is
    read, and it is sent as stored: nothing is compressed or decompressed per request.
    """
    connection = connections[router.db_for_read(PublishedRevision)]
    column = "page_gzip" if gzipped else "page_identity"
    compiled = _compiled_page_sql.get((connection.alias, column))
    if compiled is None:
        query = (
            PublishedRevision.objects.using(connection.alias)
            .published()
            .filter(slug=_SLUG_PLACEHOLDER)
            .annotate(token=Subquery(PublicGeneration.objects.filter(pk=1).values("token")))
            .values_list(column, "token")[:1]
            .query
        )
        sql, params = query.sql_with_params()
        compiled = (sql, params, params.index(_SLUG_PLACEHOLDER))
        _compiled_page_sql[(connection.alias, column)] = compiled
    sql, params, slug_index = compiled
    params = (*params[:slug_index], slug, *params[slug_index + 1 :])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None or row[1] is None else (bytes(row[0]), row[1])


def live_revision_with_snapshot(*, slug: str) -> PublishedRevision | None:
    """The live revision at `slug` with its snapshot (for claim and bibliography pages)."""
    return PublishedRevision.objects.published().filter(slug=slug).defer(*PAGE_COLUMNS).first()


def live_revision_of_essay(essay_id: int) -> PublishedRevision | None:
    live = PublishedRevision.objects.published().filter(essay_id=essay_id)
    return live.defer(*PAGE_COLUMNS).first()


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


def live_revisions() -> QuerySet[PublishedRevision]:
    """Published essays for lists and feeds, most recently first published first."""
    return PublishedRevision.objects.published().listing().order_by("-first_published_at", "-pk")


def live_revision_addresses() -> list[PublishedRevision]:
    """Slug, dates and reviewed claim ids of every live revision, for the sitemap (one query)."""
    return list(
        PublishedRevision.objects.published()
        .only("slug", "published_at", "claim_ids")
        .order_by("-first_published_at", "-pk")
    )


def live_revisions_tagged(*, tag_slug: str) -> QuerySet[PublishedRevision]:
    """Published essays whose published revision carries the tag `tag_slug`."""
    return live_revisions().filter(tags__slug=tag_slug)


def latest_revision(*, essay: Essay) -> PublishedRevision | None:
    """The essay's most recent revision, live or not (the base for corrections)."""
    return PublishedRevision.objects.filter(essay=essay).order_by("-number").first()


def live_revisions_with_snapshots(*, essay_slug: str | None = None) -> QuerySet[PublishedRevision]:
    """The live revision of every published essay (or of the essay now at `essay_slug`)
    with its snapshot and corrections, ordered by address: for the ClaimReview feed."""
    revisions = PublishedRevision.objects.published().defer(*PAGE_COLUMNS).order_by("slug", "pk")
    if essay_slug is not None:
        revisions = revisions.filter(essay__slug=essay_slug)
    return revisions


def live_claim_reviews(*, essay_slug: str | None = None) -> list[dict]:
    """The ClaimReview of every reviewed claim in the live revision of every published essay
    (or of the essay now at `essay_slug`): ordered by the essay's public address, then by
    position in the essay; the same objects those essays' pages carry. One query.

    Read from the published revisions only, never from Claim rows: a verdict approved or
    changed after the last publish appears here with the next publish, with its correction.
    """
    return [
        review
        for revision in live_revisions_with_snapshots(essay_slug=essay_slug)
        for review in structured_data.claim_reviews(
            stored_snapshot(revision.snapshot),
            first_published=revision.first_published_at.date().isoformat(),
            corrections=revision.corrections,
        )
    ]
