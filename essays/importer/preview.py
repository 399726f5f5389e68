"""What saving a parsed essay would do, for the admin's import preview. Reads only."""

from __future__ import annotations

from essays.choices import ClaimStatus
from essays.importer.bibliography import known_outlets, outlets_by_domain
from essays.importer.keeping import (
    attribution_of,
    keep_editor_fixes,
    match_quotations,
    parsed_attribution,
)
from essays.importer.layout import layout
from essays.importer.model import ParsedEssay
from essays.importer.reanchoring import plan_reanchoring
from essays.models import Claim, Essay, Quotation
from essays.selectors import checked_before
from sources.models import Source
from sources.recognition import registrable_domain
from sources.selectors import outlet_registry, person_registry, person_registry_with_ids

# The most check-worthy candidates are looked up among reviewed claims ("checked before").
CHECKED_BEFORE_LOOKUPS = 60


def import_preview(parsed: ParsedEssay) -> dict:
    """What saving ``parsed`` would do, for the admin's import preview. Reads only.

    Sections with their quotation counts, every quotation's attribution (and whether
    its speaker and outlets already exist), the claim candidates by score, dropped lines
    and warnings; and, when an essay with the same canonical URL exists, that it will be
    updated and how many of its claims will be re-anchored or lose their anchor.
    """
    sections = layout(parsed)
    headings = [s.heading for s in sections]
    outlets = outlet_registry()
    people = person_registry()
    quotations = [
        {
            "number": q.index + 1,
            "section": parsed_section.heading or "Introduction",
            "text": q.text,
            "speaker": q.speaker,
            "speaker_is_person": q.speaker_kind == "person",
            "speaker_known": q.speaker_kind == "person" and people.resolve(q.speaker) is not None,
            "outlet": q.outlet,
            "outlet_known": bool(q.outlet) and outlets.get(q.outlet) is not None,
            "via": q.via,
            "via_known": bool(q.via) and outlets.get(q.via) is not None,
            "scare": q.scare,
            "emphasis_added": q.emphasis_added,
            "repeat_of": None if q.repeat_of is None else q.repeat_of + 1,
        }
        for parsed_section in parsed.sections
        for q in parsed_section.quotations
    ]
    existing = None
    if parsed.canonical_url:
        existing = Essay.objects.filter(canonical_url=parsed.canonical_url).first()
    candidates = sorted(
        (
            {"section": s.heading or "Introduction", "text": c.text, "score": c.score}
            for s in parsed.sections
            for c in s.claims
        ),
        key=lambda c: -c["score"],
    )
    for candidate in candidates[:CHECKED_BEFORE_LOOKUPS]:
        candidate["checked_before"] = checked_before(
            candidate["text"], exclude_essay_id=existing.pk if existing else None
        )
    update = None
    if existing is not None:
        claims = list(Claim.objects.filter(section__essay=existing).select_related("section"))
        placements = plan_reanchoring(
            [s.body for s in sections],
            headings,
            [(c, c.section.heading, None) for c in claims],
        )
        found = sum(1 for p in placements if p is not None and p.found)
        old = list(
            Quotation.objects.filter(section__essay=existing).order_by("section__position", "start")
        )
        parsed_quotations = [q for s in parsed.sections for q in s.quotations]
        matched = match_quotations(old, parsed_quotations)
        attribution = _parsed_attribution(parsed)
        fixes, changed, conflicts = 0, 0, []
        for new, was in matched:
            now = attribution_of(was)
            values, kept_fixes, disagreements = keep_editor_fixes(
                now, was.imported, attribution(new)
            )
            fixes += len(kept_fixes)
            changed += values != now
            conflicts += [f"“{was.text}”: {d}" for d in disagreements]
        update = {
            "quotations_kept": len(matched),
            "quotations_changed": changed,
            "quotations_new": len(parsed_quotations) - len(matched),
            "quotations_removed": len(old) - len(matched),
            "fixes_kept": fixes,
            "conflicts": conflicts,
            "essay": existing,
            "published": existing.status == Essay.Status.PUBLISHED,
            "claims": len(claims),
            "reviewed": sum(1 for c in claims if c.status != ClaimStatus.UNREVIEWED),
            "reanchored": found,
            "lost": len(claims) - found,
        }
    return {
        "parsed": parsed,
        "sections": [
            {
                "heading": s.heading,
                "paragraphs": len(s.paragraphs),
                "quotations": len(s.quotations),
                "candidates": len(s.claims),
            }
            for s in parsed.sections
        ],
        "quotations": quotations,
        "candidates": candidates,
        "new_outlets": sorted(
            {
                n
                for q in quotations
                for n, known in ((q["outlet"], q["outlet_known"]), (q["via"], q["via_known"]))
                if n and not known
            }
        ),
        "new_people": sorted(
            {q["speaker"] for q in quotations if q["speaker_is_person"] and not q["speaker_known"]}
        ),
        "update": update,
    }


def _parsed_attribution(parsed: ParsedEssay):
    """A function giving a parsed quotation's attribution as a save would store it, by
    the save's own rule (`parsed_attribution`), reading only: a speaker, outlet or source
    the database does not have yet stands as a new value, unequal to every row."""
    quotes = parsed.quotations
    known, _, missing, _ = known_outlets({n for q in quotes for n in (q.outlet, q.via) if n})
    outlet_ids = {**known, **{name: f"new outlet {name}" for name in missing}}
    people, person_pks = person_registry_with_ids()
    person_ids = {
        q.speaker: person_pks.get(id(people.resolve(q.speaker))) or f"new person {q.speaker}"
        for q in quotes
        if q.speaker and q.speaker_kind == "person"
    }
    urls = {q.source.url for q in quotes if q.source}
    stored = dict(Source.objects.filter(url__in=urls).values_list("url", "pk"))
    source_ids = {url: stored.get(url) or f"new source {url}" for url in urls}
    domains = outlets_by_domain()
    source_outlets = {url: domains.get(registrable_domain(url)) for url in urls}
    return lambda q: parsed_attribution(
        q, outlet_ids=outlet_ids, person_ids=person_ids, source_ids=source_ids,
        source_outlets=source_outlets,
    )  # fmt: skip
