"""PublishedRevision moves from essays to publishing, with its rows.

The table already exists (essays 0005). This migration first takes the model into
publishing's state as it stands in the database (state only), then renames the tables
to publishing's names, its two indexes to the names Django gives them here, and moves
the content type, so the default permissions, any group or user holding them and the
admin log keep pointing at the same rows. essays 0007 then drops the model from essays'
state (state only). Reversible: migrating back puts everything where it was.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.db_manager(schema_editor.connection.alias)
    moving = content_types.filter(app_label=source, model="publishedrevision")
    if not content_types.filter(app_label=target, model="publishedrevision").exists():
        moving.update(app_label=target)
    content_types.clear_cache()


def content_type_to_publishing(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="essays", target="publishing")


def content_type_to_essays(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="publishing", target="essays")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("essays", "0006_claim_candidates"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublishedRevision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveIntegerField(help_text="1 for the first publish, then 2, 3…")),
                        ("is_live", models.BooleanField(default=True)),
                        ("slug", models.SlugField(allow_unicode=True, max_length=200)),
                        ("title", models.CharField(max_length=300)),
                        ("byline", models.CharField(blank=True, max_length=300)),
                        ("dek", models.TextField(blank=True)),
                        ("language", models.CharField(default="en", max_length=20)),
                        ("snapshot", models.JSONField()),
                        ("verdict_counts", models.JSONField(blank=True, default=dict)),
                        ("claim_ids", models.JSONField(blank=True, default=list, help_text="Claims with an approved verdict, for the sitemap.")),
                        ("corrections", models.JSONField(blank=True, default=list)),
                        ("page_gzip", models.BinaryField(help_text="The whole article page (UTF-8 HTML), rendered and gzipped at publish time.")),
                        ("published_at", models.DateTimeField()),
                        ("first_published_at", models.DateTimeField()),
                        ("override_reason", models.TextField(blank=True, help_text="Internal: why it was published with claims still open.")),
                        ("essay", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="revisions", to="essays.essay")),
                        ("published_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("tags", models.ManyToManyField(blank=True, related_name="+", to="taggit.tag")),
                    ],
                    options={
                        "db_table": "essays_publishedrevision",
                        "ordering": ["-published_at", "-pk"],
                        "get_latest_by": "published_at",
                        "indexes": [
                            models.Index(fields=["slug", "is_live"], name="essays_publ_slug_c65787_idx"),
                            models.Index(fields=["is_live", "-first_published_at"], name="essays_publ_is_live_8d5cbf_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("essay", "number"), name="revision_number_unique"),
                            models.UniqueConstraint(condition=models.Q(("is_live", True)), fields=("essay",), name="revision_one_live_per_essay"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Real renames from here on: the revision table and its tags table.
        migrations.AlterModelTable(name="publishedrevision", table=None),
        migrations.RenameIndex(
            model_name="publishedrevision",
            new_name="publishing__slug_03702c_idx",
            old_name="essays_publ_slug_c65787_idx",
        ),
        migrations.RenameIndex(
            model_name="publishedrevision",
            new_name="publishing__is_live_bd9b87_idx",
            old_name="essays_publ_is_live_8d5cbf_idx",
        ),
        migrations.RunPython(content_type_to_publishing, content_type_to_essays),
    ]
