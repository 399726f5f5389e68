import django.contrib.postgres.search
from django.db import migrations, models

# The full-text structures each database needs beside the table (search.models).
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_entry_vector_gin ON search_entry USING gin (vector)",
    "CREATE INDEX search_entry_title_trgm ON search_entry USING gin (lower(title) gin_trgm_ops)",
]
SQLITE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    "title, body, tokenize='porter unicode61 remove_diacritics 2')",
]
UNDO = {
    "postgresql": ["DROP INDEX IF EXISTS search_entry_title_trgm",
                   "DROP INDEX IF EXISTS search_entry_vector_gin"],
    "sqlite": ["DROP TABLE IF EXISTS search_entry_fts"],
}


def full_text(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("Counterpoint's search runs on PostgreSQL or SQLite.")
    for statement in statements:
        schema_editor.execute(statement)


def undo_full_text(apps, schema_editor):
    for statement in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(choices=[("public", "Public"), ("staff", "Staff")], max_length=10)),
                ("kind", models.CharField(max_length=20)),
                ("object_id", models.PositiveBigIntegerField()),
                ("essay_id", models.PositiveBigIntegerField(blank=True, null=True)),
                ("title", models.TextField()),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(blank=True, max_length=1000)),
                ("verdict", models.CharField(blank=True, max_length=20)),
                ("tags", models.TextField(blank=True, help_text="Tag slugs, each between spaces.")),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                "db_table": "search_entry",
                "verbose_name_plural": "entries",
                "indexes": [
                    models.Index(fields=["scope", "kind", "object_id"], name="search_entr_scope_214333_idx"),
                    models.Index(fields=["scope", "essay_id"], name="search_entr_scope_d1d77a_idx"),
                ],
            },
        ),
        migrations.RunPython(full_text, undo_full_text),
    ]
