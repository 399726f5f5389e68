from django.db import migrations


def sync_roles(apps, schema_editor):
    from review.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Let publishers export sources with their internal notes (on purpose, marked)."""

    dependencies = [
        ("review", "0011_claim_audit_trail_protected"),
        ("sources", "0005_export_internal_permission"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
