"""Linking an import's speakers and outlets to Person and Outlet rows (reuse, else create)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from essays.importer.model import ParsedEssay
from essays.importer.result import ImportResult
from search.registry import KINDS
from sources.models import Outlet, Person, Source
from sources.recognition import OutletRegistry, load_shipped_outlets, registrable_domain
from sources.selectors import person_registry_with_ids

# --- outlets and people -----------------------------------------------------------------


def _new_slugs(model: type[models.Model], names: Iterable[str], max_length: int) -> list[str]:
    """Unique slugs for new rows of ``model``, in one query (bulk_create skips save())."""
    names = list(names)
    bases = [slugify(n, allow_unicode=True)[: max_length - 8] or "item" for n in names]
    if not bases:
        return []
    condition = functools.reduce(operator.or_, (Q(slug__startswith=b) for b in set(bases)))
    taken = set(model._default_manager.filter(condition).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _outlets(parsed: ParsedEssay, result: ImportResult) -> dict[str, int]:
    """Map every outlet/via name in ``parsed`` to an Outlet id, creating missing ones."""
    wanted = {n for q in parsed.quotations for n in (q.outlet, q.via) if n}
    if not wanted:
        return {}
    ids, reused, missing, by_name = known_outlets(wanted)
    result.outlets_reused += reused
    shipped = load_shipped_outlets()
    name_max = Outlet._meta.get_field("name").max_length
    new_rows: dict[str, Outlet] = {}
    for wanted_name in missing:
        info = shipped.get(wanted_name)
        outlet_name = (info.name if info else wanted_name)[:name_max]
        if outlet_name in new_rows or outlet_name in by_name:
            continue
        new_rows[outlet_name] = Outlet(
            name=outlet_name,
            kind=info.kind if info else Outlet.Kind.OTHER,
            aliases=list(info.aliases) if info else [],
            homepage=(info.homepage or "") if info else "",
            country=(info.country or "") if info else "",
        )
    for outlet, slug in zip(new_rows.values(), _new_slugs(Outlet, new_rows, 200), strict=True):
        outlet.slug = slug
    Outlet.objects.bulk_create(new_rows.values())
    KINDS["outlet"].write(new_rows.values())  # bulk_create sends no post_save
    result.outlets_created = list(new_rows)
    by_name.update({o.name: o.pk for o in new_rows.values()})
    for wanted_name in missing:
        info = shipped.get(wanted_name)
        ids[wanted_name] = by_name[(info.name if info else wanted_name)[:name_max]]
    result.outlets_reused = sorted(set(result.outlets_reused))
    return ids


def _people(parsed: ParsedEssay, result: ImportResult) -> dict[str, int]:
    """Map every named speaker in ``parsed`` to a Person id, creating missing ones.

    Speakers the parser describes without a name ("a rebel spokesman") are not people
    rows; they are kept on the quotation as ``speaker_description``.
    """
    speakers: dict[str, tuple[str | None, str | None]] = {}
    for q in parsed.quotations:
        if q.speaker and q.speaker_kind == "person" and q.speaker not in speakers:
            speakers[q.speaker] = (q.speaker_role, q.speaker_affiliation)
    if not speakers:
        return {}
    registry, row_ids = person_registry_with_ids()
    ids: dict[str, int] = {}
    new_rows: dict[int, Person] = {}  # id(registry entry) → new row
    new_entry_of: dict[str, int] = {}  # speaker → id(registry entry) of a new row
    reused: dict[int, list[str]] = {}  # row id → spellings met in this essay
    for speaker, (role, affiliation) in speakers.items():
        entry = registry.resolve(speaker)
        if entry is not None and id(entry) in row_ids:
            ids[speaker] = row_ids[id(entry)]
            reused.setdefault(row_ids[id(entry)], []).append(speaker)
            continue
        if entry is None:
            entry = registry.add(speaker, role=role, affiliation=affiliation)
        new_entry_of[speaker] = id(entry)
        new_rows.setdefault(
            id(entry),
            Person(
                name=entry.name[:200],
                affiliation=(entry.affiliation or "")[:300],
                description=entry.role or "",
            ),
        )
    fresh = list(new_rows.values())
    for person, slug in zip(fresh, _new_slugs(Person, (p.name for p in fresh), 200), strict=True):
        person.slug = slug
    Person.objects.bulk_create(fresh)
    KINDS["person"].write(fresh)
    for speaker, entry_id in new_entry_of.items():
        ids[speaker] = new_rows[entry_id].pk
    _remember_spellings(reused)
    result.people_created = [p.name for p in fresh]
    result.people_reused = (
        sorted(Person.objects.filter(pk__in=reused).values_list("name", flat=True))
        if reused
        else []
    )
    return ids


def _remember_spellings(reused: dict[int, list[str]]) -> None:
    """Add this essay's spellings of known people to their aliases, so the admin finds them."""
    if not reused:
        return
    changed = []
    for person in Person.objects.filter(pk__in=reused):
        known = {person.name, *person.aliases}
        extra = [s for s in reused[person.pk] if s not in known]
        if extra:
            person.aliases = [*person.aliases, *extra]
            changed.append(person)
    Person.objects.bulk_update(changed, ["aliases"])


def known_outlets(
    names: Iterable[str],
) -> tuple[dict[str, int], list[str], list[str], dict[str, int]]:
    """Which of `names` the database knows as an outlet (by name or alias), in one query:
    their ids by the name as written, those outlets' own names, the names it does not
    know, and every outlet's id by its name."""
    rows = list(Outlet.objects.values("pk", "name", "aliases"))
    pks = {row["name"]: row["pk"] for row in rows}
    registry = OutletRegistry.from_records(
        {"name": r["name"], "aliases": r["aliases"], "kind": "other"} for r in rows
    )
    ids: dict[str, int] = {}
    reused: list[str] = []
    missing: list[str] = []
    for name in sorted(names):
        known = registry.get(name)
        if known is not None:
            ids[name] = pks[known.name]
            reused.append(known.name)
        else:
            missing.append(name)
    return ids, reused, missing, pks


def _sources(
    parsed: ParsedEssay, outlet_ids: dict[str, int], result: ImportResult
) -> dict[str, int]:
    """Map the URL of every document a quotation cites (a link on or beside it, a note
    after it) to a Source id: the existing Source with that URL, else a new one titled
    by the link or note (or by the address itself), its outlet the one whose domain the
    address is on (Outlet.domains), else the quotation's. `result.source_outlets` keeps
    the outlets found by domain, for quotations that name none."""
    url_max = Source._meta.get_field("url").max_length
    cited: dict[str, tuple[str, str | None]] = {}
    for q in parsed.quotations:
        if q.source and q.source.url not in cited and len(q.source.url) <= url_max:
            cited[q.source.url] = (q.source.title, q.source.outlet)
    if not cited:
        return {}
    by_domain = outlets_by_domain()
    result.source_outlets = {
        url: by_domain[domain] for url in cited if (domain := registrable_domain(url)) in by_domain
    }
    ids: dict[str, int] = {}
    for pk, url in Source.objects.filter(url__in=cited).order_by("pk").values_list("pk", "url"):
        ids.setdefault(url, pk)
    result.sources_reused = sorted(ids)
    title_max = Source._meta.get_field("title").max_length
    new = [
        Source(
            url=url,
            title=(title or _title_from_address(url))[:title_max],
            outlet_id=result.source_outlets.get(url)
            or (outlet_ids.get(outlet) if outlet else None),
        )
        for url, (title, outlet) in cited.items()
        if url not in ids
    ]
    for source in Source.objects.bulk_create(new):
        ids[source.url] = source.pk
    KINDS["source"].write_ids([source.pk for source in new])
    result.sources_created = [source.url for source in new]
    return ids


def _title_from_address(url: str) -> str:
    """ "theguardian.com/world/2015/may/…" for a link with no title of its own."""
    parts = urlsplit(url)
    return (parts.netloc.removeprefix("www.") + parts.path).rstrip("/") or url


def outlets_by_domain() -> dict[str, int]:
    """Every outlet's id by each of its web domains (one query)."""
    return {
        domain: pk
        for pk, domains in Outlet.objects.order_by("-pk").values_list("pk", "domains")
        for domain in domains or ()
    }
