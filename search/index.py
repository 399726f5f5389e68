"""The search service: write documents to the index, and search it, on either database.

Apps describe their rows as `Document`s and call `replace` when they change and `remove`
when they go; `search` answers a query in one scope with ranked, highlighted hits. The
same calls run on PostgreSQL (tsvector, GIN, ts_rank, ts_headline, pg_trgm) and SQLite
(FTS5, bm25, snippet); search.query makes the query itself the same on both.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connections, router
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest, Lower
from django.utils.safestring import SafeString, mark_safe

from search.models import Entry
from search.query import Query, parse, to_fts5, to_tsquery  # noqa: F401 (parse: for callers)

PUBLIC, STAFF = Entry.Scope.PUBLIC, Entry.Scope.STAFF
CONFIG = "english"
# Highlight marks inside the engines' snippets, made HTML only after escaping the text.
_OPEN, _CLOSE = "\x02", "\x03"
_CONTROL = str.maketrans("", "", _OPEN + _CLOSE)
MAX_BODY = 200_000  # characters of one document's body that are indexed


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    title: str
    body: str = ""
    url: str = ""
    essay_id: int | None = None
    verdict: str = ""
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    essay_id: int | None
    title: str
    url: str
    verdict: str
    tags: list[str]
    snippet: SafeString
    rank: float


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    query: Query = field(default_factory=lambda: parse(""))


def _vendor() -> str:
    return connections[router.db_for_write(Entry)].vendor


def _clean(text: str) -> str:
    return (text or "").translate(_CONTROL)


# Writing ---------------------------------------------------------------------------------


def replace(
    scope: str,
    documents: Iterable[Document],
    *,
    kind: str | None = None,
    object_ids: Iterable[int] = (),
    essay_id: int | None = None,
) -> None:
    """Put `documents` in the index, removing first what they replace: the given `kind`
    and `object_ids`, or everything of `essay_id` (call inside the writer's transaction)."""
    if essay_id is not None:
        _delete(Entry.objects.filter(scope=scope, essay_id=essay_id))
    if kind is not None:
        remove(scope, kind, object_ids)
    rows = [
        Entry(
            scope=scope,
            kind=doc.kind,
            object_id=doc.object_id,
            essay_id=doc.essay_id,
            title=_clean(doc.title)[:2000],
            body=_clean(doc.body)[:MAX_BODY],
            url=doc.url[:1000],
            verdict=doc.verdict or "",
            tags="".join(f" {tag}" for tag in doc.tags) + " " if doc.tags else "",
        )
        for doc in documents
    ]
    if not rows:
        return
    created = Entry.objects.bulk_create(rows, batch_size=500)
    ids = [row.pk for row in created]
    if None in ids:  # a backend that does not return ids (none of ours): read them back
        raise RuntimeError("The database did not return the new search entries' ids.")
    _write_text(ids, created)


def remove(scope: str, kind: str, object_ids: Iterable[int]) -> None:
    ids = list(object_ids)
    if ids:
        _delete(Entry.objects.filter(scope=scope, kind=kind, object_id__in=ids))


def clear(scope: str, kinds: Iterable[str] | None = None) -> None:
    entries = Entry.objects.filter(scope=scope)
    _delete(entries.filter(kind__in=list(kinds)) if kinds is not None else entries)


def _delete(entries: QuerySet) -> None:
    if _vendor() == "sqlite":
        ids = list(entries.values_list("pk", flat=True))
        with connections[router.db_for_write(Entry)].cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_entry_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
        Entry.objects.filter(pk__in=ids).delete() if ids else None
    else:
        entries.delete()


def _write_text(ids: list[int], rows: list[Entry]) -> None:
    if _vendor() == "sqlite":
        with connections[router.db_for_write(Entry)].cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_entry_fts(rowid, title, body) VALUES (%s, %s, %s)",
                [(row.pk, row.title, row.body) for row in rows],
            )
    else:
        Entry.objects.filter(pk__in=ids).update(
            vector=SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("body", weight="B", config=CONFIG)
        )


def indexed_title(scope: str, kind: str, object_id: int) -> str | None:
    return (
        Entry.objects.filter(scope=scope, kind=kind, object_id=object_id)
        .values_list("title", flat=True)
        .first()
    )


def essay_of(scope: str, kind: str, object_id: int) -> int | None:
    """The essay an indexed row belongs to (a published claim's, for the read API)."""
    return (
        Entry.objects.filter(scope=scope, kind=kind, object_id=object_id)
        .values_list("essay_id", flat=True)
        .first()
    )


# Searching -------------------------------------------------------------------------------


def search(
    scope: str,
    text: str | Query,
    *,
    kinds: Sequence[str] | None = None,
    verdict: str | None = None,
    tag: str | None = None,
    essay_id: int | None = None,
    exclude_essay_id: int | None = None,
    reviewed_only: bool = False,
    names: bool = False,
    offset: int = 0,
    limit: int = 20,
    snippets: bool = True,
    count: bool = True,
) -> Results:
    """Ranked hits for `text` in `scope`, with highlighted snippets: two queries (the page
    and the count) whatever the number of results. `names` also finds titles that are
    spelled like the query (trigram similarity, PostgreSQL) for people and outlets."""
    query = text if isinstance(text, Query) else parse(text)
    if not query:
        return Results([], 0, query)
    entries = Entry.objects.filter(scope=scope)
    if kinds:
        entries = entries.filter(kind__in=list(kinds))
    if verdict:
        entries = entries.filter(verdict=verdict)
    if reviewed_only:
        entries = entries.exclude(verdict="")
    if tag:
        entries = entries.filter(tags__contains=f" {tag} ")
    if essay_id is not None:
        entries = entries.filter(essay_id=essay_id)
    if exclude_essay_id is not None:
        entries = entries.exclude(essay_id=exclude_essay_id)
    engine = _sqlite_search if _vendor() == "sqlite" else _postgres_search
    return engine(entries, query, names, offset, limit, snippets, count)


def _hit(entry: Entry, rank: float, snippet: str) -> Hit:
    return Hit(
        kind=entry.kind,
        object_id=entry.object_id,
        essay_id=entry.essay_id,
        title=entry.title,
        url=entry.url,
        verdict=entry.verdict,
        tags=entry.tags.split(),
        snippet=_highlighted(snippet or ""),
        rank=float(rank or 0),
    )


def _highlighted(text: str) -> SafeString:
    escaped = html.escape(text, quote=False)
    return mark_safe(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))  # noqa: S308


_FIELDS = ("pk", "kind", "object_id", "essay_id", "title", "url", "verdict", "tags")


def _postgres_search(entries, query, names, offset, limit, snippets, count) -> Results:
    tsquery = SearchQuery(to_tsquery(query), search_type="raw", config=CONFIG)
    matches = Q(vector=tsquery)
    rank = SearchRank(F("vector"), tsquery)
    if names:
        spelled = " ".join(query.words())
        entries = entries.annotate(similar=TrigramSimilarity(Lower("title"), spelled.lower()))
        matches |= Q(similar__gt=0.3)
        rank = Greatest(rank, F("similar"))
    found = entries.filter(matches).annotate(rank=rank)
    page = found.order_by("-rank", "pk").only(*_FIELDS)
    if snippets:
        page = page.annotate(
            snippet=SearchHeadline(
                "body",
                tsquery,
                config=CONFIG,
                start_sel=_OPEN,
                stop_sel=_CLOSE,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    else:
        page = page.defer("body")
    rows = list(page[offset : offset + limit])
    total = found.count() if count else len(rows)
    return Results([_hit(row, row.rank, getattr(row, "snippet", "")) for row in rows], total, query)


def _sqlite_search(entries, query, names, offset, limit, snippets, count) -> Results:
    # The index's own ranking (bm25, the title ten times the body) and snippets, for the
    # entries the ORM filter selects: one statement for the page, one for the count.
    filtered_sql, params = entries.values("pk").query.sql_with_params()
    match = to_fts5(query)
    snippet = (
        f"snippet(search_entry_fts, 1, '{_OPEN}', '{_CLOSE}', ' … ', 24)" if snippets else "''"
    )
    connection = connections[router.db_for_read(Entry)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25(search_entry_fts, 10.0, 1.0), {snippet} "  # noqa: S608
            f"FROM search_entry_fts WHERE search_entry_fts MATCH %s AND rowid IN ({filtered_sql}) "
            "ORDER BY 2, rowid LIMIT %s OFFSET %s",
            [match, *params, limit, offset],
        )
        ranked = cursor.fetchall()
        total = len(ranked)
        if count:
            cursor.execute(
                "SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH %s "  # noqa: S608
                f"AND rowid IN ({filtered_sql})",
                [match, *params],
            )
            total = cursor.fetchone()[0]
    rows = Entry.objects.only(*_FIELDS).in_bulk([row[0] for row in ranked])
    hits = [_hit(rows[pk], -score, text) for pk, score, text in ranked if pk in rows]
    return Results(hits, total, query)
