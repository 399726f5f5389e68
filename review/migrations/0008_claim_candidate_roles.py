from django.db import migrations


def sync_roles(apps, schema_editor):
    from review.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Let editors and publishers accept or reject claim candidates; reviewers see them."""

    dependencies = [
        ("review", "0007_spreadsheet_permissions"),
        ("essays", "0006_claim_candidates"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
