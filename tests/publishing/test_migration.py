"""PublishedRevision moved from essays to publishing (publishing 0001 takes over the table,
essays 0007 lets go of it) without losing anything: checked on a database the demo filled,
migrated back to before the move and forward again."""

import gzip

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo.loader import load_demo
from publishing.models import PublishedRevision
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("essays", "0006_claim_candidates"), ("publishing", None)]


def migrate(targets=None) -> MigrationExecutor:
    """Migrate the test database to `targets` (None: the latest migrations)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def rows(model) -> dict[int, tuple]:
    """Every revision as stored: snapshot, page, tags and the columns readers depend on."""
    return {
        revision.pk: (
            revision.essay_id,
            revision.number,
            revision.is_live,
            revision.slug,
            revision.snapshot,
            revision.corrections,
            revision.verdict_counts,
            revision.claim_ids,
            bytes(revision.page_gzip),
            revision.published_at,
            revision.first_published_at,
            revision.override_reason,
            sorted(tag.slug for tag in revision.tags.all()),
        )
        for revision in model.objects.order_by("pk")
    }


def test_moving_published_revisions_to_publishing_keeps_rows_pages_tags_and_permissions(client):
    load_demo()
    revision = PublishedRevision.objects.get(is_live=True)
    revision.tags.add(*revision.essay.tags.all())  # the demo's tags, on the revision too
    stored = rows(PublishedRevision)
    assert stored and all(row[12] for row in stored.values())  # tagged, so tags are checked
    content_type = ContentType.objects.get_for_model(PublishedRevision)
    auditor = make_user()
    auditor.user_permissions.add(Permission.objects.get(codename="view_publishedrevision"))
    page = client.get(revision.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip").content

    try:
        executor = migrate(BEFORE_THE_MOVE)
        tables = connection.introspection.table_names()
        assert "essays_publishedrevision" in tables and "publishing_publishedrevision" not in tables
        assert "essays_publishedrevision_tags" in tables
        old_model = executor.loader.project_state(BEFORE_THE_MOVE[0]).apps.get_model(
            "essays", "PublishedRevision"
        )
        assert rows(old_model) == stored
        assert ContentType.objects.get(pk=content_type.pk).app_label == "essays"
    finally:
        migrate()

    tables = connection.introspection.table_names()
    assert "publishing_publishedrevision" in tables and "essays_publishedrevision" not in tables
    assert "publishing_publishedrevision_tags" in tables
    assert rows(PublishedRevision) == stored
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("publishing", "publishedrevision")
    assert not ContentType.objects.filter(app_label="essays", model="publishedrevision").exists()
    auditor = type(auditor).objects.get(pk=auditor.pk)  # no cached permissions
    assert auditor.has_perm("publishing.view_publishedrevision")
    served = client.get(revision.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip").content
    assert served == page and b"<article" in gzip.decompress(served)
