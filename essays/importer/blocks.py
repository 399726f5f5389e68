"""The common shape every reader produces, before the essay is assembled."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

# kind: "heading" (decided by markup), "paragraph", "line" (plain text: heading or
# paragraph is decided later from shape and neighbours), "chrome" (page furniture
# such as <nav>/<footer>: always dropped).


@dataclass(frozen=True, slots=True)
class Reference:
    """A hyperlink or a footnote/endnote reference inside a block's text.

    A hyperlink spans its anchor text: ``text[start:end]`` is what the reader clicked,
    ``url`` its target, ``title`` the link's title attribute when it had one.

    A note reference has ``note`` set to its label ("3", "a"): the marker itself
    ("[3]", "³", "[^3]") is removed from the text and ``start == end`` is the position
    where it stood. ``note_text`` is the note's full text; ``url`` and ``title`` are
    read from that text when it gives them ("" when it does not).
    """

    start: int
    end: int
    url: str
    title: str = ""
    note: str | None = None
    note_text: str = ""

    def shifted(self, delta: int) -> Reference:
        """The same reference with its offsets moved by ``delta`` (text trimmed or
        prefixed in front of it)."""
        return Reference(
            max(self.start + delta, 0),
            max(self.end + delta, 0),
            self.url,
            self.title,
            self.note,
            self.note_text,
        )


@dataclass(frozen=True, slots=True)
class Note:
    """One footnote or endnote of the essay: its label ("3"; "" for an unnumbered entry
    of a Sources/References list), its full text, and the URL and title its text gives
    (None / "" when it gives none)."""

    label: str
    text: str
    url: str | None = None
    title: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "url": self.url, "title": self.title}


@dataclass(slots=True)
class Block:
    """One block of the source: its text, where it came from, what the markup said."""

    kind: str
    text: str
    line: int | None
    level: int | None = None  # heading level when markup gave one
    blockquote: bool = False
    blank_before: bool = True
    # (offset in text, source line) for each source line joined into ``text``.
    line_starts: tuple[tuple[int, int], ...] = ()
    references: tuple[Reference, ...] = ()  # hyperlinks and note markers, by offset
    emphasis: tuple[tuple[int, int], ...] = ()  # italic/emphasised spans (start, end)

    def line_at(self, offset: int) -> int | None:
        """Source line of character ``offset`` of ``text`` (best effort)."""
        if not self.line_starts:
            return self.line
        i = bisect_right([o for o, _ in self.line_starts], offset) - 1
        return self.line_starts[max(i, 0)][1]


@dataclass(slots=True)
class Document:
    """What a reader found: the blocks in order, the notes, and the metadata the
    format states outside the text (front matter, <head>, document properties).

    Metadata found here wins over what the text's own byline and date lines say.
    """

    blocks: list[Block]
    notes: tuple[Note, ...] = ()
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date
    canonical_url: str | None = None
    tags: tuple[str, ...] = ()
    dropped: list[str] = field(default_factory=list)  # lines the reader removed as furniture
    ignored: int = 0  # script/style elements (or similar) removed unread
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
