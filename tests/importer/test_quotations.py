"""Quotations of the long sample essay against its hand-made answer key, and the
quotation scanner's rules on small inputs."""

import pytest

from essays.importer import find_quotations, normalise_quotation, parse


def test_quotation_texts_match_the_answer_key_exactly(long_essay, answer_key):
    assert [q.text for q in long_essay.quotations] == [k["text"] for k in answer_key["quotations"]]
    assert len(long_essay.quotations) >= 60


def test_every_quotation_offset_slices_back_to_its_text(long_essay):
    for section in long_essay.sections:
        for q in section.quotations:
            assert section.paragraphs[q.paragraph][q.start : q.end] == q.text


def test_speaker_outlet_and_via_accuracy_against_the_answer_key(long_essay, answer_key):
    pairs = list(zip(long_essay.quotations, answer_key["quotations"], strict=True))
    speaker = sum(q.speaker == k["speaker"] for q, k in pairs)
    outlet = sum(q.outlet == k["outlet"] for q, k in pairs)
    via = sum(q.via == k["via"] for q, k in pairs)
    print(f"\n{len(pairs)} quotations: speaker {speaker}, outlet {outlet}, via {via} correct")
    assert speaker / len(pairs) >= 0.90
    assert outlet / len(pairs) >= 0.95
    assert via / len(pairs) >= 0.95


def test_flags_match_the_answer_key(long_essay, answer_key):
    for q, k in zip(long_essay.quotations, answer_key["quotations"], strict=True):
        assert (q.scare, q.emphasis_added, q.repeat_of) == (
            k["scare"],
            k["emphasis_added"],
            k["repeat_of"],
        ), q.text


def test_repeated_quotation_points_to_first_occurrence_and_inherits_speaker(long_essay):
    quotes = long_essay.quotations
    repeat = next(q for q in quotes if q.text.startswith("We were told") and q.repeat_of)
    first = quotes[repeat.repeat_of]
    assert first.text == "We were told we would be safe in Idlib. Nobody said for how long,"
    assert repeat.speaker == first.speaker == "Omar Haidar"


def test_short_unattributed_quotes_are_scare_quotes():
    essay = parse(
        "T\n\nThe so-called “moderate” rebels and the “de-escalation zones” failed, "
        "while Lister called it “a quagmire”."
    )
    scare = {q.text: q.scare for q in essay.quotations}
    assert scare == {"moderate": True, "de-escalation zones": True, "a quagmire": False}


@pytest.mark.parametrize(
    "paragraph",
    [
        "He wrote that “the strikes were deliberate [emphasis mine].”",
        "He wrote that “the strikes were deliberate” [emphasis added].",
        "He wrote that “the strikes were deliberate” (emphasis added).",
    ],
)
def test_emphasis_markers_inside_or_after_the_quote(paragraph):
    (span,), _ = find_quotations(paragraph)
    assert span.emphasis_added


def test_nested_quotes_insertions_and_ellipses_are_kept_verbatim():
    paragraph = (
        "“They [ISIS] told us, ‘Leave now,’ . . . and we left,” he said. "
        "\"The guard said 'not yet,'\" she added."
    )
    spans, issues = find_quotations(paragraph)
    assert [paragraph[s.start : s.end] for s in spans] == [
        "They [ISIS] told us, ‘Leave now,’ . . . and we left,",
        "The guard said 'not yet,'",
    ]
    assert issues == []


def test_quotation_over_two_paragraphs_is_not_a_warning(long_essay):
    assert long_essay.warnings == ()
    unterminated = [q for q in long_essay.quotations if q.unterminated]
    assert [q.speaker for q in unterminated] == ["Fadi Saqr"]


def test_normalised_text_folds_quotes_case_space_and_edge_punctuation():
    assert normalise_quotation("A  ‘b’ Concession,") == normalise_quotation("a 'b' concession.")
