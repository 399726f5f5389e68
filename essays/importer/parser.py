"""Entry points: decide the format, read blocks, assemble a ``ParsedEssay``.

Every format goes through the same assembly, so metadata, cruft, quotations,
attribution and claims behave identically for text, Markdown and HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path

from sources.recognition import OutletRegistry, PersonRegistry, load_shipped_outlets

from .attribution import Attribution, attribute
from .blocks import Block, Document, Reference
from .citing import cited_source
from .claims import DEFAULT_THRESHOLD, claim_candidates
from .cruft import PUBLISHED_AT, READ_ALSO, byline_author, dateline_length, is_cruft, parse_date
from .decoding import DEFAULT_MAX_BYTES, check_size, decode_bytes
from .errors import EssayImportError, locate
from .model import ParsedClaim, ParsedEssay, ParsedQuotation, ParsedSection
from .quotations import QuoteSpan, find_quotations, quote_style, starts_with_quotation
from .readers.docx import UNPACKED_FACTOR, docx_to_html, is_docx
from .readers.html import read_html
from .readers.markdown import read_markdown
from .readers.text import is_heading_line, is_title_like, read_text

FORMATS = ("text", "markdown", "html", "docx")
_EXTENSIONS = {
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_HTML_SNIFF = re.compile(
    r"^\s*(?:<!doctype html|<html|<head|<body)|<(?:p|h[1-6]|div|article)[\s>]", re.IGNORECASE
)
# Only a str built in Python can hold one (decoded bytes never do); UTF-8 cannot encode it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKDOWN_SNIFF = re.compile(r"^(?:#{1,6}\s+\S|>\s|\s{0,3}(?:=+|-{3,})\s*$)", re.MULTILINE)


def detect_format(text: str, filename: str | None = None) -> str:
    """Return "text", "markdown" or "html": from the file extension when it is
    known, else from the content (HTML tags, then Markdown headings or block
    quotes), else "text"."""
    if filename:
        known = _EXTENSIONS.get(Path(filename).suffix.lower())
        if known:
            return known
    head = text[:20_000]
    if _HTML_SNIFF.search(head) and head.count("<") >= 2:
        return "html"
    if _MARKDOWN_SNIFF.search(head):
        return "markdown"
    return "text"


def read_file(
    path: str | PathLike[str],
    *,
    format: str = "auto",
    author: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    claim_threshold: float = DEFAULT_THRESHOLD,
    outlets: OutletRegistry | None = None,
    people: PersonRegistry | None = None,
) -> ParsedEssay:
    """Read, decode and parse the essay file at ``path`` (see ``parse``).

    The size limit is checked before the file is read into memory.
    """
    path = Path(path)
    check_size(path.stat().st_size, max_bytes=max_bytes, filename=path.name)
    return parse_bytes(
        path.read_bytes(),
        filename=path.name,
        format=format,
        author=author,
        max_bytes=max_bytes,
        claim_threshold=claim_threshold,
        outlets=outlets,
        people=people,
    )


def parse_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    format: str = "auto",
    author: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    claim_threshold: float = DEFAULT_THRESHOLD,
    outlets: OutletRegistry | None = None,
    people: PersonRegistry | None = None,
) -> ParsedEssay:
    """Decode ``data`` (see ``decode_bytes``) and parse it; an encoding other than
    plain UTF-8 is reported as a warning. A Word document (format "docx", a ``.docx``
    name, or a zip archive holding ``word/document.xml``) is converted to HTML by
    mammoth and parsed as HTML."""
    word_name = Path(filename or "").suffix.lower() == ".docx"
    if format == "docx" or (format == "auto" and (word_name or is_docx(data))):
        check_size(len(data), max_bytes=max_bytes, filename=filename)
        html = docx_to_html(data, filename=filename, max_bytes=max_bytes)
        essay = parse(
            html,
            format="html",
            filename=filename,
            author=author,
            max_bytes=max_bytes * UNPACKED_FACTOR,
            claim_threshold=claim_threshold,
            outlets=outlets,
            people=people,
        )
        return replace(essay, format="docx")
    text, encoding = decode_bytes(data, filename, max_bytes=max_bytes)
    essay = parse(
        text,
        format=format,
        filename=filename,
        author=author,
        max_bytes=max_bytes,
        claim_threshold=claim_threshold,
        outlets=outlets,
        people=people,
    )
    notes = []
    if encoding == "utf-8-sig":
        notes.append(locate(filename, None, "decoded as UTF-8 with a byte-order mark"))
    elif encoding != "utf-8":
        notes.append(locate(filename, None, f"not UTF-8; decoded as {encoding}"))
    return replace(essay, encoding=encoding, warnings=(*notes, *essay.warnings))


def parse(
    text: str,
    *,
    format: str = "auto",
    filename: str | None = None,
    author: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    claim_threshold: float = DEFAULT_THRESHOLD,
    outlets: OutletRegistry | None = None,
    people: PersonRegistry | None = None,
) -> ParsedEssay:
    """Parse an essay's text into a ``ParsedEssay``. Pure: no I/O, no database.

    ``format`` is "auto" (see ``detect_format``), "text", "markdown" or "html";
    ``author`` overrides any byline; ``outlets`` defaults to the shipped registry.
    Raises ``EssayImportError`` for empty, binary (NUL characters) or oversize input,
    input with unpaired surrogates (no database can store them), an unknown format,
    and HTML with no text outside scripts. Everything else (unbalanced quotes, no
    headings, ignored scripts) is a warning and the essay is still produced.
    """
    if len(text) > max_bytes or (len(text) * 4 > max_bytes):
        check_size(
            len(text.encode("utf-8", "surrogatepass")), max_bytes=max_bytes, filename=filename
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise EssayImportError("binary file (NUL byte), not text", filename=filename, line=line)
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate:
        line = text.count("\n", 0, surrogate.start()) + 1
        raise EssayImportError(
            f"unpaired surrogate U+{ord(surrogate.group()):04X}: not text",
            filename=filename,
            line=line,
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise EssayImportError("file is empty", filename=filename)
    fmt = detect_format(text, filename) if format == "auto" else format
    if fmt not in FORMATS:
        raise EssayImportError(f"unknown format {format!r}", filename=filename)
    if fmt == "docx":
        raise EssayImportError(
            "a Word document is read from its bytes (parse_bytes)", filename=filename
        )
    assembly = _Assembly(filename, outlets or load_shipped_outlets(), people)
    try:
        if fmt == "html":
            document = read_html(text)
        elif fmt == "markdown":
            document = read_markdown(text)
        else:
            document = read_text(text)
    except EssayImportError as exc:  # a reader knows the line, the parse the file
        raise EssayImportError(exc.message, filename=filename, line=exc.line) from None
    if fmt == "html" and not document.blocks:
        reason = "HTML has no essay text, only script/style" if document.ignored else "no text"
        raise EssayImportError(reason, filename=filename)
    return assembly.build(document, fmt, author, claim_threshold)


_BLOCK_CREDIT = re.compile(r"(?<=[.!?…”\"»’)\]])\s+(?:[—―]|--)\s*[^\s—―-][^—―]{0,200}$")


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _title_and_body(document: Document, fmt: str) -> tuple[str, list[Block]]:
    """The essay's title and the blocks after it.

    HTML: the first <h1> wherever it sits (navigation may come first), else the title
    the page's metadata gives. Other formats: the title the metadata (front matter)
    gives, dropping a first heading that repeats it; else the first block.
    """
    blocks = document.blocks
    if fmt == "html":
        h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
        if h1 is not None:
            return h1.text.strip(), [b for b in blocks if b is not h1]
    if document.title:
        if blocks and blocks[0].kind != "chrome" and _fold(blocks[0].text) == _fold(document.title):
            blocks = blocks[1:]
        return document.title, blocks
    if not blocks:
        raise EssayImportError("file is empty")
    return blocks[0].text.strip(), blocks[1:]


@dataclass
class _Paragraph:
    text: str
    block: Block
    section: int
    references: tuple[Reference, ...] = ()
    emphasis: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, block: Block, section: int, *, skip: int = 0) -> _Paragraph:
        """The block's text stripped (and its first ``skip`` characters dropped), its
        references and emphasis moved to match."""
        text = block.text[skip:].strip()
        shift = skip + len(block.text[skip:]) - len(block.text[skip:].lstrip())
        size = len(text)
        references = tuple(
            r.shifted(-shift)
            for r in block.references
            if 0 <= r.start - shift <= size and r.end - shift <= size
        )
        emphasis = tuple(
            (a - shift, b - shift) for a, b in block.emphasis if 0 <= a - shift < b - shift <= size
        )
        return cls(text, block, section, references, emphasis)


@dataclass
class _Assembly:
    filename: str | None
    outlets: OutletRegistry
    people: PersonRegistry | None
    author: str | None = None
    canonical_url: str | None = None
    published_on: str | None = None
    warnings: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(locate(self.filename, line, message))

    def build(
        self, document: Document, fmt: str, author: str | None, threshold: float
    ) -> ParsedEssay:
        if not document.blocks and not document.title:
            raise EssayImportError("file is empty", filename=self.filename)
        for line, message in document.warnings:
            self.warn(line, message)
        self.author, self.published_on = document.author, document.published
        self.canonical_url = document.canonical_url
        self.dropped.extend(document.dropped)
        try:
            title, blocks = _title_and_body(document, fmt)
        except EssayImportError as exc:
            raise EssayImportError(exc.message, filename=self.filename) from None
        body = self._front_matter(blocks)
        body = self._drop_cruft(body)
        headings, paragraphs = self._sections(body)
        if not any(h is not None for h, _ in headings):
            self.warn(None, "no headings found: the essay is one untitled section")
        sections = self._analyse(headings, paragraphs, threshold)
        return ParsedEssay(
            title=title,
            author=author or self.author,
            canonical_url=self.canonical_url,
            published_on=self.published_on,
            sections=sections,
            dropped_lines=tuple(self.dropped),
            warnings=tuple(self.warnings),
            format=fmt,
            filename=self.filename,
            tags=document.tags,
            notes=document.notes,
            links=tuple(
                (p.text[r.start : r.end], r.url)
                for p in paragraphs
                for r in p.references
                if r.note is None
            ),
        )

    def _front_matter(self, blocks: list[Block]) -> list[Block]:
        """Consume byline and date lines right after the title (at most three;
        page chrome such as a <nav> in between is skipped, not consumed)."""
        consumed: set[int] = set()
        for i, block in enumerate(blocks):
            if block.kind == "chrome":
                continue
            text = block.text.strip()
            byline = byline_author(text)
            when = parse_date(text)
            if len(consumed) == 3 or (byline is None and when is None):
                break
            # What the format's metadata states (front matter, <head>) wins.
            if byline is not None:
                self.author = self.author or byline[0]
                self.published_on = self.published_on or byline[1]
            else:
                self.published_on = self.published_on or when
            consumed.add(i)
        return [b for i, b in enumerate(blocks) if i not in consumed]

    def _drop_cruft(self, blocks: list[Block]) -> list[Block]:
        """Move page furniture, teasers and the "Published at URL" line to dropped."""
        kept: list[Block] = []
        i = 0
        while i < len(blocks):
            block, text = blocks[i], blocks[i].text.strip()
            published = PUBLISHED_AT.match(text)
            teaser = READ_ALSO.match(text) if len(text.split()) <= 15 else None
            i += 1
            short = len(text) <= 80
            if published:
                self.canonical_url = self.canonical_url or published.group("url")
            elif block.kind == "chrome" or is_cruft(text):
                pass
            elif short and (parse_date(text) or byline_author(text)):
                pass  # a series repeats its date and byline before each part
            elif teaser:
                if not teaser.group("rest") and i < len(blocks):
                    following = blocks[i].text.strip()
                    if is_title_like(following) or len(following.split()) <= 15:
                        self.dropped.append(text)
                        text = following
                        i += 1
                    else:
                        self.warn(block.line, '"Read also" label not followed by a title')
            else:
                kept.append(block)
                continue
            self.dropped.append(text)
        return kept

    def _sections(
        self, blocks: list[Block]
    ) -> tuple[list[tuple[str | None, Block | None]], list[_Paragraph]]:
        headings: list[tuple[str | None, Block | None]] = [(None, None)]
        paragraphs: list[_Paragraph] = []
        first_in_section = True
        for i, block in enumerate(blocks):
            if block.kind == "line":
                previous = blocks[i - 1] if i else None
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                block.kind = (
                    "heading" if is_heading_line(block, previous, following) else "paragraph"
                )
            if block.kind == "heading":
                if len(headings) == 1 and not paragraphs:
                    headings.clear()  # no introduction: don't emit an empty section
                headings.append((block.text.strip(), block))
                first_in_section = True
            else:
                # A report's dateline ("AQABA, Jordan -- ") opens the first paragraph of
                # the essay or of a part; it is furniture, not the author's words.
                skip = dateline_length(block.text.lstrip()) if first_in_section else 0
                if skip:
                    skip += len(block.text) - len(block.text.lstrip())
                    self.dropped.append(block.text[:skip].strip())
                paragraphs.append(_Paragraph.of(block, len(headings) - 1, skip=skip))
                first_in_section = False
        return headings, paragraphs

    def _analyse(
        self,
        headings: list[tuple[str | None, Block | None]],
        paragraphs: list[_Paragraph],
        threshold: float,
    ) -> tuple[ParsedSection, ...]:
        spans: list[list[QuoteSpan]] = []
        continued: set[int] = set()
        style = quote_style([p.text for p in paragraphs])
        section_starts = {
            i for i, p in enumerate(paragraphs) if i == 0 or paragraphs[i - 1].section != p.section
        }
        for i, p in enumerate(paragraphs):
            nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
            same_next = nxt is not None and nxt.section == p.section
            if p.block.blockquote and not starts_with_quotation(p.text, style):
                # The quotation stops before an attribution line set off by a dash at
                # its end ("… on television. — Teresa Vance, county registrar").
                credit = _BLOCK_CREDIT.search(p.text)
                found = [QuoteSpan(0, credit.start() if credit else len(p.text), 0, None, False)]
                if i and i not in section_starts and paragraphs[i - 1].block.blockquote:
                    continued.add(i)
            else:
                continues = same_next and starts_with_quotation(nxt.text, style) if nxt else False
                found, issues = find_quotations(p.text, continues=continues, style=style)
                for issue in issues:
                    self.warn(p.block.line_at(issue.offset), issue.message)
                if continues and found and found[-1].close is None:
                    continued.add(i + 1)
            spans.append(found)
        attributions = attribute(
            [p.text for p in paragraphs],
            spans,
            outlets=self.outlets,
            people=self.people,
            section_starts=frozenset(section_starts),
            continued=frozenset(continued),
        )
        return self._sections_out(headings, paragraphs, spans, attributions, threshold)

    def _sections_out(
        self,
        headings: list[tuple[str | None, Block | None]],
        paragraphs: list[_Paragraph],
        spans: list[list[QuoteSpan]],
        attributions: list[Attribution],
        threshold: float,
    ) -> tuple[ParsedSection, ...]:
        per_section: list[dict[str, list]] = [
            {
                "paragraphs": [],
                "lines": [],
                "quotes": [],
                "claims": [],
                "block": [],
                "references": [],
                "emphasis": [],
            }
            for _ in headings
        ]
        index = 0
        for p, found in zip(paragraphs, spans, strict=True):
            bucket = per_section[p.section]
            number = len(bucket["paragraphs"])
            bucket["paragraphs"].append(p.text)
            bucket["lines"].append(p.block.line)
            bucket["block"].append(p.block.blockquote)
            bucket["references"].append(p.references)
            bucket["emphasis"].append(p.emphasis)
            for q in found:
                a = attributions[index]
                bucket["quotes"].append(
                    ParsedQuotation(
                        text=p.text[q.start : q.end],
                        paragraph=number,
                        start=q.start,
                        end=q.end,
                        index=index,
                        line=p.block.line_at(q.start),
                        speaker=a.speaker,
                        speaker_kind=a.speaker_kind,
                        speaker_role=a.role,
                        speaker_affiliation=a.affiliation,
                        outlet=a.outlet,
                        via=a.via,
                        emphasis_added=q.emphasis_added,
                        scare=a.scare,
                        repeat_of=a.repeat_of,
                        unterminated=q.close is None and not p.block.blockquote,
                        attribution_span=a.span,
                        rule=a.rule,
                        source=cited_source(
                            p.text,
                            q.start,
                            q.end,
                            p.references,
                            attribution=a.span,
                            outlet=a.outlet,
                        ),  # fmt: skip
                    )
                )
                index += 1
            marks = [(q.open, q.outer_end) for q in found]
            for c in claim_candidates(p.text, marks, threshold=threshold):
                bucket["claims"].append(
                    ParsedClaim(
                        text=p.text[c.start : c.end],
                        paragraph=number,
                        start=c.start,
                        end=c.end,
                        score=c.score,
                        features=c.features,
                        line=p.block.line_at(c.start),
                    )
                )
        return tuple(
            ParsedSection(
                heading=heading,
                paragraphs=tuple(b["paragraphs"]),
                quotations=tuple(b["quotes"]),
                claims=tuple(b["claims"]),
                heading_line=block.line if block else None,
                paragraph_lines=tuple(b["lines"]),
                blockquotes=tuple(b["block"]),
                references=tuple(b["references"]),
                emphasis=tuple(b["emphasis"]),
            )
            for (heading, block), b in zip(headings, per_section, strict=True)
        )
