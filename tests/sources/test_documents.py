"""Extracting a source document's running text: each format, its cruft, and its traps."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from sources import documents
from sources.documents import (
    DOCX,
    HTML,
    PDF,
    TEXT,
    DocumentError,
    extract_text,
    guess_content_type,
    join_pdf_lines,
    keep_line_end_hyphen,
)

FIXTURES = Path(__file__).resolve().parent.parent / "quotecheck" / "fixtures" / "documents"


def extracted(name: str, content_type: str | None = None):
    return extract_text((FIXTURES / name).read_bytes(), content_type=content_type, filename=name)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --- HTML ---------------------------------------------------------------------------------------


def test_a_saved_news_page_keeps_the_article_and_drops_its_cruft():
    doc = extracted("coastal-herald-port.html")
    assert (doc.content_type, doc.method) == (HTML, "trafilatura")
    assert "We have repaired the northern breakwater" in doc.text
    assert "the one in January" in doc.text  # the last paragraph
    for cruft in [
        "Subscribe",  # navigation
        "Share on Facebook",  # share buttons
        "Sign up for our morning briefing",  # newsletter box
        "never reopen before May",  # a reader's comment
        "Exporters brace",  # related links
        "All rights reserved",  # footer
        "We use cookies",  # cookie banner
    ]:
        assert cruft not in doc.text, cruft


def test_a_blog_page_in_windows_1252_keeps_its_accents_and_drops_its_sidebar():
    doc = extracted("policy-note-rail.html")
    assert "Café du Port" in doc.text
    assert "“a serious option that deserves a serious study" in doc.text
    for cruft in ["Popular this month", "Members’ area", "registered charity", "Share this note"]:
        assert cruft not in doc.text, cruft


def test_html_paragraphs_are_separated_by_blank_lines():
    text = extracted("coastal-herald-port.html").text
    assert any(p.startswith("Fishermen’s unions have accused") for p in paragraphs(text))
    assert all("\n" not in p for p in paragraphs(text))


def test_a_page_trafilatura_cannot_read_falls_back_to_its_visible_text():
    page = b"<html><body><nav>Menu</nav><div>Short note.</div><script>x()</script></body></html>"
    doc = extract_text(page, content_type="text/html")
    assert doc.method in ("trafilatura", "html")
    assert "Short note." in doc.text
    assert "x()" not in doc.text


# --- PDF ----------------------------------------------------------------------------------------


def test_a_two_column_pdf_reads_column_after_column_without_running_headers():
    doc = extracted("northern-water-review.pdf")
    assert (doc.content_type, doc.method) == (PDF, "pypdf")
    text = doc.text
    assert "Annual Review 2025 Page" not in text and "Page 1" not in text and "Page 2" not in text
    assert "Northern Water Authority ·" not in text  # the running header
    # The first column's last words run on into the second column's first.
    assert "which we have adopted as a permanent commitment." in text
    assert text.index("Foreword") < text.index("Reservoirs") < text.index("Governance")


def test_pdf_line_end_hyphens_are_dropped_or_kept_by_the_rule():
    text = extracted("northern-water-review.pdf").text
    for joined in ["communication", "emergency", "combined", "repeatedly", "inflation"]:
        assert joined in text, joined
    assert "Leila al-Rashid" in text  # capital after the hyphen: a real hyphen
    assert "well-known" in text  # a usual first element of compounds
    assert "communicat-" not in text and "-\n" not in text


def test_pdf_headings_and_paragraphs_come_out_as_paragraphs():
    parts = paragraphs(extracted("northern-water-review.pdf").text)
    for heading in ["Reservoirs and supply", "Leakage", "Tariffs and affordability", "Governance"]:
        assert heading in parts, heading


def test_a_second_two_column_pdf_with_unequal_columns():
    text = extracted("marenna-port-release.pdf").text
    assert "reopen to commercial shipping on 31 March" in text
    assert (
        "Compensation claims" in text
        and "assessed by an independent loss adjuster appointed" in text
    )


@pytest.mark.parametrize(
    ("head", "tail", "words", "keep"),
    [
        ("interna", "tional", "", False),  # typesetter's hyphen
        ("govern", "ment", "the government said", False),  # joined word used elsewhere
        ("al", "Assad", "", True),  # capital after the hyphen
        ("Abu", "Dhabi", "", True),
        ("1990", "1995", "", True),  # digits
        ("state-of", "the", "", True),  # part of a longer compound
        ("co", "operate", "they co-operate", True),  # hyphenated elsewhere in the text
        ("well", "known", "", True),  # compound first element
        ("self", "defence", "", True),
        ("food", "processing", "food and processing", True),  # both halves are words here
        ("food", "processing", "", False),  # …and not here
        ("re", "port", "the report", False),
    ],
)
def test_keep_line_end_hyphen(head, tail, words, keep):
    vocabulary = documents._Vocabulary([words])
    assert keep_line_end_hyphen(head, tail, vocabulary) is keep


def test_join_pdf_lines_drops_furniture_on_every_page_and_joins_across_pages():
    pages = [
        "Harbour Review 2024\nThe council met on the first of May to dis-\n"
        "cuss the harbour, the quays and the locks,\n"
        "and the cost of dredging the channel before\n3",
        "Harbour Review 2024\nthe summer season, which starts in June\n"
        "and ends with the regatta in September.\nA short last line.\n"
        "A second paragraph starts on this line and\nends here.\n4",
        "Harbour Review 2024\nThe third page closes the report with a line\nof thanks.\n5",
    ]
    parts = paragraphs(join_pdf_lines(pages))
    assert parts == [
        "The council met on the first of May to discuss the harbour, the quays and the locks, "
        "and the cost of dredging the channel before the summer season, which starts in June "
        "and ends with the regatta in September. A short last line.",
        "A second paragraph starts on this line and ends here.",
        "The third page closes the report with a line of thanks.",
    ]


def test_a_pdf_without_a_text_layer_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    data = io.BytesIO()
    writer.write(data)
    with pytest.raises(DocumentError, match="no text could be extracted"):
        extract_text(data.getvalue(), content_type="application/pdf")


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    data = io.BytesIO()
    writer.write(data)
    with pytest.raises(DocumentError, match="encrypted"):
        extract_text(data.getvalue())


def test_a_damaged_pdf_is_refused():
    with pytest.raises(DocumentError):
        extract_text(b"%PDF-1.7\n" + b"\x00garbage" * 50)


# --- .docx --------------------------------------------------------------------------------------


def test_a_docx_transcript_gives_its_paragraphs_and_table_cells():
    doc = extracted("interior-briefing-transcript.docx")
    assert (doc.content_type, doc.method) == (DOCX, "mammoth")
    parts = paragraphs(doc.text)
    assert "Figures released with the briefing" in parts
    assert "2,140" in parts  # a table cell
    assert any("keep traffic moving — not to punish drivers" in p for p in parts)


def test_a_word_split_across_formatting_runs_comes_out_whole():
    text = extracted("fishermen-statement.docx").text
    assert "That is unacceptable in any country, and it is doubly unacceptable" in text
    assert "We ask for a seat on the independent review." in paragraphs(text)  # a bullet


def test_a_docx_that_would_inflate_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCX_UNCOMPRESSED_BYTES", 10_000)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>" + " " * 50_000 + "</w:document>")
    with pytest.raises(DocumentError, match="inflate"):
        extract_text(data.getvalue(), filename="bomb.docx")


def test_a_zip_that_is_not_a_word_document_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DocumentError, match="not a Word"):
        extract_text(data.getvalue(), filename="notes.docx")


# --- plain text ---------------------------------------------------------------------------------


def test_windows_1252_minutes_decode_with_their_curly_quotes():
    doc = extracted("dallin-council-minutes.txt")
    assert (doc.content_type, doc.method) == (TEXT, "text")
    assert "“nowhere\nelse to go”" in doc.text
    assert "O’Brien" in doc.text


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        ("Déjà vu, al‑Assad said.".encode(), "text/plain", "Déjà vu, al‑Assad said."),
        (codecs.BOM_UTF8 + "Ünïcode".encode(), "text/plain", "Ünïcode"),
        ("Café crème".encode("latin-1"), "text/plain; charset=ISO-8859-1", "Café crème"),
        ("“Quoted”".encode("cp1252"), None, "“Quoted”"),
        ("قال المتحدث".encode("utf-16"), "text/plain", "قال المتحدث"),
        (b"one\r\ntwo\r\n\r\n\r\n\r\nthree", "text/plain", "one\ntwo\n\nthree"),
    ],
)
def test_plain_text_encodings_and_line_ends(data, content_type, expected):
    assert extract_text(data, content_type=content_type, filename="note.txt").text == expected


def test_binary_and_empty_files_are_refused():
    with pytest.raises(DocumentError, match="binary"):
        extract_text(b"\x00\x01\x02 data", content_type="text/plain")
    with pytest.raises(DocumentError, match="no text"):
        extract_text(b"   \n\n  ", content_type="text/plain")


# --- which reader -------------------------------------------------------------------------------


def test_the_bytes_decide_the_type_before_the_label():
    pdf = (FIXTURES / "marenna-port-release.pdf").read_bytes()
    assert guess_content_type(data=pdf, content_type="text/html", filename="page.html") == PDF
    docx = (FIXTURES / "fishermen-statement.docx").read_bytes()
    assert (
        guess_content_type(data=docx, content_type="application/octet-stream", filename="") == DOCX
    )
    page = b"  <!DOCTYPE html><html><p>x</p></html>"
    assert guess_content_type(data=page, content_type=None, filename=None) == HTML
    assert guess_content_type(data=b"plain words", content_type=None, filename="a.txt") == TEXT


@pytest.mark.parametrize(
    ("content_type", "filename"),
    [("application/pdf", "report.pdf"), (None, "report.pdf"), (DOCX, "memo.docx")],
)
def test_a_file_claiming_to_be_pdf_or_docx_must_be_one(content_type, filename):
    with pytest.raises(DocumentError, match="not one"):
        guess_content_type(
            data=b"<html>not really</html>", content_type=content_type, filename=filename
        )


@pytest.mark.parametrize("content_type", ["image/png", "application/zip", "video/mp4"])
def test_unsupported_types_are_refused(content_type):
    with pytest.raises(DocumentError, match="unsupported"):
        guess_content_type(data=b"\x89PNG....", content_type=content_type, filename="x.bin")
