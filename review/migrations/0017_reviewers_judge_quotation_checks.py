from django.db import migrations


def sync_roles(apps, schema_editor):
    from review.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Reviewers and publishers confirm quotation checks, or override them with a reason."""

    dependencies = [("review", "0016_approval_item")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
