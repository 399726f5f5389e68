"""Footnotes and endnotes: a note's URL and title, a plain-text notes list at the end of
an essay, and the note markers ("[3]", "³") in the text that point at it.

Every format ends up with the same thing: ``Note`` objects for the essay and, in each
block, a ``Reference`` with ``note`` set where a marker stood (the marker itself is
removed from the text).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..blocks import Block, Note, Reference

URL = re.compile(r"https?://[^\s<>\"“”‘’'\]\[)(]+(?:\([^\s)]*\)[^\s<>\"“”‘’'\]\[)(]*)*")
_URL_TRAIL = ".,;:!?…"
# A quoted article title in a citation: "Title," / “Title” (nested single quotes kept).
_QUOTED_TITLE = re.compile(r"[\"“„«]\s*(?P<title>[^\"“”„«»]{3,300}?)\s*[\"”“»]")
_TITLE_TRAIL = " ,.;:"

# A heading that opens the notes at the end of an essay (alone on its line).
NOTES_HEADING = re.compile(
    r"^(?:notes?|end\s?notes|foot\s?notes|references|sources(?: and notes)?|bibliography"
    r"|works cited|citations|further reading|notes and sources)\s*:?$",
    re.IGNORECASE,
)
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT, "0123456789")
# A numbered entry of a notes list: "1. …", "1) …", "[1] …", "¹ …", "1 …" (digits then a
# space and a capital, quote or letter: a list, not a sentence that starts with a year).
_ENTRY = re.compile(
    rf"^(?:\[(?P<b>\d{{1,3}})\]|(?P<d>\d{{1,3}})[.)]|(?P<s>[{_SUPERSCRIPT}]{{1,3}})|"
    r"\^(?P<c>\d{1,3})\.?)\s+(?P<text>\S.*)$"
)
# A marker in running text: "[3]" (not "[ISIS]", not "[sic]") or superscript digits.
_MARKER = re.compile(rf"\[(?P<b>\d{{1,3}})\]|(?P<s>[{_SUPERSCRIPT}]{{1,3}})")
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


def note_from_text(label: str, text: str) -> Note:
    """A ``Note`` for ``text``: its first URL, and its title when the text quotes one
    ("WCFN News, "Mayor Says No," March 1, 2016, https://…" → "Mayor Says No")."""
    text = " ".join(text.split())
    url = first_url(text)
    title = ""
    m = _QUOTED_TITLE.search(text.replace(url or "\0", " "))
    if m:
        title = m.group("title").strip(_TITLE_TRAIL)
    return Note(label=label, text=text, url=url, title=title)


def first_url(text: str) -> str | None:
    """The first http(s) URL in ``text``, without the punctuation that ends a sentence."""
    m = URL.search(text)
    return m.group().rstrip(_URL_TRAIL) if m else None


def split_notes_list(lines: list[tuple[int, str]]) -> tuple[int, list[Note], list[str]]:
    """Find a notes list at the end of plain text.

    ``lines`` are (line number, text) pairs of the whole document. Returns the index
    in ``lines`` where the notes begin (``len(lines)`` when there are none), the notes,
    and the heading lines consumed ("Notes", "Sources"). A notes heading counts only
    when everything after it, to the end, is notes: numbered entries (with their wrapped
    continuation lines), further notes headings, or, under a heading, unnumbered
    citations that carry a URL or a year (label "").
    """
    start = len(lines)
    # Walk back over the tail while it still reads as notes.
    i = len(lines) - 1
    candidate = len(lines)
    while i >= 0:
        text = lines[i][1].strip()
        if not text:
            i -= 1
            continue
        if NOTES_HEADING.match(text):
            candidate = i
        elif not (_ENTRY.match(text) or _citation_like(text) or _continuation(lines, i)):
            break
        i -= 1
    if candidate == len(lines) or not any(
        t.strip() for _, t in lines[candidate + 1 :] if not NOTES_HEADING.match(t.strip())
    ):
        return start, [], []
    notes: list[Note] = []
    headings: list[str] = []
    current: list[str] | None = None
    label = ""
    after_blank = True
    for _, raw in lines[candidate:]:
        text = raw.strip()
        follows, after_blank = not after_blank, not text
        if not text:
            continue
        heading = NOTES_HEADING.match(text)
        entry = _ENTRY.match(text)
        if heading:
            _close(notes, label, current)
            current, label = None, ""
            headings.append(text)
        elif entry:
            _close(notes, label, current)
            raw_label = entry.group("b") or entry.group("d") or entry.group("c") or ""
            label = raw_label or entry.group("s").translate(_FROM_SUPERSCRIPT)
            current = [entry.group("text")]
        elif current is not None and label and follows:
            current.append(text)  # a numbered entry wrapped onto the next line
        else:
            _close(notes, label, current)
            label, current = "", [text]
    _close(notes, label, current)
    return candidate, notes, headings


def _close(notes: list[Note], label: str, parts: list[str] | None) -> None:
    if parts:
        notes.append(note_from_text(label, " ".join(parts)))


def _citation_like(text: str) -> bool:
    return bool(URL.search(text)) or (bool(_YEAR.search(text)) and len(text) < 400)


def _continuation(lines: list[tuple[int, str]], i: int) -> bool:
    """A wrapped line of a numbered entry: an entry (or another continuation) is above."""
    j = i - 1
    while j >= 0 and lines[j][1].strip():
        if _ENTRY.match(lines[j][1].strip()):
            return True
        j -= 1
    return False


def attach_markers(block: Block, notes: dict[str, Note]) -> Block:
    """Remove the note markers of ``block`` whose label is a known note ("[3]", "³"),
    and add a ``Reference`` at each marker's position. Markers with no such note, and
    every bracketed insertion that is not a bare number, stay in the text."""
    if not notes:
        return block
    text = block.text
    pieces: list[str] = []
    references: list[Reference] = []
    removed: list[tuple[int, int]] = []  # (position in the old text, characters removed)
    last = 0
    for m in _MARKER.finditer(text):
        label = m.group("b") or (m.group("s") or "").translate(_FROM_SUPERSCRIPT)
        note = notes.get(label)
        if note is None:
            continue
        start, end = m.start(), m.end()
        # "word [3] next" → "word next": the space before the marker goes too.
        if start > 0 and text[start - 1] == " " and (end == len(text) or text[end] == " "):
            start -= 1
        pieces.append(text[last:start])
        position = sum(len(p) for p in pieces)
        references.append(
            Reference(position, position, note.url or "", note.title, label, note.text)
        )
        removed.append((start, end - start))
        last = end
    if not references:
        return block
    pieces.append(text[last:])

    def moved(offset: int) -> int:
        return offset - sum(n for at, n in removed if at < offset)

    kept = tuple(replace(r, start=moved(r.start), end=moved(r.end)) for r in block.references)
    emphasis = tuple((moved(a), moved(b)) for a, b in block.emphasis)
    starts = tuple((moved(o), n) for o, n in block.line_starts)
    return replace(
        block,
        text="".join(pieces),
        references=tuple(sorted((*kept, *references), key=lambda r: (r.start, r.end))),
        emphasis=emphasis,
        line_starts=starts,
    )
