"""HTML via BeautifulSoup's html.parser: block elements into blocks."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from ..blocks import Block, Document, Reference

_IGNORED = ("script", "style", "noscript", "template")
_CHROME = frozenset({"nav", "footer", "aside", "form", "button"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_BLOCKS = frozenset({"p", "li", "pre", "figcaption", "dt", "dd", "td", "th", "address"})
_SKIPPED_STRINGS = (Comment, Doctype, ProcessingInstruction)


class HtmlPage:
    """What the HTML reader found: blocks, metadata from <head>, ignored elements."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.head_title: str | None = None
        self.author: str | None = None
        self.canonical_url: str | None = None
        self.published: str | None = None
        self.ignored: int = 0  # script/style/noscript/template elements removed

    def document(self) -> Document:
        warnings = []
        if self.ignored:
            warnings.append((None, f"ignored {self.ignored} script/style/noscript element(s)"))
        return Document(
            self.blocks,
            title=self.head_title,
            author=self.author,
            published=self.published,
            canonical_url=self.canonical_url,
            ignored=self.ignored,
            warnings=warnings,
        )


def read_html(text: str) -> Document:
    """Read an HTML page or fragment (see ``read_fragment``)."""
    return read_fragment(text).document()


def read_fragment(text: str) -> HtmlPage:
    """Parse HTML into blocks: h1-h6 headings, paragraphs (p, li, …), block
    quotations, and any loose text so nothing is silently lost. <q> becomes curly
    quotation marks so quotations are found as in plain text; <a href> targets are
    kept. Script, style, noscript and template elements are removed and counted;
    nav, footer, aside and forms become "chrome" blocks (dropped lines).
    """
    soup = BeautifulSoup(text, "html.parser")
    page = HtmlPage()
    for tag in soup.find_all(_IGNORED):
        page.ignored += 1
        tag.decompose()
    _read_head(soup, page)
    root = soup.body or soup
    _walk(root, page, in_quote=False, in_chrome=False)
    return page


def _read_head(soup: BeautifulSoup, page: HtmlPage) -> None:
    if soup.title and soup.title.string:
        page.head_title = " ".join(soup.title.string.split())
    author = soup.find("meta", attrs={"name": "author"})
    if isinstance(author, Tag) and author.get("content"):
        page.author = str(author["content"]).strip()
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and canonical.get("href"):
        page.canonical_url = str(canonical["href"]).strip()
    published = soup.find("meta", attrs={"property": "article:published_time"})
    if isinstance(published, Tag) and published.get("content"):
        page.published = str(published["content"])[:10]
    if soup.head:
        soup.head.decompose()


def _walk(node: Tag, page: HtmlPage, *, in_quote: bool, in_chrome: bool) -> None:
    loose = _Builder(in_quote)
    loose_line = None
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, _SKIPPED_STRINGS):
                if str(child).strip():
                    loose_line = loose_line or getattr(node, "sourceline", None)
                loose.add(str(child))  # blank strings still separate words
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in _HEADINGS or name in _TEXT_BLOCKS:
            _flush(loose, loose_line, page, in_quote, in_chrome)
            loose, loose_line = _Builder(in_quote), None
            builder = _Builder(in_quote)
            builder.add_tag(child)
            if builder.text().strip():
                kind = "chrome" if in_chrome else "heading" if name in _HEADINGS else "paragraph"
                page.blocks.append(
                    Block(
                        kind,
                        builder.text(),
                        child.sourceline,
                        level=int(name[1]) if name in _HEADINGS else None,
                        blockquote=in_quote,
                        references=tuple(builder.references),
                        emphasis=tuple(builder.emphasis),
                    )
                )
        elif name in ("br", "hr", "img"):
            continue
        elif _is_inline(child):
            loose_line = loose_line or child.sourceline
            loose.add_tag(child)
        else:
            _flush(loose, loose_line, page, in_quote, in_chrome)
            loose, loose_line = _Builder(in_quote), None
            _walk(
                child,
                page,
                in_quote=in_quote or name == "blockquote",
                in_chrome=in_chrome or name in _CHROME,
            )
    _flush(loose, loose_line, page, in_quote, in_chrome)


def _flush(
    builder: _Builder, line: int | None, page: HtmlPage, in_quote: bool, in_chrome: bool
) -> None:
    text = builder.text()
    if text.strip():
        kind = "chrome" if in_chrome else "paragraph"
        page.blocks.append(
            Block(
                kind,
                text,
                line,
                blockquote=in_quote,
                references=tuple(builder.references),
                emphasis=tuple(builder.emphasis),
            )
        )


_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup "
    "time u var wbr font".split()
)


_EMPHASIS = frozenset({"em", "i", "cite"})


def _is_inline(tag: Tag) -> bool:
    return tag.name in _INLINE


class _Builder:
    """Accumulates inline text the way a browser shows it: runs of whitespace
    collapse to one space, <q> gets quotation marks, links keep their spans."""

    def __init__(self, in_quote: bool = False) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space_pending = False
        self.references: list[Reference] = []
        self.emphasis: list[tuple[int, int]] = []
        # Inside a block quotation a <q> is a quote within a quote: single marks.
        self.q_depth = 1 if in_quote else 0

    def add(self, raw: str) -> None:
        for i, chunk in enumerate(re.split(r"[ \t\n\r\f\v]+", raw)):
            if i > 0:
                self.space_pending = True
            if chunk:
                if self.space_pending and self.length:
                    self._append(" ")
                self.space_pending = False
                self._append(chunk)

    def _append(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def add_tag(self, tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIPPED_STRINGS):
                    self.add(str(child))
            elif isinstance(child, Tag):
                self._add_inline(child)

    def _add_inline(self, tag: Tag) -> None:
        if tag.name == "br":
            self.space_pending = True
        elif tag.name == "q":
            marks = ("“", "”") if self.q_depth % 2 == 0 else ("‘", "’")
            self.add(marks[0])
            self.q_depth += 1
            self.add_tag(tag)
            self.q_depth -= 1
            self.space_pending = False
            self._append(marks[1])
        elif tag.name == "a" and tag.get("href"):
            start = self.length + (1 if self.space_pending and self.length else 0)
            self.add_tag(tag)
            title = " ".join(str(tag.get("title") or "").split())
            self.references.append(Reference(start, self.length, str(tag["href"]), title))
        elif tag.name in _EMPHASIS:
            start = self.length + (1 if self.space_pending and self.length else 0)
            self.add_tag(tag)
            if self.length > start:
                self.emphasis.append((start, self.length))
        else:
            self.add_tag(tag)

    def text(self) -> str:
        return "".join(self.parts)
