import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

# Read the file as it is when the migration runs: the shipped list may grow later, and
# a later data migration can load the additions the same way (update_or_create by name).
OUTLETS_JSON = Path(__file__).resolve().parent.parent / "data" / "outlets.json"


def load_outlets(apps, schema_editor):
    """Create or refresh one Outlet row per entry of sources/data/outlets.json.

    Idempotent: rows are matched by name; aliases an editor added in the admin are kept
    (the shipped ones are merged in, not substituted).
    """
    Outlet = apps.get_model("sources", "Outlet")
    records = json.loads(OUTLETS_JSON.read_text(encoding="utf-8"))
    taken = set(Outlet.objects.values_list("slug", flat=True))
    for record in records:
        outlet = Outlet.objects.filter(name=record["name"]).first()
        shipped_aliases = list(record.get("aliases") or [])
        if outlet is None:
            base = slugify(record["name"], allow_unicode=True)[:190] or "outlet"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            outlet = Outlet(name=record["name"], slug=slug, aliases=shipped_aliases)
        else:
            outlet.aliases = list(dict.fromkeys([*outlet.aliases, *shipped_aliases]))
        outlet.kind = record.get("kind") or "other"
        outlet.homepage = record.get("homepage") or ""
        outlet.country = record.get("country") or ""
        outlet.save()


class Migration(migrations.Migration):
    """Put the shipped outlet registry in the database, where editors can extend it."""

    dependencies = [("sources", "0001_initial")]

    operations = [migrations.RunPython(load_outlets, migrations.RunPython.noop)]
