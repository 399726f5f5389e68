"""Turn a source document's bytes (HTML, PDF, .docx, plain text) into its running text.

Pure functions over bytes, no database: the services store what these return. The text
they return is NFC-normalised, uses "\\n" line ends, and separates paragraphs with a
blank line, whatever the format, so quotations can be aligned against it and a reviewer
can be shown the paragraphs around a match.
"""

from __future__ import annotations

import codecs
import io
import re
import statistics
import unicodedata
import zipfile
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath

HTML = "text/html"
XHTML = "application/xhtml+xml"
TEXT = "text/plain"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What a document may be: the fetcher's content-type allowlist is this table's keys.
CONTENT_TYPES: dict[str, str] = {
    HTML: "html",
    XHTML: "html",
    TEXT: "text",
    PDF: "pdf",
    DOCX: "docx",
}
EXTENSIONS: dict[str, str] = {
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": XHTML,
    ".txt": TEXT,
    ".text": TEXT,
    ".pdf": PDF,
    ".docx": DOCX,
}

# A .docx is a zip: refuse one whose parts would inflate past this (a zip bomb).
MAX_DOCX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


class DocumentError(ValueError):
    """The bytes are not a document we can read (wrong type, damaged, empty, encrypted)."""


@dataclass(frozen=True)
class ExtractedDocument:
    text: str
    content_type: str  # one of CONTENT_TYPES, without parameters
    method: str  # how the text was obtained: trafilatura, html, pypdf, mammoth, text


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from ``"text/html; charset=UTF-8"``; ``("", None)`` if empty."""
    if not value:
        return "", None
    message = Message()
    message["content-type"] = value
    charset = message.get_param("charset")
    return message.get_content_type().lower(), charset if isinstance(charset, str) else None


def guess_content_type(*, data: bytes, content_type: str | None, filename: str | None) -> str:
    """The document's type, from its bytes first, then the declared type, then the name.

    The bytes win because servers and uploads mislabel documents: a PDF is a PDF
    whatever its header says. A declared or named PDF/.docx whose bytes are not one is
    refused rather than read as text. Raises ``DocumentError`` for anything not in
    ``CONTENT_TYPES``.
    """
    declared, _ = parse_content_type(content_type)
    suffix = PurePosixPath(filename or "").suffix.lower()
    by_name = EXTENSIONS.get(suffix, "")
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return DOCX
        raise DocumentError("a zip archive that is not a Word (.docx) document")
    for claimed in (declared, by_name):
        if claimed in (PDF, DOCX):
            raise DocumentError(f"declared as {claimed} but the bytes are not one")
    if declared in CONTENT_TYPES:
        return declared
    if by_name:
        return by_name
    head = data[:1024].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return HTML
    if declared in ("", "application/octet-stream"):
        return TEXT
    raise DocumentError(f"unsupported document type {declared!r}")


def extract_text(
    data: bytes, *, content_type: str | None = None, filename: str | None = None
) -> ExtractedDocument:
    """The running text of ``data``, read according to its type (see ``guess_content_type``).

    Raises ``DocumentError`` when the type is not supported, the file is damaged or
    encrypted, or no text comes out of it (a scanned PDF without a text layer).
    """
    kind = guess_content_type(data=data, content_type=content_type, filename=filename)
    _, charset = parse_content_type(content_type)
    if CONTENT_TYPES[kind] == "html":
        text, method = html_text(data)
    elif kind == PDF:
        text, method = pdf_text(data), "pypdf"
    elif kind == DOCX:
        text, method = docx_text(data), "mammoth"
    else:
        text, method = plain_text(data, charset=charset), "text"
    text = tidy_text(text)
    if not text:
        raise DocumentError("no text could be extracted (a scanned document without a text layer?)")
    return ExtractedDocument(text=text, content_type=kind, method=method)


def tidy_text(text: str) -> str:
    """NFC, "\\n" line ends, no control characters, no trailing spaces, ≤ 1 blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- HTML -------------------------------------------------------------------------------------


def html_text(data: bytes) -> tuple[str, str]:
    """The article text of a saved or fetched web page, and the method that found it.

    trafilatura finds the article and drops navigation, share buttons, related links,
    newsletter boxes and readers' comments (a quotation found only in a comment was not
    said by the source). It favours precision: a doubtful block is left out rather than
    let cruft in. Pages it cannot make sense of fall back to the whole visible text,
    minus scripts, navigation, headers, footers and forms.
    """
    import trafilatura

    extracted = trafilatura.extract(
        data,
        include_comments=False,
        favor_precision=True,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        output_format="txt",
    )
    if extracted and extracted.strip():
        # trafilatura ends each block with one newline; make them paragraphs.
        return "\n\n".join(p.strip() for p in extracted.split("\n") if p.strip()), "trafilatura"
    return _visible_text(data), "html"


def _visible_text(data: bytes) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html5lib")
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer",
                     "aside", "form", "button", "svg", "iframe"]):  # fmt: skip
        tag.decompose()
    body = soup.body or soup
    blocks = [" ".join(s.split()) for s in body.get_text("\n").split("\n")]
    return "\n\n".join(b for b in blocks if b)


# --- PDF --------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_FURNITURE_LINES = 3  # running headers and footers sit in a page's first or last lines


def pdf_text(data: bytes) -> str:
    """The text of a PDF's text layer, lines joined into paragraphs (see ``join_pdf_lines``)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("the PDF is encrypted")
        pages = [page.extract_text(extraction_mode="plain") or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise DocumentError(f"damaged PDF ({error})") from error
    return join_pdf_lines(pages)


def join_pdf_lines(pages: list[str]) -> str:
    """Paragraphs from the lines of each page, as a PDF's text layer gives them.

    - Running headers and footers (a line near the top or bottom that recurs on at least
      two pages and half of them, digits aside) and bare page numbers are dropped.
    - Lines are joined with a space; a paragraph ends at a blank line or at a line
      clearly shorter than its neighbours (a paragraph's last line, a heading).
    - A line ending in a hyphen is joined to the next without a space, and the hyphen is
      dropped or kept by ``keep_line_end_hyphen``.

    Columns come out one after the other because text layers store them in reading
    order (pypdf's "plain" mode keeps that order; its "layout" mode would interleave
    them).
    """
    page_lines = [[line.strip() for line in page.split("\n")] for page in pages]
    page_lines = _drop_furniture(page_lines)
    lines = [line for page in page_lines for line in page]
    vocabulary = _Vocabulary(lines)
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current.endswith("-") and _word_char(current[-2:-1]) and _word_char(line[:1]):
            head = re.search(r"[\w-]+-$", current).group(0)
            tail = re.match(r"[\w-]*", line).group(0)
            if keep_line_end_hyphen(head[:-1], tail, vocabulary):
                current += line
            else:
                current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if _ends_paragraph(lines, i):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def keep_line_end_hyphen(head: str, tail: str, vocabulary: _Vocabulary) -> bool:
    """Whether "head-" at a line end followed by "tail" is a real hyphen (keep) or a soft one.

    Kept when the next line starts with a capital or a digit ("al-\\nAssad",
    "2021-\\n2023"), when the part before ends in a digit or holds a hyphen itself
    ("state-of-\\nthe-art"), when the document spells "head-tail" with a hyphen elsewhere,
    when the part before is a usual first element of compounds ("well-", "self-",
    "north-", "forty-"), or when both halves are words of the document and the joined
    word is not ("food-\\nprocessing" in a text that says "food" and "processing").
    Otherwise the hyphen was
    put there by the typesetter and is dropped ("interna-\\ntional").

    Only what is displayed depends on this: quotation matching ignores hyphens inside
    words, so a wrong guess never changes a quotation's status.
    """
    if not head or not tail:
        return True
    if tail[0].isupper() or tail[0].isdigit() or head[-1].isdigit() or "-" in head:
        return True
    joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
    if hyphenated in vocabulary.hyphenated or head.lower() in _COMPOUND_HEADS:
        return True
    if joined in vocabulary.words:
        return False
    return head.lower() in vocabulary.words and tail.lower() in vocabulary.words


# First elements that English writes with a hyphen far more often than run together.
_COMPOUND_HEADS = frozenset(
    "well self non ex all half quasi cross north south east west long short high low far near "
    "one two three four five six seven eight nine ten twenty thirty forty fifty".split()
)


class _Vocabulary:
    """Words and hyphenated compounds that a document spells whole, inside its lines
    (the pieces on either side of a line-end hyphen are left out: they are what is asked)."""

    def __init__(self, lines: list[str]):
        self.words: set[str] = set()
        self.hyphenated: set[str] = set()
        broken = False  # the previous line ended in a hyphen
        for line in lines:
            tokens = re.findall(r"\w+(?:-\w+)*-?", line)
            if broken and tokens:
                tokens = tokens[1:]
            broken = line.endswith("-")
            if broken and tokens:
                tokens = tokens[:-1]
            for token in tokens:
                token = token.lower().rstrip("-")
                if "-" in token:
                    self.hyphenated.add(token)
                self.words.update(token.split("-"))


def _word_char(ch: str) -> bool:
    return bool(ch) and ch.isalnum()


def _drop_furniture(pages: list[list[str]]) -> list[list[str]]:
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line]
        return filled[:_FURNITURE_LINES] + filled[-_FURNITURE_LINES:]

    seen: dict[str, int] = {}
    for lines in pages:
        for k in {key(lines[i]) for i in edges(lines)}:
            seen[k] = seen.get(k, 0) + 1
    recurring = {k for k, n in seen.items() if n >= 2 and n * 2 >= len(pages)}
    cleaned = []
    for lines in pages:
        drop = {
            i for i in edges(lines) if key(lines[i]) in recurring or _PAGE_NUMBER.match(lines[i])
        }
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned


def _ends_paragraph(lines: list[str], i: int) -> bool:
    """Whether the line break after ``lines[i]`` is the author's, not the typesetter's."""
    line = lines[i]
    if i + 1 >= len(lines) or not lines[i + 1]:
        return True
    if line.endswith("-"):
        return False
    neighbours = [len(x) for x in lines[max(0, i - 3) : i + 4] if x]
    full = max(statistics.median(neighbours), max(neighbours) * 0.8)
    following = lines[i + 1]
    # The next line's first word would have fitted on this one: the break was deliberate.
    if len(line) + 1 + len(following.split()[0]) < 0.9 * full:
        return True
    if line[-1] in ".!?:\u201d\"')\u2019":
        return len(line) < 0.85 * full
    # A heading or a signature: shorter than the lines around it, no full stop, capitalised
    # like a title, and a capital after it.
    words = line.split()
    titled = words[-1][0].isupper() or 2 * sum(w[0].isupper() for w in words) >= len(words)
    return len(line) < 0.85 * full and titled and following[0].isupper()


# --- .docx ------------------------------------------------------------------------------------


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document (mammoth's raw text: one paragraph per block,
    runs of one word in different formatting joined, table cells as paragraphs)."""
    import mammoth

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise DocumentError("damaged .docx (not a zip archive)") from error
    if inflated > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise DocumentError(f".docx would inflate to {inflated:,} bytes")
    try:
        return mammoth.extract_raw_text(io.BytesIO(data)).value
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DocumentError(f"damaged .docx ({error})") from error


# --- plain text -------------------------------------------------------------------------------


def plain_text(data: bytes, *, charset: str | None = None) -> str:
    """Decode a text file: its declared charset if that decodes it, else UTF-8 (a byte-order
    mark is dropped), else cp1252, the usual encoding of text saved on Windows.

    NUL bytes mean a binary file, which is refused rather than stored as text.
    """
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentError("a binary file (NUL bytes), not text")
    candidates = [charset] if charset else []
    candidates += ["utf-16"] if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else []
    candidates += ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(codecs.lookup(encoding).name)
        except (LookupError, UnicodeDecodeError):
            continue
    raise DocumentError("not text in UTF-8 or cp1252")
