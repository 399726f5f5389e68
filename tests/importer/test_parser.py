"""Structure of a parsed plain-text essay: metadata, sections, cruft, JSON shape."""

import pytest

from essays.importer import detect_format, parse

from .conftest import FIXTURES

SMALL = """The Road Ahead
by\u00a0Jane\u2003Doe
Published: 4 May 2019

An introduction that sets out the argument in one long sentence, more or less.

Idlib

The province held nearly three million people by 2019, half of them displaced.

The Road to Raqqa

The campaign began in November 2016 and ended eleven months later.
Read also:
Ten Tips for Better Sleep
Conclusion

It ended badly, as everyone expected.
Advertisement
Published at https://example.org/road-ahead
"""


def test_title_is_the_first_non_empty_line(long_essay):
    assert long_essay.title == "The Long Siege: How Idlib Became the Last Rebel Redoubt"
    assert parse("\n\n  Title Here  \n\nBody text that goes on for a while.").title == "Title Here"


@pytest.mark.parametrize(
    "line",
    [
        "By\u00a0Miriam\u00a0Haddad",
        "by Miriam Haddad",
        "BY\tMiriam Haddad",
        "By Miriam Haddad | June 2, 2020",
    ],
)
def test_byline_in_any_case_and_whitespace_gives_author(line):
    essay = parse(f"A Title\n{line}\n\nSome body text of the essay, long enough to be prose.")
    assert essay.author == "Miriam Haddad"


def test_byline_with_nbsp_in_long_essay(long_essay):
    assert long_essay.author == "Miriam Haddad"
    assert long_essay.published_on == "2020-06-02"


def test_explicit_author_overrides_byline():
    assert parse(SMALL, author="Someone Else").author == "Someone Else"


def test_date_line_gives_published_on():
    assert parse(SMALL).published_on == "2019-05-04"


def test_untitled_introduction_then_short_headings(long_essay, answer_key):
    assert [s.heading for s in long_essay.sections] == answer_key["headings"]
    assert long_essay.sections[0].heading is None
    assert len(long_essay.sections[0].paragraphs) == 5


def test_headings_are_decided_from_shape_and_neighbours():
    essay = parse(SMALL)
    assert [s.heading for s in essay.sections] == [None, "Idlib", "The Road to Raqqa", "Conclusion"]


def test_read_also_and_the_teaser_title_are_dropped_not_headings(long_essay):
    headings = {s.heading for s in long_essay.sections}
    assert "Ten Recipes for a Summer Picnic" not in headings
    assert "Read also:" in long_essay.dropped_lines
    assert "Ten Recipes for a Summer Picnic" in long_essay.dropped_lines
    small = parse(SMALL)
    assert "Ten Tips for Better Sleep" in small.dropped_lines
    assert all("Sleep" not in p for s in small.sections for p in s.paragraphs)


def test_published_at_line_gives_canonical_url_and_is_dropped(long_essay):
    assert long_essay.canonical_url == "https://counterpoint.example/essays/the-long-siege"
    assert long_essay.dropped_lines[-1].startswith("Published at ")
    assert all("Published at" not in p for s in long_essay.sections for p in s.paragraphs)


def test_share_buttons_and_advertisements_are_dropped(long_essay, answer_key):
    assert list(long_essay.dropped_lines) == answer_key["dropped_lines"]


def test_every_input_line_is_accounted_for(long_essay):
    text = (FIXTURES / "long_siege.txt").read_text(encoding="utf-8")
    paragraphs = "\n".join(p for s in long_essay.sections for p in s.paragraphs)
    placed = {
        long_essay.title,
        *long_essay.dropped_lines,
        *(s.heading for s in long_essay.sections if s.heading),
    }
    metadata = {"By\u00a0Miriam\u00a0Haddad", "June 2, 2020"}
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        assert line in placed or line in metadata or line in paragraphs, line


def test_hard_wrapped_paragraph_is_joined_with_line_numbers():
    wrapped = (
        "Title\n\n"
        "The first line of a paragraph that was wrapped at about seventy\n"
        "characters by the editor who pasted it into a plain text file so\n"
        "that it “would fit” the screen.\n"
    )
    essay = parse(wrapped)
    (paragraph,) = essay.sections[0].paragraphs
    assert paragraph.startswith("The first line") and paragraph.endswith("the screen.")
    assert essay.quotations[0].line == 5


def test_json_has_exactly_the_published_shape(long_essay):
    data = long_essay.to_json_dict()
    assert set(data) == {
        "title",
        "author",
        "canonical_url",
        "published_on",
        "sections",
        "dropped_lines",
        "warnings",
        "tags",
        "notes",
        "sources",
    }
    assert data["tags"] == [] and data["notes"] == [] and data["sources"] == []
    assert isinstance(data["title"], str) and isinstance(data["author"], str)
    assert isinstance(data["published_on"], str) and len(data["published_on"]) == 10
    assert all(isinstance(x, str) for x in data["dropped_lines"] + data["warnings"])
    for section in data["sections"]:
        assert set(section) == {"heading", "paragraphs", "quotations", "claims"}
        assert section["heading"] is None or isinstance(section["heading"], str)
        assert all(isinstance(p, str) for p in section["paragraphs"])
        for q in section["quotations"]:
            assert set(q) == {
                "text",
                "paragraph",
                "start",
                "end",
                "speaker",
                "outlet",
                "via",
                "emphasis_added",
                "scare",
                "repeat_of",
                "speaker_kind",
                "affiliation",
                "rule",
                "confidence",
                "source",
            }
            assert q["source"] is None or set(q["source"]) == {"url", "title", "outlet"}
            assert isinstance(q["emphasis_added"], bool) and isinstance(q["scare"], bool)
            assert all(isinstance(q[k], int) for k in ("paragraph", "start", "end"))
            assert all(q[k] is None or isinstance(q[k], str) for k in ("speaker", "outlet", "via"))
            assert q["repeat_of"] is None or isinstance(q["repeat_of"], int)
        for c in section["claims"]:
            assert set(c) == {"text", "paragraph", "start", "end", "score"}
            assert isinstance(c["score"], float) and 0 <= c["score"] <= 1


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("plain", "essay.txt", "text"),
        ("<p>x</p>", "essay.md", "markdown"),
        ("# Title\n\nBody", "essay.html", "html"),
        ("# Title\n\nBody", None, "markdown"),
        ("Title\n=====\n\nBody", None, "markdown"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", None, "html"),
        ("Title\n\nBody with a <b> in it.", None, "text"),
        ("Just a line.\nAnother line.", "notes.unknown", "text"),
    ],
)
def test_format_detection_prefers_extension_then_content(text, filename, expected):
    assert detect_format(text, filename) == expected


def test_explicit_format_overrides_detection():
    essay = parse("# Not a heading\n\nBody text here, long enough.", format="text", filename="x.md")
    assert essay.format == "text" and essay.title == "# Not a heading"
