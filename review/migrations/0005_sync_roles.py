from django.db import migrations


def sync_roles(apps, schema_editor):
    from review.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Let editors and publishers read publish-override records."""

    dependencies = [("review", "0004_workflow"), ("essays", "0003_workflow")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
