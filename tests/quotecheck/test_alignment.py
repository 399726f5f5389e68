"""review.quotecheck.align: every class on the labelled fixtures, then each rule on its own."""

from __future__ import annotations

import random
import re

import pytest

from review.quotecheck import (
    ALTERED,
    EDITED,
    NO_TEXT,
    NOT_FOUND,
    VERBATIM,
    DocumentIndex,
    align,
    word_key,
)
from tests.quotecheck.labelled import document_text, labelled, labels


def one_line(text: str) -> str:
    return " ".join(text.split())


def keys(text: str) -> list[str]:
    index = DocumentIndex(text)
    return [word_key(index.text[s:e]) for s, e in zip(index.starts, index.ends, strict=True)]


def check(row: dict):
    return align(row["quote"], document_text(row["document"]))


# --- the labelled fixtures ----------------------------------------------------------------------


def test_the_fixtures_cover_every_class_in_every_format():
    statuses = {(row["document"].rsplit(".", 1)[1], row["status"]) for row in labels()}
    for fmt in ("html", "pdf", "docx", "txt"):
        for status in (VERBATIM, EDITED, ALTERED, NOT_FOUND):
            assert (fmt, status) in statuses, (fmt, status)


@pytest.mark.parametrize("row", labelled(VERBATIM), ids=lambda row: row["id"])
def test_every_verbatim_quotation_is_found_verbatim(row):
    result = check(row)
    assert result.status == VERBATIM, result
    passage = document_text(row["document"])[result.start : result.end]
    assert keys(passage) == keys(row["quote"])  # the offsets hold exactly the quoted words


@pytest.mark.parametrize("row", labelled(EDITED), ids=lambda row: row["id"])
def test_every_quotation_with_marked_edits_is_found_edited(row):
    result = check(row)
    assert result.status == EDITED, result
    assert result.changes == ()
    passage = keys(document_text(row["document"])[result.start : result.end])
    # The passage runs from the first to the last word quoted as such (not in brackets).
    literal = keys(re.sub(r"\[[^\]]*\]|\.\s\.\s\.|…", " ", row["quote"]))
    assert passage[0] == literal[0] and passage[-1] == literal[-1]


@pytest.mark.parametrize("row", labelled(ALTERED), ids=lambda row: row["id"])
def test_every_altered_quotation_is_flagged_altered(row):
    result = check(row)
    assert result.status == ALTERED, result
    assert result.start is not None and result.end > result.start


def test_at_least_95_percent_of_altered_quotations_show_the_right_changed_words():
    rows = labelled(ALTERED)
    right = [
        row["id"]
        for row in rows
        if [{k: one_line(v) for k, v in c.as_dict().items()} for c in check(row).changes]
        == row["changes"]
    ]
    assert len(right) / len(rows) >= 0.95, sorted({row["id"] for row in rows} - set(right))


@pytest.mark.parametrize("row", labelled(NOT_FOUND), ids=lambda row: row["id"])
def test_a_quotation_not_in_the_source_is_never_pinned_to_a_passage(row):
    result = check(row)
    assert result.status == NOT_FOUND, result
    assert (result.start, result.end, result.changes) == (None, None, ())


# --- the same classes on random passages of every fixture document -------------------------------

WORDS_OUTSIDE = ["never", "always", "secretly", "bombed", "refused", "Tuesday", "seventeen"]


def _spans(seed: int, count: int):
    rng = random.Random(seed)
    names = sorted({row["document"] for row in labels()})
    for _ in range(count):
        name = rng.choice(names)
        index = DocumentIndex(document_text(name))
        n = rng.randint(6, 30)
        i = rng.randrange(len(index.chars) - n)
        yield rng, name, index, i, n


def test_random_passages_quoted_exactly_are_verbatim():
    for _rng, _name, index, i, n in _spans(1, 400):
        quote = index.text[index.starts[i] : index.ends[i + n - 1]]
        result = align(quote, index)
        assert (result.status, result.start) == (VERBATIM, index.starts[i]), quote


def test_random_passages_with_a_changed_word_are_altered_with_that_word():
    """A changed word is never passed as verbatim. Spans made almost only of function words
    ("and I do not want") may come out not found instead of altered: too little to pin."""
    flagged = right = 0
    for rng, _name, index, i, n in _spans(2, 400):
        words = [index.text[index.starts[k] : index.ends[k]] for k in range(i, i + n)]
        j = rng.randrange(n)
        replacement = rng.choice(WORDS_OUTSIDE)
        original, words[j] = words[j], replacement
        result = align(" ".join(words), index)
        assert result.status in (ALTERED, NOT_FOUND), words
        flagged += result.status == ALTERED
        right += any(
            replacement in c.quoted.split() and original in c.original.split()
            for c in result.changes
        )
    assert flagged / 400 >= 0.95
    assert right / 400 >= 0.95


def test_word_salad_from_the_same_document_is_not_found():
    for rng, _name, index, _i, n in _spans(3, 400):
        salad = " ".join(
            index.text[index.starts[k] : index.ends[k]]
            for k in (rng.randrange(len(index.chars)) for _ in range(n))
        )
        assert align(salad, index).status == NOT_FOUND, salad


# --- typography is not alteration ---------------------------------------------------------------

DOCUMENT = (
    "“We will not accept a ceasefire that freezes the front line,” the spokesman, "
    "Abu\u00a0Omar al‑Masri, told reporters — adding that the council’s offer was "
    "«\u00a0a trap\u00a0». Later he said: „Die Gespräche sind beendet“ and the talks "
    "ended. The rebels’ statement called it ``an insult to the dead.'' Négociations "
    "suspendues. The inter-\nnational monitors left on 3 March, and the well-\nknown "
    "envoy followed. قال المتحدثُ إنَّ المفاوضاتِ انتهت."
)


@pytest.mark.parametrize(
    "quote",
    [
        '"We will not accept a ceasefire that freezes the front line"',  # straight quotes
        "we will NOT accept a ceasefire that freezes the front line",  # case
        "the spokesman, Abu Omar al-Masri, told reporters -- adding that",  # NBSP, hyphens, --
        "the spokesman, Abu Omar al Masri, told reporters",  # hyphen vs space is NOT the same…
        "the council's offer was << a trap >>",  # apostrophe, guillemets
        "the council’s offer was ‘a trap’",
        "Die Gesprache sind beendet",  # accents, „German“ quotes
        "the rebels' statement called it “an insult to the dead.”",  # typewriter quotes
        "Negociations suspendues",
        "The international monitors left on 3 March",  # line-end hyphen in the source
        "the well-known envoy followed",
        "the inter- national monitors",  # … and in the quotation
        "قال المتحدث إن المفاوضات انتهت",  # Arabic without its vowel marks
        "told\u2009reporters\u200b — adding",  # thin space, zero-width space
    ],
)
def test_typography_differences_are_still_verbatim(quote):
    result = align(quote, DOCUMENT)
    if "al Masri" in quote:  # a spelling difference, not typography
        assert result.status == ALTERED
    else:
        assert result.status == VERBATIM, result


def test_the_offsets_point_at_the_quoted_words_in_the_document():
    result = align("THE COUNCIL'S OFFER", DOCUMENT)
    assert DOCUMENT[result.start : result.end] == "the council’s offer"
    result = align("the international monitors", DOCUMENT)
    assert DOCUMENT[result.start : result.end] == "The inter-\nnational monitors"


# --- marked edits -------------------------------------------------------------------------------

SPEECH = (
    "The minister said that the army would withdraw from the northern districts by the "
    "end of the month. She added that the withdrawal depended on the rebels keeping the "
    "ceasefire, and that any attack on civilians would end it. They have broken every "
    "promise so far, she said, but we will give them one more chance."
)


@pytest.mark.parametrize(
    "quote",
    [
        "the army would withdraw . . . by the end of the month",
        "the army would withdraw ... by the end of the month",
        "the army would withdraw … by the end of the month",
        "the army would withdraw [...] by the end of the month",
        "the army would withdraw […] by the end of the month",
        "the army would withdraw (...) by the end of the month",
        "the army would withdraw.... She added that the withdrawal depended on the rebels",
        "… any attack on civilians would end it …",
    ],
)
def test_every_ellipsis_spelling_is_a_gap(quote):
    assert align(quote, SPEECH).status == EDITED


@pytest.mark.parametrize(
    "quote",
    [
        "[The rebels] have broken every promise so far",  # substitutes one word
        "[The Free Army fighters] have broken every promise so far",  # several for one
        "the withdrawal depended on [the Northern Brigade] keeping the ceasefire",
        "She added that the withdrawal [from the north] depended on the rebels",  # pure insertion
        "[t]he army would withdraw from the northern districts",  # capitalisation
        "we will give them one more chance [emphasis added]",
        "we will give them one more chance (emphasis mine)",
        "They have broken every promise [sic] so far",
        "[M]inister said that the army would withdraw",  # attached bracket: letter added
    ],
)
def test_bracketed_insertions_and_notes_are_marked_edits(quote):
    result = align(quote, SPEECH)
    assert result.status == EDITED, result
    assert result.changes == ()


def test_parts_around_an_ellipsis_must_keep_their_order():
    result = align("by the end of the month . . . the army would withdraw", SPEECH)
    assert result.status != EDITED


def test_parts_around_an_ellipsis_must_be_close_together():
    filler = " ".join(f"filler{i}" for i in range(400))
    document = f"The army would withdraw. {filler} It would happen by the end of the month."
    assert align("The army would withdraw . . . by the end of the month", document).status != EDITED
    near = f"The army would withdraw. {filler[:600]} It would happen by the end of the month."
    assert align("The army would withdraw . . . by the end of the month", near).status == EDITED


def test_a_bracket_cannot_stand_for_a_whole_clause():
    result = align("The minister said [something] the ceasefire", SPEECH)
    assert result.status != EDITED


def test_an_unmarked_change_next_to_a_marked_one_is_still_reported():
    result = align("[The rebels] have broken every promise until now", SPEECH)
    assert result.status == ALTERED
    assert [c.as_dict() for c in result.changes] == [{"quoted": "until now", "original": "so far"}]


def test_a_changed_word_after_an_ellipsis_is_reported():
    result = align("the army would withdraw . . . by the end of the year", SPEECH)
    assert result.status == ALTERED
    assert [c.as_dict() for c in result.changes] == [{"quoted": "year", "original": "month"}]


def test_an_invented_part_after_an_ellipsis_is_reported_as_added():
    result = align(
        "the army would withdraw from the northern districts . . . and the capital will fall",
        SPEECH,
    )
    assert result.status == ALTERED
    assert [c.as_dict() for c in result.changes] == [
        {"quoted": "and the capital will fall", "original": ""}
    ]


# --- altered ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "changes"),
    [
        (
            "the army would withdraw from the southern districts by the end of the month",
            [("southern", "northern")],
        ),
        (
            "the withdrawal depended on the rebels keeping the ceasefire, and that any attack "
            "would end it",
            [("", "on civilians")],
        ),
        (
            "They have broken every single promise so far",
            [("single", "")],
        ),
        (
            "we will not give them one more chance",
            [("not", "")],
        ),
        (
            "the army would never withdraw from the northern districts",
            [("never", "")],
        ),
    ],
)
def test_altered_quotations_list_the_changed_added_and_dropped_words(quote, changes):
    result = align(quote, SPEECH)
    assert result.status == ALTERED
    assert [(c.quoted, c.original) for c in result.changes] == changes


def test_an_altered_quotation_is_matched_to_its_own_passage_not_a_similar_one():
    document = (
        "In March the mayor said the bridge would reopen in May. "
        "In June the mayor said the bridge would reopen in August."
    )
    result = align("In June the mayor said the bridge would reopen in September", document)
    assert result.status == ALTERED
    assert document[result.start : result.end].startswith("In June")
    assert [(c.quoted, c.original) for c in result.changes] == [("September", "August")]


# --- not found, no text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "The harbour will be sold to a foreign investor next year",
        "the the the of and that",  # frequent words in order prove nothing
        "army withdraw",  # too short to be anything but exact
        "the army would retreat",  # short and changed: not enough to pin
        "…",
        "[emphasis added]",
    ],
)
def test_quotations_not_in_the_document_are_not_found(quote):
    result = align(quote, SPEECH)
    assert result.status == NOT_FOUND
    assert result.start is None


@pytest.mark.parametrize("document", [None, "", "   \n\n", "— … «» ––"])
def test_without_document_text_the_status_is_no_text(document):
    assert align("the army would withdraw", document).status == NO_TEXT
