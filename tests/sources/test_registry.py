"""The outlet registry in the database: loaded by migration, extended by editors."""

import pytest
from django.apps import apps

from sources.models import Outlet, Person
from sources.selectors import outlet_registry, person_registry
from sources.shipped import load_shipped_outlets_into_db

pytestmark = pytest.mark.django_db


def test_outlets_are_in_the_database_right_after_migrate():
    assert Outlet.objects.count() >= 60
    al_jazeera = Outlet.objects.get(name="Al Jazeera")
    assert al_jazeera.kind == Outlet.Kind.BROADCASTER and al_jazeera.slug
    registry = outlet_registry()
    assert registry.get("al-Jazeera").name == "Al Jazeera"
    assert registry.get("LA Times").name == "Los Angeles Times"
    assert [m.outlet.name for m in registry.find_outlets("as al-Jazeera and NYT said")] == [
        "Al Jazeera",
        "New York Times",
    ]


def test_loading_the_outlets_again_changes_nothing_and_keeps_editor_aliases():
    reuters = Outlet.objects.get(name="Reuters")
    reuters.aliases = [*reuters.aliases, "Reuters news agency"]
    reuters.save()
    count = Outlet.objects.count()
    load_shipped_outlets_into_db(apps)
    assert Outlet.objects.count() == count
    assert "Reuters news agency" in Outlet.objects.get(name="Reuters").aliases


def test_registry_uses_outlets_and_aliases_editors_added():
    Outlet.objects.create(name="Harbor Ledger", aliases=["the Ledger", "HLD"])
    registry = outlet_registry()
    assert registry.get("Harbor Ledger").name == "Harbor Ledger"
    assert [m.outlet.name for m in registry.find_outlets("She told HLD on Monday")] == [
        "Harbor Ledger"
    ]


def test_person_registry_resolves_rows_by_name_alias_and_surname():
    Person.objects.create(name="Daniel Harrow", aliases=["Dan Harrow"], affiliation="State")
    registry = person_registry()
    assert registry.resolve("Harrow").name == "Daniel Harrow"
    assert registry.resolve("Dan Harrow").name == "Daniel Harrow"
    assert registry.resolve("Nobody Known") is None
