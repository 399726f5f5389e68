"""``save_import``: one transaction that writes a parsed essay (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from essays.importer.bibliography import _outlets, _people, _sources
from essays.importer.errors import EssayImportError, locate
from essays.importer.keeping import (
    attribution_of,
    keep_editor_fixes,
    match_quotations,
    parsed_attribution,
)
from essays.importer.layout import SectionLayout, _checked_span, layout
from essays.importer.model import ParsedEssay, ParsedSection
from essays.importer.reanchoring import _carry_over, _reanchor_claims
from essays.importer.result import ImportResult
from essays.indexing import reindex_essay
from essays.models import ATTRIBUTION_FIELDS, ClaimCandidate, Essay, Quotation, Section
from sources.models import unique_slug

# Old sections' positions move this far out of the way while old and new rows are swapped
# (positions are unique per essay).
_POSITION_SHIFT = 1_000_000

Progress = Callable[[str], None]

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

    step("outlets, people and sources")
    outlet_ids = _outlets(parsed, result)
    person_ids = _people(parsed, result)
    source_ids = _sources(parsed, outlet_ids, result)

    step("sections")
    sections = layout(parsed)
    old_sections = list(essay.sections.order_by("position")) if not created else []
    rows = _write_sections(essay, sections, old_sections, actor)
    result.sections = len(rows)

    if not created:
        step("existing claims")
        _reanchor_claims(essay, sections, rows, old_sections, actor, result, name)
        decisions = _carry_over(essay)
    else:
        decisions = {}

    step("quotations")
    quotations = _parsed_quotations(
        parsed, sections, rows, outlet_ids, person_ids, source_ids, result.source_outlets
    )
    result.quotations = len(quotations)
    _write_quotations(essay, quotations, created, actor, result)
    if not created:
        # Old candidates are replaced; old sections no longer used go too (their claims
        # and quotations were moved above, so PROTECT is satisfied).
        ClaimCandidate.objects.filter(section__essay=essay).delete()
        reused = {row.pk for row in rows}
        Section.objects.filter(pk__in=[s.pk for s in old_sections if s.pk not in reused]).delete()
    step("claim candidates")
    result.candidates, result.decisions_kept = _write_candidates(parsed, sections, rows, decisions)
    step("search index")
    reindex_essay(essay.pk)  # sections and quotations were written in bulk
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


# --- quotations and candidates ----------------------------------------------------------


def _parsed_quotations(
    parsed: ParsedEssay,
    sections: list[SectionLayout],
    rows: list[Section],
    outlet_ids: dict[str, int],
    person_ids: dict[str, int],
    source_ids: dict[str, int],
    source_outlets: dict[str, int],
) -> list[tuple[Quotation, int | None, int]]:
    """The parsed quotations as unsaved rows, in document order, each with the index of
    the quotation it repeats (or None) and its own; `imported` records the attribution
    as parsed."""
    quotations = []
    parsed_section: ParsedSection
    for parsed_section, section, row in zip(parsed.sections, sections, rows, strict=True):
        for q in parsed_section.quotations:
            start, end = _checked_span(
                section.body, section.span(q.paragraph, q.start, q.end), q.text
            )
            quotation = Quotation(
                section=row,
                start=start,
                end=end,
                text=q.text,
                confidence=q.confidence or "",
                **parsed_attribution(
                    q,
                    outlet_ids=outlet_ids,
                    person_ids=person_ids,
                    source_ids=source_ids,
                    source_outlets=source_outlets,
                ),  # fmt: skip
            )
            quotation.imported = attribution_of(quotation)
            quotations.append((quotation, q.repeat_of, q.index))
    return quotations


def _write_quotations(
    essay: Essay,
    quotations: list[tuple[Quotation, int | None, int]],
    created: bool,
    actor,
    result: ImportResult,
) -> None:
    """Write the parsed quotations. On a re-import each is matched to the old quotation
    with the same words (the n-th occurrence to the n-th) and updated in place (its id,
    check and history stay): an attribution field an editor changed since the last import
    keeps the editor's value; a field nobody touched takes the new parse. Old quotations
    the file no longer has are deleted."""
    old = (
        []
        if created
        else list(
            Quotation.objects.filter(section__essay=essay).order_by("section__position", "start")
        )
    )
    matched = match_quotations(old, [q for q, _, _ in quotations])
    for quotation, was in matched:
        values, fixes, conflicts = keep_editor_fixes(
            attribution_of(was), was.imported, quotation.imported
        )
        for attname, value in values.items():
            setattr(quotation, attname, value)
        # A new version: a desk form loaded before the re-import can no longer save.
        quotation.pk, quotation.version = was.pk, was.version + 1
        quotation.checked_by_id, quotation.checked_at = was.checked_by_id, was.checked_at
        result.fixes_kept += len(fixes)
        result.conflicts += [f"“{quotation}”: {conflict}" for conflict in conflicts]
    kept_ids = {was.pk for _, was in matched}
    gone = [q.pk for q in old if q.pk not in kept_ids]
    Quotation.objects.filter(pk__in=gone).delete()
    result.quotations_removed = len(gone)
    result.quotations_updated = len(matched)

    by_index = {index: quotation for quotation, _, index in quotations}
    fields = ["section", "start", "end", "text", "confidence", "imported", "version",
              *ATTRIBUTION_FIELDS]  # fmt: skip
    for first_pass in (True, False):  # quotations first, then the repeats that point at them
        batch = [(q, r) for q, r, _ in quotations if (r is None or r not in by_index) == first_pass]
        for quotation, repeat_of in batch:
            quotation.repeat_of = None if first_pass else by_index[repeat_of]
        updated = [q for q, _ in batch if q.pk]
        new = [q for q, _ in batch if not q.pk]
        if updated:
            bulk_update_with_history(
                updated, Quotation, [*fields, "repeat_of"], batch_size=500,
                default_user=actor, default_change_reason="re-imported",
            )  # fmt: skip
        if new:
            bulk_create_with_history(
                new, Quotation, default_user=actor, default_change_reason="imported"
            )


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
