"""HTML: a whole saved web page or a fragment, into blocks.

A whole page (it has <html>, <head> or <body>) is first read by trafilatura, a
well-kept article extractor: its metadata (title without the site's name, author,
date, canonical URL, tags from <meta>, Open Graph and JSON-LD) and its main text, which
tells which part of the page is the article. Our own block reader then reads that part
of the DOM, keeping what an extractor's text loses: headings, links, italics, block
quotes and footnotes. A fragment, or a page whose article cannot be located, is read
whole. Either way page furniture (navigation, share bars, newsletter boxes, comments,
related-article lists) is "chrome": dropped, never a paragraph.
"""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from ..blocks import Block, Document, Note, Reference
from ..errors import EssayImportError
from .notes import first_url, note_from_text

# Deeper nesting than this is not an essay but an attack on the parser's recursion.
MAX_DEPTH = 200

_IGNORED = ("script", "style", "noscript", "template")
_CHROME = frozenset({"nav", "footer", "aside", "form", "button", "menu", "dialog"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_BLOCKS = frozenset({"p", "li", "pre", "figcaption", "dt", "dd", "td", "th", "address"})
_SKIPPED_STRINGS = (Comment, Doctype, ProcessingInstruction)
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup "
    "time u var wbr font".split()
)
_EMPHASIS = frozenset({"em", "i", "cite"})
# Class or id words that mark furniture inside an article: share bars, newsletter and
# promo boxes, ads, comments, related lists, tag lists, author boxes.
_FURNITURE = re.compile(
    r"(?:^|[-_ ])(?:share|sharing|social|newsletter|subscribe|subscription|signup|promo"
    r"|advert|advertisement|ads?|sponsor|related|recommended|comments?|sidebar|breadcrumbs?"
    r"|pagination|author-bio|bio|tags|tag-list|topics|kicker|skip-link|cookie|paywall"
    r"|logo|masthead|site-header|site-footer|navbar|menu)"
    r"(?:$|[-_ ])",
    re.IGNORECASE,
)
# The text of a link that points at a footnote: "1", "[1]", "(1)", "*", "†", "a".
_NOTE_LABEL = re.compile(r"^[\[(]?(?P<label>\d{1,3}|[*†‡§¶]|[a-z])[\])]?$")
_BACKLINK = re.compile(r"^(?:[↑↩⤴^]|back|return)", re.IGNORECASE)
_PAGE_SNIFF = re.compile(r"<(?:html|head|body)[\s>]", re.IGNORECASE)


class HtmlPage:
    """What the block reader found: blocks, metadata from <head>, ignored elements."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.head_title: str | None = None
        self.author: str | None = None
        self.canonical_url: str | None = None
        self.published: str | None = None
        self.tags: tuple[str, ...] = ()
        self.notes: list[Note] = []
        self.ignored: int = 0  # script/style/noscript/template elements removed

    def document(self) -> Document:
        warnings = []
        if self.ignored:
            warnings.append((None, f"ignored {self.ignored} script/style/noscript element(s)"))
        return Document(
            self.blocks,
            notes=tuple(self.notes),
            title=self.head_title,
            author=self.author,
            published=self.published,
            canonical_url=self.canonical_url,
            tags=self.tags,
            ignored=self.ignored,
            warnings=warnings,
        )


def read_html(text: str) -> Document:
    """Read an HTML page or fragment into blocks, notes and metadata (see the module).

    Raises ``EssayImportError`` when elements nest deeper than ``MAX_DEPTH``.
    """
    soup = BeautifulSoup(text, "html.parser")
    _check_depth(soup)
    page = HtmlPage()
    for tag in soup.find_all(_IGNORED):
        page.ignored += 1
        tag.decompose()
    _read_head(soup, page)
    root: Tag = soup.body or soup
    if _PAGE_SNIFF.search(text[:5000]):
        _read_metadata(text, page)
        article = _article_root(text, soup)
        if article is not None:
            root = article
    page.notes = _read_notes(soup)
    title = _first_h1(soup)
    if title is not None and not _inside(title, root):
        _add_heading(page, title)
    _walk(root, page, in_quote=False, in_chrome=False, depth=0)
    return page.document()


def _check_depth(soup: BeautifulSoup) -> None:
    """Refuse markup nested deeper than ``MAX_DEPTH`` before anything recurses over it."""
    depth: dict[int, int] = {id(soup): 0}
    for tag in soup.descendants:
        if isinstance(tag, Tag):
            level = depth[id(tag.parent)] + 1
            if level > MAX_DEPTH:
                raise EssayImportError(
                    f"HTML is nested more than {MAX_DEPTH} elements deep",
                    line=getattr(tag, "sourceline", None),
                )
            depth[id(tag)] = level


def _read_head(soup: BeautifulSoup, page: HtmlPage) -> None:
    """Metadata from <head>: <title>, author, canonical link, publication time, tags."""
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


def _read_metadata(text: str, page: HtmlPage) -> None:
    """Title, author, date, canonical URL and tags as trafilatura reads them (meta
    tags, Open Graph, JSON-LD); it strips the site's name from the title."""
    from trafilatura import extract_metadata  # imported on first use: it loads slowly

    try:
        found = extract_metadata(text)
    except Exception:  # noqa: BLE001 - metadata is a bonus; the <head> reading above stays
        return
    if found is None:
        return
    if found.title:
        page.head_title = " ".join(found.title.split())
    if found.author:
        page.author = page.author or " ".join(found.author.split())
    if found.date and re.match(r"^\d{4}-\d{2}-\d{2}$", str(found.date)[:10]):
        page.published = page.published or str(found.date)[:10]
    if found.url and first_url(found.url) == found.url:
        page.canonical_url = page.canonical_url or found.url
    tags = [" ".join(str(t).split()) for t in (found.tags or []) if str(t).strip()]
    page.tags = tuple(dict.fromkeys(tags))


def _article_root(text: str, soup: BeautifulSoup) -> Tag | None:
    """The element that holds the article: the deepest one containing nearly all the
    paragraphs trafilatura takes for the main text. None if it finds no article."""
    from trafilatura import extract  # imported on first use: it loads slowly

    try:
        main = extract(text, favor_recall=True, include_comments=False, include_tables=False)
    except Exception:  # noqa: BLE001 - the whole body is read instead
        return None
    if not main:
        return None
    wanted = {_fold(line) for line in main.splitlines() if len(line.split()) >= 4}
    leaves = [
        tag
        for tag in soup.find_all(list(_TEXT_BLOCKS | _HEADINGS))
        if _fold(tag.get_text(" ")) in wanted
    ]
    if len(leaves) < 2:
        return None
    counts: Counter[int] = Counter()
    by_id: dict[int, Tag] = {}
    for leaf in leaves:
        for ancestor in leaf.parents:
            if isinstance(ancestor, Tag) and ancestor.name not in ("[document]",):
                counts[id(ancestor)] += 1
                by_id[id(ancestor)] = ancestor
    enough = 0.9 * len(leaves)
    best: Tag | None = None
    best_depth = -1
    for key, count in counts.items():
        if count >= enough:
            tag = by_id[key]
            depth = sum(1 for _ in tag.parents)
            if depth > best_depth:
                best, best_depth = tag, depth
    return best


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _first_h1(soup: BeautifulSoup) -> Tag | None:
    for h1 in soup.find_all("h1"):
        if h1.get_text(strip=True) and not any(
            p.name in ("nav", "footer", "aside") for p in h1.parents if isinstance(p, Tag)
        ):
            return h1
    return None


def _inside(tag: Tag, root: Tag) -> bool:
    return tag is root or any(parent is root for parent in tag.parents)


def _add_heading(page: HtmlPage, tag: Tag) -> None:
    builder = _Builder()
    builder.add_tag(tag)
    page.blocks.append(Block("heading", builder.text(), tag.sourceline, level=1))


def _read_notes(soup: BeautifulSoup) -> list[Note]:
    """Footnotes: each in-page link whose text is a note label ("1", "[1]", "*") and
    whose target element exists. The target's text is the note; the target goes
    (with its list when that holds only notes) and the link becomes a marker."""
    notes: dict[str, Note] = {}
    targets: list[Tag] = []
    by_id = {str(tag["id"]): tag for tag in soup.find_all(id=True)}
    for link in soup.find_all("a", href=re.compile(r"^#.")):
        m = _NOTE_LABEL.match(link.get_text(strip=True))
        target = by_id.get(str(link["href"])[1:]) if m else None
        if target is None or not isinstance(target, Tag) or _inside(link, target):
            continue
        label = m.group("label") if m else ""
        if label not in notes:
            notes[label] = _note_of(label, target)
            targets.append(target)
        marker = link
        while (
            marker.parent is not None
            and marker.parent.name == "sup"
            and len(marker.parent.get_text(strip=True)) == len(link.get_text(strip=True))
        ):
            marker = marker.parent
        placeholder = soup.new_tag("cp-note", attrs={"label": label})
        marker.replace_with(placeholder)
    for target in targets:
        holder = target.parent
        target.decompose()
        while isinstance(holder, Tag) and holder.name in ("ol", "ul", "section", "div", "aside"):
            if holder.get_text(strip=True):
                break
            parent = holder.parent
            holder.decompose()
            holder = parent
    return list(notes.values())


def _note_of(label: str, target: Tag) -> Note:
    """A note from its element: its text with italics as *…*, back-links removed, and
    its first web link or bare URL."""
    parts: list[str] = []
    url = None
    for node in target.descendants:
        if isinstance(node, Tag) and node.name == "a":
            href = str(node.get("href") or "")
            if href.startswith("http") and url is None:
                url = href
        if isinstance(node, NavigableString) and not isinstance(node, _SKIPPED_STRINGS):
            anchor = node.find_parent("a")
            if anchor is not None and str(anchor.get("href", "")).startswith("#"):
                if _BACKLINK.match(str(node).strip()) or not str(node).strip():
                    continue
            italic = node.find_parent(list(_EMPHASIS)) is not None
            piece = str(node)
            parts.append(f"*{piece.strip()}* " if italic and piece.strip() else piece)
    text = " ".join("".join(parts).split())
    note = note_from_text(label, text)
    return Note(label, note.text, url or note.url, note.title)


def _is_furniture(tag: Tag) -> bool:
    words = " ".join([*tag.get("class", []), str(tag.get("id") or "")])
    return bool(words.strip()) and bool(_FURNITURE.search(words))


def _walk(node: Tag, page: HtmlPage, *, in_quote: bool, in_chrome: bool, depth: int) -> None:
    loose = _Builder(in_quote, page.notes)
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
            loose, loose_line = _Builder(in_quote, page.notes), None
            builder = _Builder(in_quote, page.notes)
            builder.add_tag(child)
            if builder.text().strip():
                chrome = in_chrome or _is_furniture(child)
                kind = "chrome" if chrome else "heading" if name in _HEADINGS else "paragraph"
                page.blocks.append(builder.block(kind, child.sourceline, name, in_quote))
        elif name in ("br", "hr", "img"):
            continue
        elif name in _INLINE or name == "cp-note":
            loose_line = loose_line or child.sourceline
            loose.add_tag(child)
        elif name == "blockquote" and not in_quote:
            _flush(loose, loose_line, page, in_quote, in_chrome)
            loose, loose_line = _Builder(in_quote, page.notes), None
            start = len(page.blocks)
            _walk(child, page, in_quote=True, in_chrome=in_chrome, depth=depth + 1)
            _merge_quote(page, start)
        else:
            _flush(loose, loose_line, page, in_quote, in_chrome)
            loose, loose_line = _Builder(in_quote, page.notes), None
            # A <footer> inside a block quote is its credit line, not page chrome.
            chrome = (name in _CHROME and not (in_quote and name == "footer")) or _is_furniture(
                child
            )
            _walk(
                child,
                page,
                in_quote=in_quote or name == "blockquote",
                in_chrome=in_chrome or chrome,
                depth=depth + 1,
            )
    _flush(loose, loose_line, page, in_quote, in_chrome)


def _merge_quote(page: HtmlPage, start: int) -> None:
    """The paragraphs of one <blockquote> become one (a block quote is one quotation)."""
    parts = [b for b in page.blocks[start:] if b.kind == "paragraph"]
    if len(parts) < 2:
        return
    merged = parts[0]
    for block in parts[1:]:
        shift = len(merged.text) + 1
        merged = Block(
            "paragraph",
            f"{merged.text} {block.text}",
            merged.line,
            blockquote=True,
            references=(*merged.references, *(r.shifted(shift) for r in block.references)),
            emphasis=(*merged.emphasis, *((a + shift, b + shift) for a, b in block.emphasis)),
        )
    others = [b for b in page.blocks[start:] if b.kind != "paragraph"]
    page.blocks[start:] = [*others, merged]


def _flush(
    builder: _Builder, line: int | None, page: HtmlPage, in_quote: bool, in_chrome: bool
) -> None:
    if builder.text().strip():
        page.blocks.append(
            builder.block("chrome" if in_chrome else "paragraph", line, None, in_quote)
        )


class _Builder:
    """Accumulates inline text the way a browser shows it: runs of whitespace
    collapse to one space, <q> gets quotation marks, links and footnote markers
    become references, italics emphasis spans."""

    def __init__(self, in_quote: bool = False, notes: list[Note] | None = None) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space_pending = False
        self.references: list[Reference] = []
        self.emphasis: list[tuple[int, int]] = []
        self.notes = {n.label: n for n in notes or ()}
        # Inside a block quotation a <q> is a quote within a quote: single marks.
        self.q_depth = 1 if in_quote else 0

    def block(self, kind: str, line: int | None, name: str | None, in_quote: bool) -> Block:
        return Block(
            kind,
            self.text(),
            line,
            level=int(name[1]) if name in _HEADINGS else None,
            blockquote=in_quote,
            references=tuple(self.references),
            emphasis=tuple(self.emphasis),
        )

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

    def add_tag(self, tag: Tag, depth: int = 0) -> None:
        if tag.name == "cp-note":
            self._note(str(tag.get("label", "")))
            return
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIPPED_STRINGS):
                    self.add(str(child))
            elif isinstance(child, Tag):
                self._add_inline(child, depth + 1)

    def _note(self, label: str) -> None:
        note = self.notes.get(label)
        if note is not None:
            self.references.append(
                Reference(self.length, self.length, note.url or "", note.title, label, note.text)
            )

    def _add_inline(self, tag: Tag, depth: int) -> None:
        if tag.name == "br":
            self.space_pending = True
        elif tag.name == "cp-note":
            self._note(str(tag.get("label", "")))
        elif tag.name == "q":
            marks = ("“", "”") if self.q_depth % 2 == 0 else ("‘", "’")
            self.add(marks[0])
            self.q_depth += 1
            self.add_tag(tag, depth)
            self.q_depth -= 1
            self.space_pending = False
            self._append(marks[1])
        elif tag.name == "a" and tag.get("href"):
            start = self.length + (1 if self.space_pending and self.length else 0)
            self.add_tag(tag, depth)
            title = " ".join(str(tag.get("title") or "").split())
            self.references.append(Reference(start, self.length, str(tag["href"]), title))
        elif tag.name in _EMPHASIS:
            start = self.length + (1 if self.space_pending and self.length else 0)
            self.add_tag(tag, depth)
            if self.length > start:
                self.emphasis.append((start, self.length))
        else:
            self.add_tag(tag, depth)

    def text(self) -> str:
        return "".join(self.parts)
