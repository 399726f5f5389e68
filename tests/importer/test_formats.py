"""The same essay as text, Markdown and HTML parses to the same essay."""

import pytest

from essays.importer import read_file

from .conftest import FIXTURES


def summary(essay):
    return {
        "meta": (essay.title, essay.author, essay.published_on, essay.canonical_url),
        "headings": [s.heading for s in essay.sections],
        "paragraphs": [len(s.paragraphs) for s in essay.sections],
        "quotations": [
            (q.text, q.speaker, q.outlet, q.via, q.scare, q.paragraph) for q in essay.quotations
        ],
        "claims": [c.text for c in essay.claims],
    }


@pytest.mark.parametrize("other", ["checkpoint.md", "checkpoint.html"])
def test_markdown_and_html_match_plain_text(other):
    text = summary(read_file(FIXTURES / "checkpoint.txt"))
    assert summary(read_file(FIXTURES / other)) == text
    assert text["headings"] == [None, "The Crossing", "The Aftermath"]
    assert len(text["quotations"]) == 7


def test_markdown_block_quote_is_one_quotation_attributed_by_its_lead_in():
    essay = read_file(FIXTURES / "checkpoint.md")
    aftermath = essay.sections[-1]
    assert aftermath.blockquotes == (False, True, False)
    block = aftermath.quotations[0]
    assert (block.start, block.end) == (0, len(aftermath.paragraphs[1]))
    assert block.speaker == "Huda Karim"
    assert essay.sections[0].paragraph_lines == (7, 9)


def test_html_keeps_links_and_drops_navigation():
    essay = read_file(FIXTURES / "checkpoint.html")
    assert ("Enab Baladi", "https://english.enabbaladi.net") in essay.links
    # A whole page is read from its article: the navigation is never a paragraph.
    paragraphs = [p for s in essay.sections for p in s.paragraphs]
    assert not any("Home" in p and "Essays" in p for p in paragraphs)
