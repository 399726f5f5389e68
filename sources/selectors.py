"""Reads of the bibliography that other parts of the project build on."""

from __future__ import annotations

from sources.models import Outlet, Person
from sources.recognition import OUTLET_KINDS, OutletRegistry, PersonRegistry


def outlet_registry() -> OutletRegistry:
    """An ``OutletRegistry`` of every ``Outlet`` row, aliases included, in one query.

    Recognition uses the database, not the shipped file, so outlets and spellings that
    editors add in the admin are recognised by the next import.
    """
    rows = Outlet.objects.order_by("pk").values("name", "kind", "aliases", "homepage", "country")
    return OutletRegistry.from_records(
        {**row, "kind": row["kind"] if row["kind"] in OUTLET_KINDS else "other"} for row in rows
    )


def person_registry_with_ids() -> tuple[PersonRegistry, dict[int, int]]:
    """A ``PersonRegistry`` of every ``Person`` row, and the row id of each registry entry.

    The mapping is keyed by ``id()`` of the registry's ``Person`` objects. Rows are
    registered oldest first, so when two rows spell one name alike, mentions resolve to
    the older row, which earlier imports already link to. One query.
    """
    registry = PersonRegistry()
    ids: dict[int, int] = {}
    rows = Person.objects.order_by("pk").values_list("pk", "name", "aliases", "affiliation")
    for pk, name, aliases, affiliation in rows:
        person = registry.add(name, affiliation=affiliation or None)
        for alias in aliases or ():
            registry.add_alias(person, alias)
        ids.setdefault(id(person), pk)
    return registry, ids


def person_registry() -> PersonRegistry:
    """A ``PersonRegistry`` of every ``Person`` row (name, aliases, affiliation), one query."""
    return person_registry_with_ids()[0]
