"""Which document a quotation cites: a link on it or beside it, or a note marker after it.

Pure functions over a paragraph's text and its references (hyperlinks by the span of
their anchor text; note markers by the point where they stood, with the note's URL and
title). For one quotation, in order of preference:

1. a link whose anchor text overlaps the quoted words ("…said “[the road is open](url)”");
2. a link on its attribution ("…”, [the Telegraph reported](url)");
3. a note marker right after the quotation or at the end of its sentence ("…open”[3]");
4. a link elsewhere in the quotation's sentence, the nearest one.

Only web addresses (http, https) count; a reference in another sentence never does.
"""

from __future__ import annotations

from collections.abc import Sequence

from essays.importer.blocks import Reference
from essays.importer.model import ParsedSource
from essays.importer.sentences import split_sentences

# How far after the closing mark a note marker still belongs to the quotation
# (closing quotation mark, punctuation, a space).
NOTE_REACH = 4


def _web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    for begin, finish in split_sentences(text, [(start, end)]):
        if begin <= start < finish or begin < end <= finish:
            return begin, max(finish, end)
    return 0, len(text)


def cited_source(
    text: str,
    start: int,
    end: int,
    references: Sequence[Reference],
    *,
    attribution: tuple[int, int] | None = None,
    outlet: str | None = None,
) -> ParsedSource | None:
    """The document the quotation text[start:end] cites, or None (rules above)."""
    links = [r for r in references if r.note is None and r.end > r.start and _web(r.url)]
    notes = [r for r in references if r.note is not None and r.url and _web(r.url)]
    begin, finish = _sentence_around(text, start, end)

    def overlaps(r: Reference, a: int, b: int) -> bool:
        return r.start < b and r.end > a

    chosen = next((r for r in links if overlaps(r, start, end)), None)
    if chosen is None and attribution:
        chosen = next((r for r in links if overlaps(r, *attribution)), None)
    if chosen is None:
        chosen = next(
            (r for r in notes if end <= r.start <= end + NOTE_REACH or r.start == finish),
            None,
        )
    if chosen is None:
        nearby = [r for r in links if begin <= r.start and r.end <= finish]
        chosen = min(
            nearby, key=lambda r: min(abs(r.start - end), abs(start - r.end)), default=None
        )
    if chosen is None:
        return None
    return ParsedSource(url=chosen.url, title=chosen.title, outlet=outlet)
