"""Links, note references and emphasis reach the parse with offsets in the paragraph."""

from essays.importer import parse
from essays.importer.blocks import Reference


def _first_paragraph(essay):
    section = essay.sections[0]
    return section.paragraphs[0], section.references[0], section.emphasis[0]


def test_html_link_is_a_reference_over_its_anchor_text():
    essay = parse(
        '<h1>Harbour Notes</h1><p>  The <a href="https://example.org/a" title="A report">'
        "port report</a> was read in <em>The Tidewater Gazette</em>.</p>",
        format="html",
    )
    text, references, emphasis = _first_paragraph(essay)
    (link,) = references
    assert text[link.start : link.end] == "port report"
    assert (link.url, link.title, link.note) == ("https://example.org/a", "A report", None)
    assert [text[a:b] for a, b in emphasis] == ["The Tidewater Gazette"]
    assert essay.links == (("port report", "https://example.org/a"),)


def test_markdown_link_and_italics_are_kept_with_offsets():
    essay = parse(
        "# Orchard Prices\n\nAs *The Fruit Trade Weekly* put it, "
        '[“prices fell”](https://example.net/p "Prices") in May.\n',
        format="markdown",
    )
    text, references, emphasis = _first_paragraph(essay)
    (link,) = references
    assert text[link.start : link.end] == "“prices fell”"
    assert link == Reference(link.start, link.end, "https://example.net/p", "Prices")
    assert [text[a:b] for a, b in emphasis] == ["The Fruit Trade Weekly"]
