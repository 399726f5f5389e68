from django.db import migrations


def sync_roles(apps, schema_editor):
    from review.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Create the import_/export_ spreadsheet permissions and grant them to the roles."""

    dependencies = [
        ("review", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
