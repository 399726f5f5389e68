"""The Markdown reader: front matter, footnotes, reference links, attribute lines.

Examples written for the test, each a second member of the class the corpus has.
"""

from essays.importer import parse

YAML_POST = """\
---
title: 'Salt Roads: Notes from the Coast'
author:
  name: Tomasz Wirth
date: 2020-02-29T08:00:00Z
canonical: https://wirth.example/salt-roads/
keywords: salt, trade, coast
draft: false
---

Posted in *Field Notes* by Tomasz Wirth
{: .post-meta }

The salt pans at Ost were sold in 2019.[^a] The buyer, according to the
[*Coast Courier*][cc], called them "a museum with a till."

## Who Buys Salt {#buyers .part}

> The pans pay for themselves in a dry summer and for nobody in a wet one.
>
> We have had four wet ones.
> — Irena Vog, pan manager[^b]

::: {.aside}
A side note kept as a paragraph.
:::

[cc]: https://courier.example/salt "Salt pans sold"
[^a]: Land registry extract, 4 March 2019, https://registry.example/ost-pans.
[^b]: Irena Vog, interview, *Coast Courier*, 12 May 2019, <https://courier.example/vog>.
"""


def test_yaml_front_matter_gives_the_metadata():
    essay = parse(YAML_POST, format="markdown")
    assert essay.title == "Salt Roads: Notes from the Coast"
    assert essay.author == "Tomasz Wirth" and essay.published_on == "2020-02-29"
    assert essay.canonical_url == "https://wirth.example/salt-roads/"
    assert essay.tags == ("salt", "trade", "coast")


def test_attribute_lines_fenced_divs_and_byline_paragraph_are_dropped():
    essay = parse(YAML_POST, format="markdown")
    assert [s.heading for s in essay.sections] == [None, "Who Buys Salt"]
    text = " ".join(p for s in essay.sections for p in s.paragraphs)
    assert "{" not in text and ":::" not in text and "Posted in" not in text
    assert essay.sections[1].paragraphs[-1] == "A side note kept as a paragraph."
    assert "{: .post-meta }" in essay.dropped_lines and "{#buyers .part}" in essay.dropped_lines


def test_footnotes_are_notes_and_references_not_text():
    essay = parse(YAML_POST, format="markdown")
    assert [(n.label, n.url) for n in essay.notes] == [
        ("a", "https://registry.example/ost-pans"),
        ("b", "https://courier.example/vog"),
    ]
    assert essay.notes[1].text.startswith("Irena Vog, interview, *Coast Courier*")
    paragraph = essay.sections[0].paragraphs[0]
    assert "[^a]" not in paragraph and "^" not in paragraph
    note_ref, link = essay.sections[0].references[0]
    assert note_ref.note == "a" and paragraph[: note_ref.start].endswith("in 2019.")
    # A reference-style link resolves to its definition, title included.
    assert paragraph[link.start : link.end] == "Coast Courier"
    assert (link.url, link.title) == ("https://courier.example/salt", "Salt pans sold")
    assert [paragraph[a:b] for a, b in essay.sections[0].emphasis[0]] == ["Coast Courier"]


def test_a_block_quote_is_one_paragraph_and_one_quotation_without_its_credit_line():
    essay = parse(YAML_POST, format="markdown")
    quote = essay.sections[1].paragraphs[0]
    assert essay.sections[1].blockquotes[0]
    assert quote.startswith("The pans pay") and "four wet ones." in quote
    (quotation,) = [q for q in essay.quotations if q.text.startswith("The pans pay")]
    assert quotation.text.endswith("We have had four wet ones.")
    assert essay.sections[1].references[0][0].note == "b"


def test_toml_front_matter_and_bracketed_spans():
    text = (
        '+++\ntitle = "Winter Ferries"\nauthor = ["Ada Lind", "Ole Berg"]\n'
        'date = 2018-12-01\ntags = ["ferries"]\nurl = "https://ferries.example/winter"\n+++\n\n'
        "The route was called [Vinterlinjen]{lang=no} by everyone, and the captain "
        "said »wir fahren trotzdem« in German.\n"
    )
    essay = parse(text, format="markdown")
    assert (essay.title, essay.author, essay.published_on) == (
        "Winter Ferries",
        "Ada Lind and Ole Berg",
        "2018-12-01",
    )
    assert essay.tags == ("ferries",) and essay.canonical_url == "https://ferries.example/winter"
    (paragraph,) = essay.sections[0].paragraphs
    assert "called Vinterlinjen by everyone" in paragraph
    assert [q.text for q in essay.quotations] == ["wir fahren trotzdem"]


def test_broken_front_matter_is_a_warning_not_an_error():
    essay = parse("---\ntitle: [unclosed\n---\n\n# Heading Title\n\nSome text here.\n")
    assert essay.title == "Heading Title"
    assert any("front matter is not valid YAML" in w for w in essay.warnings)
