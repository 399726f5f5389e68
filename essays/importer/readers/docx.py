"""Word (.docx) manuscripts: mammoth turns them into HTML, which the HTML reader reads.

A .docx is a zip archive, so it is checked before anything is unpacked: it must hold
``word/document.xml``, and the sizes its entries declare once uncompressed must stay
within a bound (a small zip can unpack to gigabytes). Python's zipfile never returns more
bytes than an entry declares, so the declared sizes bound what mammoth can read.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import EssayImportError

ZIP_MAGIC = b"PK\x03\x04"
DOCUMENT = "word/document.xml"
# Unpacked, a manuscript is mostly XML: a generous multiple of the upload limit.
UNPACKED_FACTOR = 10
MAX_ENTRIES = 2_000

# Word's own paragraph styles that mammoth's default map does not know.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
"""
# A Normal paragraph indented on both sides by this much (twips; 720 = half an inch)
# is a block quotation: the way many writers set one without a Quote style.
QUOTE_INDENT = 567  # 1 cm


def is_docx(data: bytes) -> bool:
    """True for a zip archive holding a Word document (``word/document.xml``)."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCUMENT in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_to_html(data: bytes, *, filename: str | None, max_bytes: int) -> str:
    """The manuscript as HTML: Title → <h1>, Subtitle → <p class=subtitle>, Quote,
    Intense Quote and indented Normal paragraphs → <blockquote>, headings → <hN>,
    footnotes and endnotes → in-page links to a notes list, hyperlinks and italics
    kept, images left out. Raises ``EssayImportError`` for what is not a Word document
    or would unpack past ``UNPACKED_FACTOR`` × ``max_bytes``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise EssayImportError(
            "not a Word document (a damaged zip archive)", filename=filename
        ) from exc
    with archive:
        entries = archive.infolist()
        if DOCUMENT not in {e.filename for e in entries}:
            raise EssayImportError("a zip archive, but not a Word document", filename=filename)
        unpacked = sum(e.file_size for e in entries)
        limit = max_bytes * UNPACKED_FACTOR
        if len(entries) > MAX_ENTRIES or unpacked > limit:
            raise EssayImportError(
                f"Word document unpacks to {unpacked:,} bytes in {len(entries):,} parts, "
                f"over the {limit:,}-byte limit",
                filename=filename,
            )
    import mammoth  # imported on first use

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            transform_document=mammoth.transforms.paragraph(_indented_as_quote),
            convert_image=mammoth.images.img_element(lambda image: {"alt": image.alt_text or ""}),
        )
    except Exception as exc:  # noqa: BLE001 - mammoth raises many kinds on a broken file
        raise EssayImportError(f"cannot read the Word document: {exc}", filename=filename) from exc
    return result.value


def _indented_as_quote(paragraph):
    """An unstyled paragraph indented from the left margin (and not a list item) is set
    as a block quotation."""
    indent = paragraph.indent
    left = _twips(indent.start) if indent is not None else 0
    if (
        paragraph.style_name in (None, "Normal")
        and paragraph.numbering is None
        and left >= QUOTE_INDENT
    ):
        return paragraph.copy(style_id="Quote", style_name="Quote")
    return paragraph


def _twips(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
