"""Quote-mark conventions: each one on examples written for the test."""

from essays.importer import parse
from essays.importer.quotations import find_quotations, quote_style
from essays.importer.readers.text import is_title_like


def quoted(paragraph: str, style: str = "double") -> list[str]:
    spans, _ = find_quotations(paragraph, style=style)
    return [paragraph[s.start : s.end] for s in spans]


def test_guillemets_and_reversed_guillemets():
    assert quoted("«Le pont est fermé», a dit le maire, «jusqu’à lundi».") == [
        "Le pont est fermé",
        "jusqu’à lundi",
    ]
    assert quoted("Sie sagte: »Wir warten«, und ging.") == ["Wir warten"]
    # ‹nested› marks stay inside the outer quotation.
    assert quoted("«Il a dit ‹non› deux fois»") == ["Il a dit ‹non› deux fois"]


def test_german_low_high_quotes_close_with_either_high_mark():
    assert quoted("Er sagte „Das Dach ist dicht“ und ging.") == ["Das Dach ist dicht"]
    assert quoted("Powiedział „Dach jest szczelny” i wyszedł.") == ["Dach jest szczelny"]


def test_british_single_quote_style_with_nested_doubles_and_apostrophes():
    paragraphs = [
        "‘The harbour’s books were “under audit”, they said,’ the clerk recalled.",
        "The Growers’ committee called it ‘a fair price’ and the dockers’ union did not.",
        "‘It’s the Smiths’ boat, not ours,’ said one skipper.",
    ]
    assert quote_style(paragraphs) == "single"
    assert quoted(paragraphs[0], "single") == ["The harbour’s books were “under audit”, they said,"]
    assert quoted(paragraphs[1], "single") == ["a fair price"]
    assert quoted(paragraphs[2], "single") == ["It’s the Smiths’ boat, not ours,"]


def test_straight_single_quote_style():
    paragraph = "'He said \"no\" twice,' the porter told me. 'That's all.'"
    assert quote_style([paragraph] * 2) == "single"
    assert quoted(paragraph, "single") == ['He said "no" twice,', "That's all."]


def test_double_quote_essays_keep_single_quotes_inside():
    paragraphs = ["“They called it ‘temporary’,” she said.", "It was ‘fine’, he said."]
    assert quote_style(paragraphs) == "double"
    assert quoted(paragraphs[0]) == ["They called it ‘temporary’,"]
    assert quoted(paragraphs[1]) == []


def test_a_british_essay_parses_with_its_quotations():
    text = (
        "Low Tide\n\n‘We lost the mooring in March,’ said Fiona Hay, who keeps the chandlery. "
        "‘Nobody told the Skippers’ association until June.’\n\n"
        "The council said the berths were ‘under review’.\n"
    )
    essay = parse(text, format="text")
    assert [q.text for q in essay.quotations] == [
        "We lost the mooring in March,",
        "Nobody told the Skippers’ association until June.",
        "under review",
    ]


def test_title_case_question_is_a_heading_but_a_plain_question_is_not():
    assert is_title_like("Who Pays the Bill?")
    assert not is_title_like("What now?")
    assert not is_title_like("Is this the end of it? Nobody knows.")
