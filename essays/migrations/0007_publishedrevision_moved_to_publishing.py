from django.db import migrations


class Migration(migrations.Migration):
    """PublishedRevision now lives in publishing (publishing 0001 took over its table and
    rows): drop it from essays' state only, touching no table."""

    dependencies = [
        ("essays", "0006_claim_candidates"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PublishedRevision")],
            database_operations=[],
        ),
    ]
