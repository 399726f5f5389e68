"""Put the shipped outlet list (``data/outlets.json``) into the database.

Applied by a data migration so a fresh install recognises the shipped outlets right
after ``migrate``; the loader takes an app registry (a migration's, or
``django.apps.apps``) like ``review.roles.sync_role_groups``.
"""

import json

from django.utils.text import slugify

from sources.recognition import SHIPPED_OUTLETS_PATH, registrable_domain


def load_shipped_outlets_into_db(apps) -> None:
    """Create or refresh one Outlet row per entry of ``sources/data/outlets.json``.

    Idempotent: rows are matched by name; aliases an editor added in the admin are kept
    (the shipped ones are merged in, not substituted). Kind, homepage and country follow
    the file.
    """
    Outlet = apps.get_model("sources", "Outlet")
    has_domains = any(field.name == "domains" for field in Outlet._meta.get_fields())
    records = json.loads(SHIPPED_OUTLETS_PATH.read_text(encoding="utf-8"))
    taken = set(Outlet.objects.values_list("slug", flat=True))
    for record in records:
        outlet = Outlet.objects.filter(name=record["name"]).first()
        shipped_aliases = list(record.get("aliases") or [])
        if outlet is None:
            # Historical models have no custom save(): derive the slug as Outlet.save does.
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
        if has_domains:  # the field came later than the migration that first loads the file
            domain = registrable_domain(outlet.homepage) if outlet.homepage else None
            if domain and domain not in outlet.domains:
                outlet.domains = [*outlet.domains, domain]
        outlet.save()
