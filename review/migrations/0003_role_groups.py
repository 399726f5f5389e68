from django.db import migrations


def sync_roles(apps, schema_editor):
    from review.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Create the Editor, Reviewer and Publisher groups so a fresh install has them."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("essays", "0002_initial"),
        ("sources", "0001_initial"),
        ("review", "0002_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
