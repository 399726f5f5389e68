"""Word manuscripts: mammoth to HTML, then the HTML reader; the zip is checked first."""

import io
import zipfile

import pytest

from essays.importer import EssayImportError, detect_format, parse_bytes
from essays.importer.readers.docx import is_docx
from tests.importer.docx_builder import build_docx

MANUSCRIPT = build_docx(
    [
        ("Title", ["The Orchard Ledger"]),
        ("Subtitle", ["By Hanne Vik"]),
        ("Subtitle", ["2 October 2016"]),
        ("Normal", [("i", "Embargoed until 3 October")]),
        (
            "Normal",
            [
                "The co-operative said the harvest was “the smallest in thirty years”.",
                ("fn", 1),
                " Its treasurer, Odd Lie, told ",
                ("a", "the Fjord Post", "https://fjordpost.example/harvest"),
                " that “the trees simply stopped”.",
            ],
        ),
        ("Heading 1", ["The Growers"]),
        ("Normal", ["One grower put it plainly in a letter to the board:"]),
        ("Quote", ["We pruned, we sprayed, we prayed. The frost came anyway."]),
        ("Normal", ["A second letter was longer, and angrier, than the first one was."]),
        ("indented", ["Nobody at the co-operative has answered a single question since May."]),
        ("Normal", ["ENDS"]),
    ],
    footnotes={1: "Annual report 2016, “Harvest Figures”, https://coop.example/report-2016.pdf"},
)


def test_a_word_manuscript_reads_like_any_essay():
    essay = parse_bytes(MANUSCRIPT, filename="orchard.docx")
    assert essay.format == "docx"
    assert (essay.title, essay.author, essay.published_on) == (
        "The Orchard Ledger",
        "Hanne Vik",
        "2016-10-02",
    )
    assert [s.heading for s in essay.sections] == [None, "The Growers"]
    text = " ".join(p for s in essay.sections for p in s.paragraphs)
    assert "Embargoed" not in text and "ENDS" not in text
    # The Quote style and an indented Normal paragraph are both block quotations.
    assert essay.sections[1].blockquotes == (False, True, False, True)


def test_footnotes_and_hyperlinks_become_references():
    essay = parse_bytes(MANUSCRIPT, filename="orchard.docx")
    (note,) = essay.notes
    assert (note.label, note.url, note.title) == (
        "1",
        "https://coop.example/report-2016.pdf",
        "Harvest Figures",
    )
    paragraph = essay.sections[0].paragraphs[0]
    assert "[1]" not in paragraph
    marker, link = essay.sections[0].references[0]
    assert marker.note == "1" and paragraph[: marker.start].endswith("thirty years”.")
    assert paragraph[link.start : link.end] == "the Fjord Post"
    assert link.url == "https://fjordpost.example/harvest"


def test_a_docx_is_recognised_by_its_content_without_a_name():
    assert is_docx(MANUSCRIPT) and not is_docx(b"PK\x03\x04 not really a zip")
    assert detect_format("x", "essay.docx") == "docx"
    essay = parse_bytes(MANUSCRIPT, filename="upload.bin")
    assert essay.title == "The Orchard Ledger"


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(EssayImportError, match="not a Word document"):
        parse_bytes(buffer.getvalue(), filename="notes.docx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * 2_000_000)
    data = buffer.getvalue()
    assert len(data) < 20_000
    with pytest.raises(EssayImportError, match="unpacks to 2,000,"):
        parse_bytes(data, filename="bomb.docx", max_bytes=100_000)
