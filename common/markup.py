"""Markdown to safe HTML, with claim and quotation spans marked: pure functions, no ORM.

Section bodies are Markdown written by editors; claims and quotations are character
spans [start, end) of that Markdown. To mark them we put private-use sentinel
characters at the span boundaries, render with markdown-it (raw HTML off), sanitize with
nh3, and only then turn the sentinels into our own trusted markup. The last step walks
the sanitized HTML with a real parser and wraps the text inside each span: one wrapper
around inline elements the span encloses whole (a quotation with emphasis is one <q>),
split only where the span crosses an element's edge or a paragraph break, so the output
is always well formed; every piece of text is escaped again on the way out.

Every text run is also closed for bidi: an RTL override (or any explicit embedding or
isolate) that an editor pasted in ends with the run it is in, so it can never reorder the
markup we add after it (a claim's verdict marker, a citation) or the page around it.

The output is split into top-level blocks (paragraphs, lists, quotes) so the page can put
each claim's counter-evidence next to the block in which the claim ends.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

import nh3
from markdown_it import MarkdownIt

from common.bidi import contain_bidi

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "sup", "sub", "del", "s", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
VOID_TAGS = {"br", "hr", "img", "wbr"}
# Inline elements a quotation's or claim's wrapper may enclose whole.
PHRASING_TAGS = {"em", "strong", "a", "code", "sup", "sub", "del", "s", "br"}

# One boundary: U+E000, kind (c = claim, q = quotation), s/e (start/end), id, U+E001.
_SENTINEL = re.compile("\ue000([cq])([se])(\\d+)\ue001")
_ANY_SENTINEL_CHAR = re.compile("[\ue000\ue001]")
# Block syntax at the start of a line that a sentinel placed before it would break.
_LINE_START_SYNTAX = re.compile(r"(?:[ ]{0,3}(?:>[ ]?|#{1,6}[ ]+|[-*+][ ]+|\d{1,9}[.)][ ]+))+")

Kind = Literal["claim", "quote"]


@dataclass(frozen=True)
class Mark:
    """A span of Markdown source to mark: a claim or a quotation, by its id."""

    kind: Kind
    id: int
    start: int
    end: int


@dataclass
class Block:
    """One top-level block of rendered HTML and the claims whose span ends inside it."""

    html: str
    claim_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Decorations:
    """The trusted HTML our caller wants around marked spans.

    `open`/`close` wrap every text run inside a span; `after` is emitted once, where the
    span ends (the claim's verdict marker, the quotation's citation link).
    """

    open: Callable[[Kind, int], str]
    close: Callable[[Kind, int], str]
    after: Callable[[Kind, int], str]


def sanitize(rendered_html: str) -> str:
    """Reduce HTML to the small tag/attribute set an essay may use; links get rel=noopener."""
    return nh3.clean(
        rendered_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML (raw HTML in the source is shown as text, never run),
    with bidi controls contained in each text run."""
    return "".join(block.html for block in render_marked(text, [], _NO_DECORATIONS))


def anchor_span(body: str, *, exact: str, start: int, end: int, prefix: str = "") -> int | None:
    """Where `exact` starts in `body` now: at `start` if it is still there, else the nearest
    occurrence (preferring one preceded by `prefix`), else None if the words are gone.

    This is the re-anchoring a W3C TextQuoteSelector allows after edits to the section.
    """
    if not exact:
        return None
    if 0 <= start and body[start:end] == exact:
        return start
    hits = [m.start() for m in re.finditer(re.escape(exact), body)]
    if not hits:
        return None
    if prefix:
        with_prefix = [h for h in hits if body[:h].endswith(prefix)]
        hits = with_prefix or hits
    return min(hits, key=lambda h: abs(h - start))


def _insertion_offset(body: str, offset: int, *, is_start: bool) -> int:
    """Move a start boundary past block syntax at a line start so Markdown still sees it."""
    if not is_start or (offset > 0 and body[offset - 1] != "\n"):
        return offset
    match = _LINE_START_SYNTAX.match(body, offset)
    return match.end() if match else offset


def _with_sentinels(body: str, marks: Iterable[Mark]) -> str:
    # The body's own U+E000/U+E001 (pasted in, or typed by a hostile editor) become U+FFFD,
    # one code point for one so that every offset still holds: only the boundaries
    # inserted below can be read as marks.
    body = _ANY_SENTINEL_CHAR.sub("\ufffd", body)
    boundaries: list[tuple[int, int, int, str]] = []
    code = {"claim": "c", "quote": "q"}
    for mark in marks:
        if not (0 <= mark.start < mark.end <= len(body)):
            continue
        start = _insertion_offset(body, mark.start, is_start=True)
        if start >= mark.end:
            continue
        # At one offset: ends before starts; among ends the inner (later start) first;
        # among starts the outer (later end) first. So nested spans stay nested.
        boundaries.append((mark.end, 0, -mark.start, f"\ue000{code[mark.kind]}e{mark.id}\ue001"))
        boundaries.append((start, 1, -mark.end, f"\ue000{code[mark.kind]}s{mark.id}\ue001"))
    boundaries.sort(key=lambda b: (b[0], b[1], b[2]))
    out, last = [], 0
    for offset, _, _, token in boundaries:
        out.append(body[last:offset])
        out.append(token)
        last = offset
    out.append(body[last:])
    return "".join(out)


def _attrs(attrs: list[tuple[str, str | None]]) -> str:
    parts = []
    for name, value in attrs:
        if value is None:
            parts.append(f" {name}")
        else:
            value = _ANY_SENTINEL_CHAR.sub("", value)
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(parts)


class _Tokens(HTMLParser):
    """Sanitized HTML as a flat list of events, with sentinels turned into mark events:
    ("start", tag, attrs) ("void", tag, attrs) ("end", tag) ("text", str)
    ("mark", kind, "s" or "e", id)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("void" if tag in VOID_TAGS else "start", tag, _attrs(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("void", tag, _attrs(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        kinds: dict[str, Kind] = {"c": "claim", "q": "quote"}
        pieces = _SENTINEL.split(data)
        # split() yields text, then (kind, edge, id) triples, then text, …
        self.events.append(("text", pieces[0]))
        for i in range(1, len(pieces), 4):
            self.events.append(("mark", kinds[pieces[i]], pieces[i + 1], int(pieces[i + 2])))
            self.events.append(("text", pieces[i + 3]))


def _can_stay_open_across(events: list[tuple]) -> list[bool]:
    """For each event: True if it opens an inline element that no span ends inside, so a
    span's wrapper already open around it may simply stay open (one <q> around
    "the <strong>road</strong> is open", not three)."""
    keep = [False] * len(events)
    open_at: list[tuple[int, int]] = []  # (event index, span ends seen before it)
    ends = 0
    for index, event in enumerate(events):
        if event[0] == "start":
            open_at.append((index, ends))
        elif event[0] == "end" and open_at:
            start, ends_before = open_at.pop()
            keep[start] = events[start][1] in PHRASING_TAGS and ends == ends_before
        elif event[0] == "mark" and event[2] == "e":
            ends += 1
    return keep


class _Emitter:
    """Write the events back as HTML, wrapping the text of each span.

    A wrapper is opened lazily before text inside its span, at the current element depth,
    and closed before the end tag of the element it was opened in, before an element it
    may not stay open across, and wherever any span ends (so markers never sit inside a
    wrapper). Wrappers and elements therefore always nest, whatever the spans cross.
    """

    def __init__(self, decorations: Decorations) -> None:
        self.decorations = decorations
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.claims_here: list[int] = []
        self.depth = 0
        self.active: list[tuple[Kind, int]] = []  # spans begun and not ended, in order
        self.wrappers: list[tuple[tuple[Kind, int], int]] = []  # (span, depth) open now
        self.ended: set[tuple[Kind, int]] = set()

    def emit(self, events: list[tuple]) -> None:
        keep = _can_stay_open_across(events)
        for index, event in enumerate(events):
            match event:
                case ("start", tag, attrs):
                    if not keep[index]:
                        self._close_wrappers()
                    self.parts.append(f"<{tag}{attrs}>")
                    self.depth += 1
                case ("void", tag, attrs):
                    self.parts.append(f"<{tag}{attrs}>")
                case ("end", tag):
                    self._close_wrappers()
                    self.parts.append(f"</{tag}>")
                    self.depth = max(0, self.depth - 1)
                    if self.depth == 0:
                        self.flush()
                case ("text", text):
                    self._text(text)
                case ("mark", kind, edge, ident):
                    self._mark(kind, edge, ident)

    def _close_wrappers(self) -> None:
        """Close the wrappers opened at the current depth (the innermost ones)."""
        while self.wrappers and self.wrappers[-1][1] == self.depth:
            (kind, ident), _ = self.wrappers.pop()
            self.parts.append(self.decorations.close(kind, ident))

    def _mark(self, kind: Kind, edge: str, ident: int) -> None:
        key = (kind, ident)
        if edge == "s":
            self.active.append(key)
            return
        if key in self.ended:
            return
        if key in self.active:
            self.active.remove(key)
        self.ended.add(key)
        self._close_wrappers()
        self.parts.append(self.decorations.after(kind, ident))
        if kind == "claim":
            self.claims_here.append(ident)

    def _text(self, text: str) -> None:
        if not text or (self.depth == 0 and not text.strip()):
            return
        open_now = {key for key, _ in self.wrappers}
        for key in self.active:
            if key not in open_now:
                self.parts.append(self.decorations.open(*key))
                self.wrappers.append((key, self.depth))
        self.parts.append(html.escape(contain_bidi(text), quote=False))

    def flush(self) -> None:
        self._close_wrappers()
        if self.parts:
            self.blocks.append(Block(html="".join(self.parts), claim_ids=self.claims_here))
        self.parts, self.claims_here = [], []


_NO_DECORATIONS = Decorations(open=lambda *_: "", close=lambda *_: "", after=lambda *_: "")


def render_marked(body: str, marks: list[Mark], decorations: Decorations) -> list[Block]:
    """Render one section's Markdown with its claims and quotations marked, as blocks.

    Every claim in `marks` appears in exactly one block's `claim_ids` with its marker in
    that block's HTML: a claim whose end could not be placed in the text (its span fell
    inside a link address, say) gets a final block of its own, so no verdict is ever lost.
    """
    tokens = _Tokens()
    tokens.feed(sanitize(_md.render(_with_sentinels(body or "", marks))))
    tokens.close()
    walker = _Emitter(decorations)
    walker.emit(tokens.events)
    walker.flush()
    missing = [m.id for m in marks if m.kind == "claim" and ("claim", m.id) not in walker.ended]
    if missing:
        markers = " ".join(decorations.after("claim", ident) for ident in missing)
        walker.blocks.append(
            Block(html=f'<p class="claims-unplaced">{markers}</p>', claim_ids=missing)
        )
    return walker.blocks
