"""Markdown via markdown-it-py (CommonMark) with mdit-py-plugins' front matter and
footnotes; its source maps give line numbers."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from typing import Any

import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..blocks import Block, Document, Note, Reference
from ..cruft import parse_date
from .notes import first_url, note_from_text

_MD = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)

# Attribute lists of kramdown ("{: .byline }", "{:.lead}") and Pandoc ("{#id .class}")
# alone on a line; heading attributes at the end of a heading line; fenced divs.
_ATTRIBUTE_LINE = re.compile(r"^\s*\{:?\s*(?P<attrs>[^{}]*)\}\s*$")
_HEADING_ATTRIBUTES = re.compile(
    r"^(?P<heading>\s{0,3}#{1,6}\s.*?)\s*(?P<attrs>\{:?\s*[#.][^{}]*\})\s*$"
)
_FENCED_DIV = re.compile(r"^\s*:{3,}(?:\s*\{[^{}]*\}|\s*[\w-]+)?\s*$")
# A Pandoc bracketed span "[words]{lang=de}" is its words; a link's "{.class}" goes.
_SPAN = re.compile(r"\[(?P<words>[^\]\n]+)\]\{[^{}\n]*\}")
_LINK_ATTRIBUTES = re.compile(r"(?<=\))\{[.#][^{}\n]*\}")
_TOML_FENCE = "+++"
# A paragraph marked with one of these classes is page furniture, not the essay.
_FURNITURE_CLASSES = frozenset(
    {"byline", "author", "dateline", "date", "meta", "post-meta", "credit", "kicker", "share"}
)


def read_markdown(text: str) -> Document:
    """Turn Markdown into blocks and notes.

    Blocks: ATX and Setext headings, paragraphs (also inside lists), ``>`` block
    quotations (flagged; a block quote is one paragraph), code and raw HTML kept as
    paragraphs. Inline markup is reduced to its text; links and footnote references
    become ``Reference``s, italics ``emphasis`` spans.

    Also: YAML (``---``) or TOML (``+++``) front matter gives title, author, date,
    canonical URL and tags; footnotes (``[^1]: …``) are notes, not paragraphs;
    reference-link definitions are read by markdown-it; kramdown/Pandoc attribute
    lines, heading attributes and fenced-div fences are dropped (a paragraph marked
    ``{: .byline }`` or similar goes with them).
    """
    document = Document([])
    lines = text.split("\n")
    front: dict[str, Any] | None = None
    if lines and lines[0].strip() == _TOML_FENCE:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == _TOML_FENCE), None)
        if end is not None:
            try:
                front = tomllib.loads("\n".join(lines[1:end]))
            except tomllib.TOMLDecodeError as exc:
                document.warnings.append((1, f"front matter is not valid TOML: {exc}"))
            lines[: end + 1] = [""] * (end + 1)
    classes_at: dict[int, list[str]] = {}  # 0-based line → classes of the attribute line
    for i, line in enumerate(lines):
        attribute = _ATTRIBUTE_LINE.match(line)
        heading = _HEADING_ATTRIBUTES.match(line)
        if attribute and (attribute.group("attrs").lstrip()[:1] in ".#:" or "=" in line):
            classes_at[i] = re.findall(r"\.([\w-]+)", attribute.group("attrs"))
            document.dropped.append(line.strip())
            lines[i] = ""
        elif heading:
            document.dropped.append(heading.group("attrs"))
            lines[i] = heading.group("heading")
        elif _FENCED_DIV.match(line):
            document.dropped.append(line.strip())
            lines[i] = ""
        elif "]{" in line or "){" in line:
            lines[i] = _LINK_ATTRIBUTES.sub("", _SPAN.sub(r"\g<words>", line))
    tokens = _MD.parse("\n".join(lines))
    if tokens and tokens[0].type == "front_matter":
        try:
            loaded = yaml.safe_load(tokens[0].content)
            front = loaded if isinstance(loaded, dict) else None
        except yaml.YAMLError as exc:
            document.warnings.append((1, f"front matter is not valid YAML: {exc}"))
    if front:
        _apply_front_matter(document, front)
    notes = _read_notes(tokens)
    document.notes = tuple(notes.values())
    document.blocks = _read_blocks(tokens, notes, classes_at)
    return document


def _read_blocks(
    tokens: list[Token], notes: dict[str, Note], classes_at: dict[int, list[str]]
) -> list[Block]:
    blocks: list[Block] = []
    quote_depth = 0
    in_notes = False
    pending: Token | None = None  # the heading_open / paragraph_open awaiting its inline
    quote: Block | None = None  # the block quote being gathered into one paragraph
    for token in tokens:
        if token.type == "footnote_block_open":
            in_notes = True
        elif token.type == "footnote_block_close":
            in_notes = False
        if in_notes:
            continue
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
            if quote_depth == 0 and quote is not None:
                blocks.append(quote)
                quote = None
        elif token.type in ("heading_open", "paragraph_open"):
            pending = token
        elif token.type == "inline" and pending is not None:
            line = pending.map[0] + 1 if pending.map else None
            inline = _Inline(line, notes)
            inline.read(token)
            end_line = pending.map[1] if pending.map else None
            furniture = bool(_FURNITURE_CLASSES & set(classes_at.get(end_line, ())))
            if inline.text().strip():
                is_heading = pending.type == "heading_open"
                block = Block(
                    "chrome" if furniture else "heading" if is_heading else "paragraph",
                    inline.text(),
                    line,
                    level=int(pending.tag[1]) if is_heading else None,
                    blockquote=quote_depth > 0,
                    line_starts=tuple(inline.starts),
                    references=tuple(inline.references),
                    emphasis=tuple(inline.emphasis),
                )
                if quote_depth > 0 and not is_heading:
                    quote = block if quote is None else _join(quote, block)
                else:
                    blocks.append(block)
            pending = None
        elif token.type in ("fence", "code_block", "html_block"):
            content = token.content
            if token.type == "html_block":
                content = BeautifulSoup(content, "html.parser").get_text(" ")
            content = " ".join(content.split())
            if content:
                line = token.map[0] + 1 if token.map else None
                blocks.append(Block("paragraph", content, line, blockquote=quote_depth > 0))
    if quote is not None:
        blocks.append(quote)
    return blocks


def _join(first: Block, second: Block) -> Block:
    """Two paragraphs of one block quote as one paragraph (a block quote is one
    quotation), the second's offsets moved past the first's text and a space."""
    shift = len(first.text) + 1
    return Block(
        "paragraph",
        f"{first.text} {second.text}",
        first.line,
        blockquote=True,
        line_starts=(*first.line_starts, *((o + shift, n) for o, n in second.line_starts)),
        references=(*first.references, *(r.shifted(shift) for r in second.references)),
        emphasis=(*first.emphasis, *((a + shift, b + shift) for a, b in second.emphasis)),
    )


def _read_notes(tokens: list[Token]) -> dict[str, Note]:
    """The footnotes' texts by label, in the order they are defined."""
    notes: dict[str, Note] = {}
    label: str | None = None
    parts: list[str] = []
    urls: list[str] = []
    for token in tokens:
        if token.type == "footnote_open":
            label, parts, urls = _label(token), [], []
        elif token.type == "footnote_close" and label is not None:
            text = " ".join(" ".join(parts).split())
            note = note_from_text(label, text)
            url = next(iter(urls), None) or note.url
            notes[label] = Note(label, text, url, note.title)
            label = None
        elif token.type == "inline" and label is not None:
            inline = _Inline(None, {}, mark_emphasis=True)
            inline.read(token)
            parts.append(inline.text())
            urls.extend(r.url for r in inline.references if r.url.startswith("http"))
    return notes


def _label(token: Token) -> str:
    meta = token.meta or {}
    label = meta.get("label")
    return str(label) if label is not None else str(int(meta.get("id", 0)) + 1)


class _Inline:
    """The text of one inline token, with its line starts, references and emphasis."""

    def __init__(self, line: int | None, notes: dict[str, Note], *, mark_emphasis: bool = False):
        self.parts: list[str] = []
        self.length = 0
        self.starts = [(0, line)] if line is not None else []
        self.line = line
        self.notes = notes
        self.references: list[Reference] = []
        self.emphasis: list[tuple[int, int]] = []
        # Note texts keep italics as *…* (an italic publication name is a signal).
        self.mark_emphasis = mark_emphasis

    def add(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)

    def read(self, token: Token) -> None:
        open_links: list[tuple[int, str, str]] = []
        open_em: list[int] = []
        for child in token.children or ():
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                self.add(" ")
                if self.line is not None:
                    self.line += 1
                    self.starts.append((self.length, self.line))
            elif kind == "link_open":
                href, title = child.attrs.get("href", ""), child.attrs.get("title", "")
                open_links.append((self.length, str(href), str(title or "")))
            elif kind == "link_close" and open_links:
                begin, href, title = open_links.pop()
                self.references.append(Reference(begin, self.length, href, title))
            elif kind == "em_open":
                open_em.append(self.length)
                if self.mark_emphasis:
                    self.add("*")
            elif kind == "em_close" and open_em:
                begin = open_em.pop()
                if self.mark_emphasis:
                    self.add("*")
                elif self.length > begin:
                    self.emphasis.append((begin, self.length))
            elif kind == "footnote_ref":
                label = _label(child)
                note = self.notes.get(label)
                if note is not None:
                    self.references.append(
                        Reference(
                            self.length, self.length, note.url or "", note.title, label, note.text
                        )
                    )
            elif kind in ("text", "text_special", "code_inline", "image"):
                self.add(child.content)


def _apply_front_matter(document: Document, front: dict[str, Any]) -> None:
    """Title, author, date, canonical URL and tags from a front matter mapping, under
    the names static-site generators use (Jekyll, Hugo, Eleventy, Pandoc)."""
    fields = {str(k).lower(): v for k, v in front.items()}
    title = fields.get("title")
    if isinstance(title, str) and title.strip():
        document.title = " ".join(title.split())
    document.author = _author(fields.get("author") or fields.get("authors"))
    document.published = _date(fields.get("date") or fields.get("published"))
    for key in ("canonical_url", "canonical", "canonicalurl", "canonical-url", "url", "permalink"):
        value = fields.get(key)
        if isinstance(value, str) and first_url(value) == value.strip():
            document.canonical_url = value.strip()
            break
    tags = fields.get("tags") or fields.get("keywords")
    if isinstance(tags, str):
        tags = [t for t in re.split(r"\s*,\s*", tags) if t]
    if isinstance(tags, list):
        document.tags = tuple(" ".join(str(t).split()) for t in tags if str(t).strip())


def _author(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        names = [_author(v) for v in value]
        value = " and ".join(n for n in names if n) or None
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return None
        return parse_date(value)
    return None
