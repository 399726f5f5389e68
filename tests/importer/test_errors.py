"""Bad input: what raises EssayImportError and what only warns, with file and line."""

import pytest

from essays.importer import EssayImportError, decode_bytes, parse, parse_bytes, read_file

ESSAY = "A Title\n\nIntro paragraph that is long enough to read as prose here.\n"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_file_raises(data):
    with pytest.raises(EssayImportError, match="empty") as info:
        parse_bytes(data, filename="essay.txt")
    assert info.value.filename == "essay.txt" and info.value.line is None


def test_binary_file_raises_with_line():
    with pytest.raises(EssayImportError, match="binary") as info:
        parse_bytes(b"Title\nline two\n\x00\x01\x02", filename="essay.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("essay.txt, line 3: binary")


def test_undecodable_bytes_raise():
    with pytest.raises(EssayImportError, match="not valid text"):
        decode_bytes(b"Title \xff\xfe\x81\x8d\x90", "essay.txt")


def test_cp1252_is_decoded_with_a_warning():
    data = "Caf\u00e9 Title\n\n\u201cQuoted words here,\u201d a man said.\n".encode("cp1252")
    essay = parse_bytes(data, filename="essay.txt")
    assert essay.encoding == "cp1252" and essay.title == "Caf\u00e9 Title"
    assert essay.warnings[0] == "essay.txt: not UTF-8; decoded as cp1252"
    assert essay.quotations[0].text == "Quoted words here,"


def test_utf8_bom_is_stripped_with_a_warning():
    essay = parse_bytes(b"\xef\xbb\xbf" + ESSAY.encode(), filename="essay.txt")
    assert essay.title == "A Title" and essay.encoding == "utf-8-sig"
    assert "byte-order mark" in essay.warnings[0]


def test_unbalanced_quote_is_a_warning_naming_the_line_and_output_is_produced():
    text = ESSAY + "\nSecond paragraph where “the quote never closes and goes on.\n"
    essay = parse(text, filename="essay.txt")
    assert any(w.startswith("essay.txt, line 5: unbalanced quotation mark") for w in essay.warnings)
    assert essay.quotations[0].unterminated
    assert essay.quotations[0].text == "the quote never closes and goes on."


def test_oversize_input_raises(tmp_path):
    with pytest.raises(EssayImportError, match="over the 100-byte limit"):
        parse("x" * 101, max_bytes=100)
    path = tmp_path / "big.txt"
    path.write_text("y" * 500)
    with pytest.raises(EssayImportError) as info:
        read_file(path, max_bytes=100)
    assert info.value.filename == "big.txt"


def test_no_headings_gives_one_untitled_section_and_a_warning():
    essay = parse(
        ESSAY + "\nAnother paragraph, also long enough to be prose.\n", filename="essay.txt"
    )
    assert [s.heading for s in essay.sections] == [None]
    assert len(essay.sections[0].paragraphs) == 2
    assert essay.warnings == ("essay.txt: no headings found: the essay is one untitled section",)


def test_html_with_only_script_raises():
    with pytest.raises(EssayImportError, match="only script"):
        parse(
            "<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>",
            filename="essay.html",
        )


def test_html_scripts_are_ignored_with_a_warning():
    essay = parse(
        "<h1>T</h1><script>var a = '“not a quote”';</script><p>Body “text” here.</p>",
        format="html",
        filename="essay.html",
    )
    assert essay.warnings[0] == "essay.html: ignored 1 script/style/noscript element(s)"
    assert [q.text for q in essay.quotations] == ["text"]


def test_error_message_format():
    error = EssayImportError("unbalanced quotation mark", filename="essay.txt", line=12)
    assert str(error) == "essay.txt, line 12: unbalanced quotation mark"
    assert (error.filename, error.line, error.message) == (
        "essay.txt",
        12,
        "unbalanced quotation mark",
    )
