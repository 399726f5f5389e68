"""A re-import keeps what editors fixed: which old quotation a parsed one is, and which of
its attribution fields an editor changed since the last import.

Each quotation remembers what the last import set in its attribution fields
(`Quotation.imported`). A field whose value differs from that record was changed by a
person, and the person wins: a re-import keeps it (and says so when the new file
disagrees). A field nobody touched takes the new parse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from essays.models import ATTRIBUTION_FIELDS, Quotation

LABELS = {
    "speaker_id": "speaker", "speaker_description": "speaker description",
    "outlet_id": "outlet", "via_id": "via", "source_id": "source",
    "emphasis_added": "emphasis added", "is_scare_quote": "scare quote",
}  # fmt: skip


def attribution_of(quotation: Quotation) -> dict:
    """The quotation's attribution fields by attname (ids for people, outlets, sources)."""
    return {
        field.attname: getattr(quotation, field.attname)
        for field in (quotation._meta.get_field(name) for name in ATTRIBUTION_FIELDS)
    }


def parsed_attribution(
    q,
    *,
    outlet_ids: dict[str, object],
    person_ids: dict[str, object],
    source_ids: dict[str, object],
    source_outlets: dict[str, object],
) -> dict:
    """A parsed quotation's attribution as a save stores it (by attname), given the rows
    its names and addresses stand for: a named person, or else the speaker as a
    description; the outlet named in the text, else the one the cited link is on."""
    description_max = Quotation._meta.get_field("speaker_description").max_length
    named = q.speaker_kind == "person" and q.speaker in person_ids
    url = q.source.url if q.source else None
    return {
        "speaker_id": person_ids[q.speaker] if named else None,
        "speaker_description": "" if named else (q.speaker or "")[:description_max].rstrip(),
        "outlet_id": outlet_ids.get(q.outlet) if q.outlet else source_outlets.get(url),
        "via_id": outlet_ids.get(q.via) if q.via else None,
        "source_id": source_ids.get(url) if url else None,
        "emphasis_added": q.emphasis_added,
        "is_scare_quote": q.scare,
    }


def match_quotations(
    old: Iterable[Quotation], new: Iterable[Quotation]
) -> list[tuple[Quotation, Quotation]]:
    """(new, old) pairs: quotations with the same words, the n-th occurrence of the words
    in the new text paired with their n-th occurrence in the old (both in reading order)."""
    waiting: dict[str, list[Quotation]] = defaultdict(list)
    for quotation in old:
        waiting[quotation.text].append(quotation)
    pairs = []
    for quotation in new:
        if waiting[quotation.text]:
            pairs.append((quotation, waiting[quotation.text].pop(0)))
    return pairs


def keep_editor_fixes(
    current: dict, imported_before: dict, parsed: dict
) -> tuple[dict, list[str], list[str]]:
    """The attribution to store after a re-import, the fields kept because an editor
    changed them, and conflicts (an editor's change kept where the new file says
    something else too). A quotation imported before imports were recorded knows only
    that a source is an editor's (imports never set one then)."""
    values, fixes, conflicts = {}, [], []
    for name, parsed_value in parsed.items():
        now = current[name]
        if name not in imported_before:
            values[name] = now if name == "source_id" and now is not None else parsed_value
        elif now != imported_before[name]:
            values[name] = now
            fixes.append(name)
            if parsed_value not in (imported_before[name], now):
                conflicts.append(
                    f"{LABELS[name]}: the editor's change is kept; the new file has another"
                )
        else:
            values[name] = parsed_value
    return values, fixes, conflicts
