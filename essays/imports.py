"""Saving a parsed essay: ``save_import`` turns a ``ParsedEssay`` into rows, in one transaction.

The parser (``essays.importing``) is pure; this module is where its output meets the
database. It creates or updates the Essay, its Sections, Quotations and
ClaimCandidates, links speakers to ``Person`` rows and outlets to ``Outlet`` rows
(reusing existing rows by name and alias), and, when the essay already exists (same
canonical URL), keeps every existing Claim and re-anchors it in the new text.
See docs/importer.md, "Saving".
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from essays.anchoring import CONTEXT_CHARS, Selector, anchor, selector_for
from essays.importing import EssayImportError, ParsedEssay, ParsedSection, parse_bytes
from essays.importing.errors import locate
from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from sources.models import Outlet, Person, unique_slug
from sources.recognition import OutletRegistry, load_shipped_outlets
from sources.selectors import outlet_registry, person_registry, person_registry_with_ids

PARAGRAPH_SEPARATOR = "\n\n"
# A section's body is its paragraphs joined by PARAGRAPH_SEPARATOR; positions are moved
# this far out of the way while old and new sections are being swapped.
_POSITION_SHIFT = 1_000_000

Progress = Callable[[str], None]


# --- layout: paragraphs → section bodies (pure) -------------------------------------


@dataclass(frozen=True, slots=True)
class SectionLayout:
    """One parsed section as it will be stored: its body and where each paragraph starts."""

    heading: str
    body: str
    paragraph_starts: tuple[int, ...]

    def span(self, paragraph: int, start: int, end: int) -> tuple[int, int]:
        """Translate paragraph offsets into offsets in ``body``."""
        base = self.paragraph_starts[paragraph]
        return base + start, base + end


def layout(parsed: ParsedEssay) -> list[SectionLayout]:
    """The stored body of every parsed section (paragraphs joined by a blank line)."""
    out = []
    for section in parsed.sections:
        starts, at = [], 0
        for paragraph in section.paragraphs:
            starts.append(at)
            at += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        out.append(
            SectionLayout(
                heading=section.heading or "",
                body=PARAGRAPH_SEPARATOR.join(section.paragraphs),
                paragraph_starts=tuple(starts),
            )
        )
    return out


def _checked_span(body: str, paragraph_span: tuple[int, int], text: str) -> tuple[int, int]:
    start, end = paragraph_span
    if body[start:end] != text:  # a bug in the layout, never the editor's input
        raise AssertionError(f"span {start}:{end} does not slice back to {text[:40]!r}")
    return start, end


def parse_for_import(
    data: bytes, *, filename: str | None, format: str = "auto", author: str | None = None
) -> ParsedEssay:
    """Decode and parse an upload the way every import interface does.

    Outlets and people are recognised from the database (so editors' additions count),
    and the size limit is ``settings.COUNTERPOINT_IMPORT_MAX_BYTES``. Raises
    ``EssayImportError``; reads the database, writes nothing.
    """
    return parse_bytes(
        data,
        filename=filename,
        format=format,
        author=author or None,
        max_bytes=settings.COUNTERPOINT_IMPORT_MAX_BYTES,
        outlets=outlet_registry(),
        people=person_registry(),
    )


# --- the result -------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What ``save_import`` did, for the command's summary and the admin's message."""

    essay: Essay
    created: bool
    sections: int = 0
    quotations: int = 0
    candidates: int = 0
    outlets_created: list[str] = field(default_factory=list)
    outlets_reused: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    people_reused: list[str] = field(default_factory=list)
    claims_reanchored: int = 0
    claims_unanchored: list[int] = field(default_factory=list)
    decisions_kept: int = 0
    was_published: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "sections": self.sections,
            "quotations": self.quotations,
            "candidates": self.candidates,
            "outlets_created": len(self.outlets_created),
            "outlets_reused": len(self.outlets_reused),
            "people_created": len(self.people_created),
            "people_reused": len(self.people_reused),
            "claims_reanchored": self.claims_reanchored,
            "claims_unanchored": len(self.claims_unanchored),
            "decisions_kept": self.decisions_kept,
        }

    def summary(self) -> str:
        """One sentence for an admin message or the command's first line."""
        verb = "Created" if self.created else "Updated"
        c = self.counts
        text = (
            f"{verb} “{self.essay.title}”: {c['sections']} sections, {c['quotations']} "
            f"quotations, {c['candidates']} claim candidates; outlets {c['outlets_created']} "
            f"new, {c['outlets_reused']} reused; people {c['people_created']} new, "
            f"{c['people_reused']} reused."
        )
        if not self.created:
            text += (
                f" Existing claims: {c['claims_reanchored']} re-anchored, "
                f"{c['claims_unanchored']} need attention."
            )
        return text

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "essay": {"id": self.essay.pk, "slug": self.essay.slug, "title": self.essay.title},
            "created": self.created,
            "counts": self.counts,
            "outlets_created": self.outlets_created,
            "people_created": self.people_created,
            "unanchored_claims": self.claims_unanchored,
            "was_published": self.was_published,
            "warnings": self.warnings,
        }


# --- the service ------------------------------------------------------------------------


def save_import(
    *,
    parsed: ParsedEssay,
    actor: AbstractBaseUser | None,
    slug: str | None = None,
    source_name: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Save ``parsed`` as an essay, in one transaction, and say what was done.

    Creates the Essay (title, byline, canonical URL, original date), one Section per
    parsed section (body = paragraphs joined by a blank line), Quotations (speaker
    linked to a Person found by name or alias, else created; outlet and via linked to
    an Outlet found by name or alias, created only when the database has none), and
    ClaimCandidates. If an essay with the same canonical URL exists it is updated
    instead: sections, quotations and candidates are replaced (candidate decisions and
    quotation sources carry over by text), and every existing Claim is kept and
    re-anchored by exact/prefix/suffix; one whose words are gone stays, flagged
    ``anchor_lost``, and is reported. ``actor`` None means a trusted caller (the
    command line); otherwise it needs ``essays.add_essay`` (and ``change_essay`` to
    update). ``source_name`` names the input in warnings (default: parsed filename).
    Raises ``EssayImportError`` (nothing written) when the result would be invalid.
    """
    name = source_name or parsed.filename
    step = progress or (lambda _label: None)
    if actor is not None and not actor.has_perm("essays.add_essay"):
        raise PermissionDenied("You do not have permission to import essays.")
    try:
        with transaction.atomic():
            return _save(parsed, actor, slug, name, step)
    except ValidationError as error:
        raise EssayImportError(_validation_message(error), filename=name) from error
    except IntegrityError as error:
        # Two imports of the same canonical URL (or new names) raced; the loser retries.
        raise EssayImportError(
            f"the database refused the import ({error}); nothing was saved, try again",
            filename=name,
        ) from error


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


def _save(
    parsed: ParsedEssay, actor, slug: str | None, name: str | None, step: Progress
) -> ImportResult:
    warnings = list(parsed.warnings)
    canonical_url = (parsed.canonical_url or "").strip()
    essay = (
        Essay.objects.select_for_update().filter(canonical_url=canonical_url).first()
        if canonical_url
        else None
    )
    created = essay is None
    if not created and actor is not None and not actor.has_perm("essays.change_essay"):
        raise PermissionDenied("You do not have permission to change essays.")

    step("essay")
    essay = _write_essay(essay, parsed, actor, slug, canonical_url, name, warnings)
    result = ImportResult(essay=essay, created=created, warnings=warnings)
    if not created and essay.status == Essay.Status.PUBLISHED:
        result.was_published = True
        warnings.append(
            locate(
                name,
                None,
                "this essay is published: readers keep seeing the published revision "
                "until it is published again",
            )
        )

    step("outlets and people")
    outlet_ids = _outlets(parsed, result)
    person_ids = _people(parsed, result)

    step("sections")
    sections = layout(parsed)
    old_sections = list(essay.sections.order_by("position")) if not created else []
    rows = _write_sections(essay, sections, old_sections, actor)
    result.sections = len(rows)

    if not created:
        step("existing claims")
        _reanchor_claims(essay, sections, rows, old_sections, actor, result, name)
        decisions, sources = _carry_over(essay)
        # Old quotations and candidates are replaced; old sections no longer used go too
        # (their claims were moved above, so PROTECT is satisfied).
        Quotation.objects.filter(section__essay=essay).delete()
        ClaimCandidate.objects.filter(section__essay=essay).delete()
        reused = {row.pk for row in rows}
        Section.objects.filter(pk__in=[s.pk for s in old_sections if s.pk not in reused]).delete()
    else:
        decisions, sources = {}, {}

    step("quotations")
    result.quotations = _write_quotations(
        parsed, sections, rows, outlet_ids, person_ids, sources, actor
    )
    step("claim candidates")
    result.candidates, result.decisions_kept = _write_candidates(parsed, sections, rows, decisions)
    return result


def _write_essay(
    essay: Essay | None,
    parsed: ParsedEssay,
    actor,
    slug: str | None,
    canonical_url: str,
    name: str | None,
    warnings: list[str],
) -> Essay:
    title_field = Essay._meta.get_field("title")
    title = parsed.title
    if len(title) > title_field.max_length:
        warnings.append(locate(name, None, "title shortened to fit"))
        title = title[: title_field.max_length - 1] + "…"
    byline_max = Essay._meta.get_field("byline").max_length
    if essay is None:
        essay = Essay(canonical_url=canonical_url, created_by=actor)
        essay.slug = slug or unique_slug(
            essay, title, max_length=Essay._meta.get_field("slug").max_length
        )
    elif slug and slug != essay.slug:
        warnings.append(locate(name, None, f"kept the essay's slug {essay.slug!r}"))
    essay.title = title
    essay.byline = (parsed.author or essay.byline)[:byline_max]
    if parsed.published_on:
        essay.original_published_on = date.fromisoformat(parsed.published_on)
    essay.full_clean()
    essay._history_user = actor
    essay.save()
    return essay


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
    rows = list(Outlet.objects.values("pk", "name", "kind", "aliases"))
    by_name = {row["name"]: row["pk"] for row in rows}
    registry = OutletRegistry.from_records(
        {"name": r["name"], "aliases": r["aliases"], "kind": "other"} for r in rows
    )
    shipped = load_shipped_outlets()
    ids: dict[str, int] = {}
    missing: list[str] = []
    for wanted_name in sorted(wanted):
        known = registry.get(wanted_name)
        if known is not None:
            ids[wanted_name] = by_name[known.name]
            result.outlets_reused.append(known.name)
        else:
            missing.append(wanted_name)
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


# --- sections ---------------------------------------------------------------------------


def _anchor_for(heading: str, position: int, taken: set[str]) -> str:
    """The fragment id ``Section.derive_anchor`` would give, checked against ``taken``."""
    base = slugify(heading, allow_unicode=True)[:180] or (
        "introduction" if position == 0 else f"section-{position + 1}"
    )
    anchor_, n = base, 2
    while anchor_ in taken:
        anchor_, n = f"{base}-{n}", n + 1
    taken.add(anchor_)
    return anchor_


def _write_sections(
    essay: Essay,
    sections: list[SectionLayout],
    old_sections: list[Section],
    actor,
) -> list[Section]:
    """One Section row per parsed section, in order.

    On re-import an old row with the same heading is reused (its anchor, and so links
    to it, survive); other old rows are left for the caller to delete once their claims
    have moved.
    """
    unused: dict[str, list[Section]] = {}
    for old in old_sections:
        unused.setdefault(old.heading, []).append(old)
    if old_sections:
        Section.objects.filter(essay=essay).update(position=F("position") + _POSITION_SHIFT)
    taken = {old.anchor for old in old_sections}
    rows: list[Section] = []
    updated: list[Section] = []
    new: list[Section] = []
    for position, section in enumerate(sections):
        same_heading = unused.get(section.heading)
        if same_heading:
            row = same_heading.pop(0)
            row.position, row.body = position, section.body
            updated.append(row)
        else:
            row = Section(
                essay=essay,
                position=position,
                heading=section.heading,
                body=section.body,
                anchor=_anchor_for(section.heading, position, taken),
            )
            new.append(row)
        rows.append(row)
    if updated:
        bulk_update_with_history(
            updated,
            Section,
            ["position", "body"],
            default_user=actor,
            default_change_reason="re-imported",
        )
    if new:
        bulk_create_with_history(new, Section, default_user=actor, default_change_reason="imported")
    return rows


# --- claims: keep and re-anchor ---------------------------------------------------------


def _reanchor_claims(
    essay: Essay,
    sections: list[SectionLayout],
    rows: list[Section],
    old_sections: list[Section],
    actor,
    result: ImportResult,
    name: str | None,
) -> None:
    """Move every existing claim of ``essay`` onto the new text; never delete one."""
    claims = list(Claim.objects.select_for_update().filter(section__essay=essay).order_by("pk"))
    if not claims:
        return
    bodies = [s.body for s in sections]
    old_headings = {s.pk: s.heading for s in old_sections}
    placements = plan_reanchoring(
        bodies,
        [s.heading for s in sections],
        [(c, old_headings.get(c.section_id), _row_index(rows, c.section_id)) for c in claims],
    )
    changed = []
    for claim, placed in zip(claims, placements, strict=True):
        if placed is None:
            # Every new section is empty: leave the claim where it was (its section row
            # stays only if reused), and flag it.
            section_id, start, end, found = rows[0].pk, 0, 1, False
        else:
            section_id, start, end, found = (
                rows[placed.section].pk,
                placed.start,
                placed.end,
                placed.found,
            )
        update: dict[str, Any] = {
            "section_id": section_id,
            "start": start,
            "end": end,
            "anchor_lost": not found,
        }
        if found:
            fresh = selector_for(bodies[placed.section], start, end, context=CONTEXT_CHARS)
            update["prefix"], update["suffix"] = fresh.prefix, fresh.suffix
            result.claims_reanchored += 1
        else:
            result.claims_unanchored.append(claim.pk)
            result.warnings.append(
                locate(
                    name,
                    None,
                    f"claim #{claim.pk} “{_short(claim.exact)}” ({claim.get_status_display()}) "
                    "is no longer in the text; kept and flagged “anchor lost”",
                )
            )
        if any(getattr(claim, k) != v for k, v in update.items()):
            for key, value in update.items():
                setattr(claim, key, value)
            claim.version += 1  # open review forms must not save stale offsets over these
            changed.append(claim)
    if changed:
        bulk_update_with_history(
            changed,
            Claim,
            ["section", "start", "end", "prefix", "suffix", "anchor_lost", "version"],
            default_user=actor,
            default_change_reason="re-anchored by import",
        )


def _row_index(rows: list[Section], section_id: int) -> int | None:
    return next((i for i, row in enumerate(rows) if row.pk == section_id), None)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plan_reanchoring(
    bodies: list[str],
    headings: list[str],
    claims: Iterable[tuple[Any, str | None, int | None]],
):
    """Where each claim lands in the new bodies (an ``Anchor`` or None), pure.

    ``claims`` yields (claim-like with exact/prefix/suffix, old section heading, index of
    the new section that reuses the claim's old row or None). The hint for a claim is
    that reused section, else the first new section with the old heading.
    """
    out = []
    for claim, old_heading, reused_index in claims:
        hint = reused_index
        if hint is None and old_heading is not None and old_heading in headings:
            hint = headings.index(old_heading)
        out.append(anchor(bodies, Selector(claim.exact, claim.prefix, claim.suffix), hint=hint))
    return out


def _carry_over(essay: Essay) -> tuple[dict[str, tuple], dict[str, int]]:
    """Decisions on old candidates and editor-set quotation sources, keyed by their text."""
    decisions = {
        text: (decision, by, at, claim)
        for text, decision, by, at, claim in ClaimCandidate.objects.filter(section__essay=essay)
        .exclude(decision=ClaimCandidate.Decision.PENDING)
        .values_list("text", "decision", "decided_by", "decided_at", "claim")
    }
    sources = dict(
        Quotation.objects.filter(section__essay=essay, source__isnull=False).values_list(
            "text", "source"
        )
    )
    return decisions, sources


# --- quotations and candidates ----------------------------------------------------------


def _write_quotations(
    parsed: ParsedEssay,
    sections: list[SectionLayout],
    rows: list[Section],
    outlet_ids: dict[str, int],
    person_ids: dict[str, int],
    sources: dict[str, int],
    actor,
) -> int:
    description_max = Quotation._meta.get_field("speaker_description").max_length
    by_index: dict[int, Quotation] = {}
    firsts: list[Quotation] = []
    repeats: list[tuple[Quotation, int]] = []
    parsed_section: ParsedSection
    for parsed_section, section, row in zip(parsed.sections, sections, rows, strict=True):
        for q in parsed_section.quotations:
            start, end = _checked_span(
                section.body, section.span(q.paragraph, q.start, q.end), q.text
            )
            named = q.speaker_kind == "person" and q.speaker in person_ids
            quotation = Quotation(
                section=row,
                start=start,
                end=end,
                text=q.text,
                speaker_id=person_ids[q.speaker] if named else None,
                speaker_description="" if named else (q.speaker or "")[:description_max],
                outlet_id=outlet_ids.get(q.outlet) if q.outlet else None,
                via_id=outlet_ids.get(q.via) if q.via else None,
                source_id=sources.get(q.text),
                emphasis_added=q.emphasis_added,
                is_scare_quote=q.scare,
            )
            by_index[q.index] = quotation
            if q.repeat_of is None or q.repeat_of not in by_index:
                firsts.append(quotation)
            else:
                repeats.append((quotation, q.repeat_of))
    if firsts:
        bulk_create_with_history(
            firsts, Quotation, default_user=actor, default_change_reason="imported"
        )
    for quotation, first in repeats:
        quotation.repeat_of = by_index[first]
    if repeats:
        bulk_create_with_history(
            [q for q, _ in repeats], Quotation, default_user=actor, default_change_reason="imported"
        )
    return len(firsts) + len(repeats)


def _write_candidates(
    parsed: ParsedEssay,
    sections: list[SectionLayout],
    rows: list[Section],
    decisions: dict[str, tuple],
) -> tuple[int, int]:
    candidates, kept = [], 0
    for parsed_section, section, row in zip(parsed.sections, sections, rows, strict=True):
        for c in parsed_section.claims:
            start, end = _checked_span(
                section.body, section.span(c.paragraph, c.start, c.end), c.text
            )
            candidate = ClaimCandidate(
                section=row,
                start=start,
                end=end,
                text=c.text,
                score=min(1.0, max(0.0, c.score)),
                features=[list(f) for f in c.features],
            )
            if c.text in decisions:
                decision, by, at, claim = decisions.pop(c.text)
                candidate.decision, candidate.decided_by_id = decision, by
                candidate.decided_at, candidate.claim_id = at, claim
                kept += 1
            candidates.append(candidate)
    ClaimCandidate.objects.bulk_create(candidates)
    return len(candidates), kept
