"""Staff search entries for sources, people and outlets (search.registry)."""

from __future__ import annotations

from django.urls import reverse

from search.index import Document
from search.registry import register
from sources.models import Outlet, Person, Source


def admin_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _joined(*parts) -> str:
    return "\n".join(str(part) for part in parts if part)


def source_document(source: Source) -> Document:
    return Document(
        kind="source",
        object_id=source.pk,
        title=source.title,
        body=_joined(source.outlet.name if source.outlet_id else "", source.url, source.notes),
        url=admin_url(source),
    )


def person_document(person: Person) -> Document:
    return Document(
        kind="person",
        object_id=person.pk,
        title=person.name,
        body=_joined(*person.aliases, person.affiliation, person.description),
        url=admin_url(person),
    )


def outlet_document(outlet: Outlet) -> Document:
    return Document(
        kind="outlet",
        object_id=outlet.pk,
        title=outlet.name,
        body=_joined(*outlet.aliases, *outlet.domains, outlet.homepage),
        url=admin_url(outlet),
    )


def register_kinds() -> None:
    register("source", Source, source_document,
             queryset=lambda: Source.objects.select_related("outlet"))  # fmt: skip
    register("person", Person, person_document)
    register("outlet", Outlet, outlet_document)
