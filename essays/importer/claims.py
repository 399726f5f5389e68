"""Propose check-worthy sentences ("claim candidates") with a transparent score.

The score starts at ``BASE`` and adds the weight of each feature present; the result
is clamped to 0..1. Weights are deliberately few and round so a reviewer can redo
the sum by hand; each candidate carries the features that fired.

Raise: numbers, casualty words, percentages, dates, a named actor doing something
(proper noun + past-tense verb), causal connectives, attribution of a fact.
Lower: opinion markers, hedges, questions, first-person voice (outside quotations),
very short sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .sentences import split_sentences

BASE = 0.3
DEFAULT_THRESHOLD = 0.5

_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half"
)
FEATURES: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("number", 0.2, re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)),
    (
        "casualties",
        0.15,
        re.compile(
            r"\b(?:killed|dead|deaths?|died|wounded|injured|casualt(?:y|ies)|displaced|refugees?"
            r"|fled|civilians|massacre|executed|detained|disappeared)\b",
            re.IGNORECASE,
        ),
    ),
    ("percentage", 0.1, re.compile(r"\d\s?%|\bper ?cent\b", re.IGNORECASE)),
    (
        "date",
        0.1,
        re.compile(
            r"\b(?:1[89]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August"
            r"|September|October|November|December)\b"
        ),
    ),
    (
        "causal",
        0.1,
        re.compile(
            r"\b(?:because|led to|caused|as a result|resulted in|due to|therefore|consequently"
            r"|thanks to|in order to)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "attributed",
        0.1,
        re.compile(
            r"\b(?:according to|reported|said|told|confirmed|documented|estimated|counted"
            r"|announced|acknowledged)\b"
        ),
    ),
    (
        "opinion",
        -0.25,
        re.compile(
            r"\b(?:should|must|ought|deserves?|I think|I believe|we believe|in my view|arguably"
            r"|clearly|obviously|surely|shameful|absurd|disgraceful|outrageous|lesson)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "hedge",
        -0.1,
        re.compile(
            r"\b(?:may|might|perhaps|possibly|seems?|appears?|likely|could|probably)\b",
            re.IGNORECASE,
        ),
    ),
)
_PROPER_NOUN = re.compile(r"(?<=\s)[A-Z][a-z]+")
_PAST_VERB = re.compile(
    r"\b(?:\w{3,}ed|took|seized|began|fell|met|won|lost|sent|held|led|fought|struck|hit|"
    r"built|made|left|came|went|gave|ran|broke|drove|shot|bombed|signed|agreed)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|our|us)\b")


# Each feature in an editor's words, for the candidates list ("numbers, a named source").
FEATURE_WORDS = {
    "number": "numbers",
    "casualties": "casualties or displacement",
    "percentage": "a percentage",
    "date": "a date",
    "causal": "says what caused what",
    "attributed": "a named source",
    "actor_action": "someone did something",
    "opinion": "opinion words",
    "hedge": "hedged",
    "question": "a question",
    "first_person": "in the author's own voice",
    "short": "very short",
}


def explain_score(features) -> str:
    """The features behind a score in words: what raised it, then what lowered it."""
    up = [FEATURE_WORDS.get(name, name) for name, weight in features if weight > 0]
    down = [FEATURE_WORDS.get(name, name) for name, weight in features if weight < 0]
    parts = [", ".join(up)] if up else []
    if down:
        parts.append("lowered by: " + ", ".join(down))
    return "; ".join(parts) or "nothing in particular"


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    score: float
    features: tuple[tuple[str, float], ...]


def score_sentence(
    sentence: str, own_words: str | None = None
) -> tuple[float, tuple[tuple[str, float], ...]]:
    """Score one sentence; ``own_words`` is the sentence with quoted words blanked
    out (first-person and opinion markers only count in the author's own voice).

    Returns ``(score, features)`` with ``features`` the (name, weight) pairs that
    fired.
    """
    own = sentence if own_words is None else own_words
    fired: list[tuple[str, float]] = []
    for name, weight, pattern in FEATURES:
        text = own if name in ("opinion", "hedge") else sentence
        if pattern.search(text):
            fired.append((name, weight))
    if _PROPER_NOUN.search(" " + sentence[1:]) and _PAST_VERB.search(sentence):
        fired.append(("actor_action", 0.15))
    if sentence.rstrip("”\"’') ").endswith("?"):
        fired.append(("question", -0.3))
    if _FIRST_PERSON.search(own):
        fired.append(("first_person", -0.15))
    if len(sentence.split()) < 6:
        fired.append(("short", -0.2))
    score = BASE + sum(w for _, w in fired)
    return round(min(1.0, max(0.0, score)), 2), tuple(fired)


def claim_candidates(
    paragraph: str,
    quotations: Sequence[tuple[int, int]] = (),
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Candidate]:
    """Return the paragraph's sentences scoring at least ``threshold``.

    ``quotations`` are (open, close+1) spans of quotations, which are kept whole
    within their sentence and excluded from the author's-voice features.
    """
    blanked = list(paragraph)
    for a, b in quotations:
        blanked[a:b] = " " * (b - a)
    own = "".join(blanked)
    out = []
    for start, end in split_sentences(paragraph, quotations):
        score, features = score_sentence(paragraph[start:end], own[start:end])
        if score >= threshold:
            out.append(Candidate(start, end, score, features))
    return out
