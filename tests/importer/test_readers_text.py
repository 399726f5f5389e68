"""The plain-text reader on inputs as they really come: archives, notes, bylines.

Every example here is written for the test (not taken from the corpus), so that each
rule is checked on a second member of its class.
"""

from essays.importer import parse
from essays.importer.cruft import byline_author, dateline_length, is_cruft
from essays.importer.readers.text import is_title_like, read_text

ARCHIVE = """\
Salt and Silence: The Winter of the Mine

By Oskar Brandt, Staff Writer

Tuesday, January 9, 1979

B1

THE SHAFT

KIRUNA, Sweden -- The lift at the north shaft stopped at six in the
morning and did not move again until the spring. ``Nobody told us it
was the last day,'' said Per Lindgren, a winch operator who had worked
the shaft for nineteen years. ``We found out from the lock on the
gate.''

The company, Norrmalm Minerals, said in a statement that the closure
was ``temporary and regrettable.''

Continued on B6

   The union did not accept that. ``Temporary is a word for weather,''
said Ingrid Holm, who chairs the miners' local.
   Others were quieter. A surveyor who asked not to be named said the
decision had been ``a long time coming.''

THE DAILY HERALD   B6   TUESDAY, JANUARY 9, 1979

The local's leaflet, handed out at the gate, read in part:

      We have given this mountain our backs and our
      lungs. We ask only to be told the truth about
      what it will give us in return.

The company answered the next day.
It called the leaflet ``unhelpful.''
Holm said she had expected nothing else.

End.
"""


def test_hard_wrapped_archive_is_reflowed_into_its_paragraphs():
    essay = parse(ARCHIVE, format="text")
    assert essay.title == "Salt and Silence: The Winter of the Mine"
    assert essay.author == "Oskar Brandt" and essay.published_on == "1979-01-09"
    (section,) = essay.sections
    assert section.heading == "THE SHAFT"
    first, company, union, surveyor, lead_in, leaflet, *rest = section.paragraphs
    # The dateline goes; a blank line, a first-line indent and a short line ending a
    # sentence each end a paragraph; the indented block is one block quotation.
    assert first.startswith("The lift at the north shaft stopped at six in the morning")
    assert "“Nobody told us it was the last day,”" in first and first.endswith("gate.”")
    assert company.startswith("The company, Norrmalm Minerals,")
    assert union.startswith("The union did not accept that.") and "Ingrid Holm" in union
    assert surveyor.startswith("Others were quieter.")
    assert lead_in.endswith("read in part:")
    assert leaflet.startswith("We have given this mountain") and leaflet.endswith("in return.")
    assert section.blockquotes[section.paragraphs.index(leaflet)]
    # Short lines that each end a sentence are each a paragraph.
    assert rest == [
        "The company answered the next day.",
        "It called the leaflet “unhelpful.”",
        "Holm said she had expected nothing else.",
    ]


def test_archive_furniture_is_dropped_not_read():
    essay = parse(ARCHIVE, format="text")
    body = " ".join(p for s in essay.sections for p in s.paragraphs)
    for furniture in ("B1", "Continued on B6", "End.", "THE DAILY HERALD", "KIRUNA, Sweden"):
        assert furniture not in body
    assert "KIRUNA, Sweden --" in essay.dropped_lines
    assert "Continued on B6" in essay.dropped_lines and "End." in essay.dropped_lines


def test_typewriter_quotes_are_found_as_quotations():
    essay = parse(ARCHIVE, format="text")
    texts = [q.text for q in essay.quotations]
    assert "Nobody told us it was the last day," in texts
    assert "Temporary is a word for weather," in texts
    # The block quote is one quotation, and the apostrophe in "miners'" opens nothing.
    assert any(t.startswith("We have given this mountain") for t in texts)


def test_nested_typewriter_single_quotes_become_curly():
    text = (
        "Ledger\n\nA clerk said: ``They wrote `paid in full' on every slip,'' and laughed "
        "at the men's faces when they read it aloud on the quay.\n"
    )
    (paragraph,) = parse(text, format="text").sections[0].paragraphs
    assert "“They wrote ‘paid in full’ on every slip,”" in paragraph
    assert "men's" in paragraph


def test_series_repeats_of_date_and_byline_are_dropped():
    text = (
        "Two Winters\n\nBy Ana Ruiz\n\nThe first part of the story begins here and runs on "
        "for a while.\n\nPART TWO\n\nFriday, March 2, 2001\n\nBy Ana Ruiz\n\nThe second part "
        "of the story begins here and runs on.\n"
    )
    essay = parse(text, format="text")
    assert [s.heading for s in essay.sections] == [None, "PART TWO"]
    (second,) = essay.sections[1].paragraphs
    assert second == "The second part of the story begins here and runs on."


def test_bylines_in_their_usual_forms():
    assert byline_author("By Mireille Okonjo, Staff Writer") == ("Mireille Okonjo", None)
    assert byline_author("Tomas Varga, Senior Correspondent") == ("Tomas Varga", None)
    assert byline_author("By Rhian Evans. June 2015.") == ("Rhian Evans", None)
    assert byline_author("By Rhian\u00a0Evans | 4 June 2015") == ("Rhian Evans", "2015-06-04")
    assert byline_author("by the way, this is prose") is None


def test_datelines_are_recognised_only_with_a_place_in_capitals_and_a_dash():
    assert dateline_length("NAIROBI, Kenya — The rains came late.") == len("NAIROBI, Kenya — ")
    assert dateline_length("GENEVA (AFP) - Talks resumed.") == len("GENEVA (AFP) - ")
    assert dateline_length("LLANDUDNO, Conwy – Pier repairs began.") == len("LLANDUDNO, Conwy – ")
    assert dateline_length("Nairobi was quiet. The rains came late.") == 0


def test_dateline_is_kept_when_it_is_not_the_opening_of_a_section():
    text = (
        "Signals\n\nThe first paragraph opens the essay and ends here.\n\n"
        "NATO -- the alliance said nothing more about it for a week.\n"
    )
    paragraphs = parse(text, format="text").sections[0].paragraphs
    assert paragraphs[1].startswith("NATO -- the alliance")


def test_newspaper_furniture_and_web_lines_are_cruft():
    for line in (
        "C3",
        "Page 12",
        "Continued from Page 1",
        "See BUDGET, C4",
        "End",
        "-30-",
        "THE EVENING POST   C4   FRIDAY, MAY 5, 1989",
        "Subscribe to the morning briefing",
        "Share on LinkedIn",
        "Sign up for our weekly digest",
    ):
        assert is_cruft(line), line
    for line in ("G7 leaders met in May.", "Page after page of figures", "The End of an Era"):
        assert not is_cruft(line), line


def test_numbered_subheads_are_headings():
    assert is_title_like("IV. The Long Afternoon")
    assert is_title_like("2. Method")
    assert is_title_like("3.1 What the Survey Missed")
    assert not is_title_like("I. Think so. He did too")


ENDNOTES = """\
Bridges Nobody Crossed

The council called the span "a bridge to the future."[1] The engineer's report said
it would "settle by a finger's width each winter."² Nobody read the footnote [sic] in
the annex, or the figures in table [4].

Notes

1. Harbour Gazette, "Council Backs Bridge," 3 May 2011, https://gazette.example/2011/bridge.
2. R. Osei, "Settlement Survey of the East Span," engineering report, 2010,
   https://docs.example/osei-survey.pdf

Sources

County Archive, "Bridge Committee Minutes 2009-2012," https://archive.example/minutes
"""


def test_notes_list_is_read_as_notes_and_markers_become_references():
    essay = parse(ENDNOTES, format="text")
    assert [(n.label, n.url, n.title) for n in essay.notes] == [
        ("1", "https://gazette.example/2011/bridge", "Council Backs Bridge"),
        ("2", "https://docs.example/osei-survey.pdf", "Settlement Survey of the East Span"),
        ("", "https://archive.example/minutes", "Bridge Committee Minutes 2009-2012"),
    ]
    (paragraph,) = essay.sections[0].paragraphs
    assert "[1]" not in paragraph and "²" not in paragraph
    # A bracket that is not a known note's number stays.
    assert "[sic]" in paragraph and "table [4]" in paragraph
    first, second = essay.sections[0].references[0]
    assert (first.note, first.start, first.end) == ("1", first.start, first.start)
    assert paragraph[: first.start].endswith("future.”") or paragraph[: first.start].endswith(
        'future."'
    )
    assert second.note == "2" and paragraph[: second.start].endswith('winter."')
    assert second.url == "https://docs.example/osei-survey.pdf"


def test_a_notes_heading_followed_by_prose_is_a_section():
    text = (
        "Field Diary\n\nThe first day was long and the notes were many.\n\nNotes\n\n"
        "We walked for nine hours and saw nobody on the ridge that day.\n"
    )
    essay = parse(text, format="text")
    assert essay.notes == ()
    assert [s.heading for s in essay.sections] == [None, "Notes"]


def test_read_text_keeps_one_paragraph_per_line_when_lines_are_long():
    long = "This is a long paragraph line that goes on well past the width of a wrapped text. " * 2
    document = read_text(f"Title\n\n{long}\n{long}\n")
    assert [b.text for b in document.blocks[1:]] == [long.strip(), long.strip()]
