"""Claim candidates: sentence splitting and the feature-based check-worthiness score."""

from essays.importer import claim_candidates, parse, score_sentence, split_sentences


def test_sentences_respect_abbreviations_ellipses_and_quotes():
    text = (
        "Dr. Aziz met U.S. officials on Jan. 5. The talks . . . went nowhere. "
        "“We left. Nobody followed,” she said. Then it rained."
    )
    sentences = [
        text[a:b] for a, b in split_sentences(text, [(text.index("“"), text.index("”") + 1)])
    ]
    assert sentences == [
        "Dr. Aziz met U.S. officials on Jan. 5.",
        "The talks . . . went nowhere.",
        "“We left. Nobody followed,” she said.",
        "Then it rained.",
    ]


def test_numbers_and_casualties_score_high():
    score, features = score_sentence(
        "Government airstrikes killed at least 1,300 civilians in the buffer zone in 2019."
    )
    assert score >= 0.7
    assert {"number", "casualties", "date"} <= {name for name, _ in features}


def test_opinions_hedges_and_questions_score_low():
    for sentence in (
        "I think the diplomats should have known better.",
        "Perhaps history will judge them harshly.",
        "Is there a lesson here for the diplomats?",
    ):
        assert score_sentence(sentence)[0] < 0.5, sentence


def test_first_person_inside_a_quotation_is_not_the_authors_opinion():
    text = "“We lost 40 fighters,” the commander told Reuters in March 2019."
    quote = (0, text.index("”") + 1)
    (candidate,) = claim_candidates(text, [quote])
    assert "first_person" not in dict(candidate.features)


def test_threshold_is_a_parameter():
    text = "Title\n\nThe campaign began in November 2016. I think it was a mistake."
    assert [c.text for c in parse(text).claims] == ["The campaign began in November 2016."]
    assert len(parse(text, claim_threshold=0.0).claims) == 2


def test_claims_in_long_essay_slice_back_and_skip_opinion(long_essay):
    for section in long_essay.sections:
        for c in section.claims:
            assert section.paragraphs[c.paragraph][c.start : c.end] == c.text
            assert c.score >= 0.5
    texts = [c.text for c in long_essay.claims]
    assert any("34,000" in t for t in texts)
    assert not any(t.startswith("I think the evidence") for t in texts)
