"""Which models the staff index mirrors, and how each row becomes a Document.

An app registers a kind once (in its AppConfig.ready): its model, a queryset that loads
what the document needs, and the function that writes the document. From then on every
save and delete of a row keeps its entry current in the same transaction, and
`rebuild_staff` (manage.py search_index) rewrites every entry from the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from search import index
from search.index import STAFF, Document


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    document: Callable[[models.Model], Document]
    queryset: Callable[[], models.QuerySet]

    def write(self, objects: Iterable[models.Model]) -> None:
        objects = list(objects)
        index.replace(
            STAFF,
            [self.document(obj) for obj in objects],
            kind=self.name,
            object_ids=[obj.pk for obj in objects],
        )

    def write_ids(self, ids: Iterable[int]) -> None:
        """Entries for the rows `ids`, loaded with what their documents need (one query)."""
        ids = list(ids)
        found = list(self.queryset().filter(pk__in=ids))
        gone = set(ids) - {obj.pk for obj in found}
        self.write(found)
        index.remove(STAFF, self.name, gone)


KINDS: dict[str, Kind] = {}


def register(
    name: str,
    model: type[models.Model],
    document: Callable[[models.Model], Document],
    *,
    queryset: Callable[[], models.QuerySet] | None = None,
    on_save: bool = True,
) -> Kind:
    """Register a kind; with `on_save` False the app keeps its entries on save itself."""
    kind = Kind(name, model, document, queryset or model._default_manager.all)
    KINDS[name] = kind

    def saved(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures load rows as they are; search_index rebuilds after
            kind.write_ids([instance.pk])

    def deleted(sender, instance, **kwargs):
        index.remove(STAFF, name, [instance.pk])

    if on_save:
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"search:{name}:save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"search:{name}:delete")
    return kind


def rebuild_staff(names: Iterable[str] | None = None, *, chunk: int = 1000) -> dict[str, int]:
    """Rewrite the staff entries of every registered kind (or of `names`) from the rows."""
    written = {}
    for kind in [KINDS[name] for name in names] if names else KINDS.values():
        with transaction.atomic():
            index.clear(STAFF, [kind.name])
            ids = list(kind.model._default_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), chunk):
                batch = ids[start : start + chunk]
                kind.write(kind.queryset().filter(pk__in=batch))
        written[kind.name] = len(ids)
    return written
