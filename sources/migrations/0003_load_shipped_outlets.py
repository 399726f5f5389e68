from django.db import migrations


def load_outlets(apps, schema_editor):
    from sources.shipped import load_shipped_outlets_into_db

    load_shipped_outlets_into_db(apps)


class Migration(migrations.Migration):
    """Put the shipped outlet registry in the database, where editors can extend it."""

    dependencies = [("sources", "0002_spreadsheet_permissions")]

    operations = [migrations.RunPython(load_outlets, migrations.RunPython.noop)]
