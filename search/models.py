"""The search index: one row per searchable thing, in one of two scopes.

`public` rows are built from published revisions only (publishing keeps them, at publish
and unpublish); `staff` rows mirror the live, editable rows (essays, claims, quotations,
sources, people, outlets) and are kept on save. Every query names its scope, so nothing
staff-only can come back from a public search.

The full-text side is the database's own: on PostgreSQL the `vector` column (tsvector,
title weighted above body) with a GIN index, and a trigram index on `title` for names; on
SQLite an FTS5 virtual table `search_entry_fts` whose rowid is the entry's id. Both are
written only by search.index, in the same transaction as the rows.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Entry(models.Model):
    class Scope(models.TextChoices):
        PUBLIC = "public"
        STAFF = "staff"

    scope = models.CharField(max_length=10, choices=Scope)
    kind = models.CharField(max_length=20)  # essay, claim, quotation, source, person, outlet
    object_id = models.PositiveBigIntegerField()
    essay_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.TextField()
    body = models.TextField(blank=True)
    url = models.CharField(max_length=1000, blank=True)
    verdict = models.CharField(max_length=20, blank=True)
    tags = models.TextField(blank=True, help_text="Tag slugs, each between spaces.")
    # PostgreSQL only (always NULL on SQLite, where FTS5 holds the text instead).
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        db_table = "search_entry"
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["scope", "kind", "object_id"]),
            models.Index(fields=["scope", "essay_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.kind} {self.object_id}: {self.title[:60]}"
