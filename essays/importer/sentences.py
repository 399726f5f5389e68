"""Sentence spans that respect abbreviations, ellipses and quotations."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# Lower-cased, without the final period.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen col lt maj capt sgt cpl adm cmdr sen rep gov pres st jr sr
    rev fr hon amb vol vols fig figs pp p ed eds est approx dept univ inc ltd co
    corp vs etc al e.g i.e u.s u.k u.n u.s.a jan feb mar apr jun jul aug sep sept oct
    nov dec mt ft
    """.split()
)
_BOUNDARY = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s)")
_OPENING = "“\"‘'([«"


def split_sentences(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text``, whitespace trimmed.

    A sentence ends at ., ! or ? (with any closing quotes or brackets) followed by
    whitespace and an upper-case letter, digit or opening quote, unless the word
    before is an abbreviation ("Dr.", "U.S.") or an initial, or the dots are part
    of an ". . ." ellipsis. No boundary is placed strictly inside a ``protected``
    span (sorted, non-overlapping), so a quotation of several sentences stays in
    the sentence that quotes it.
    """
    starts = [s for s, _ in protected]
    boundaries = []
    for m in _BOUNDARY.finditer(text):
        pos = m.end()
        nxt = _next_visible(text, pos)
        if nxt is None or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENING):
            continue
        if (
            text[m.start()] == "."
            and m.group().rstrip("”\"’')]") == "."
            and _abbreviation(text, m.start())
        ):
            continue
        i = bisect_right(starts, pos) - 1
        if i >= 0 and protected[i][0] < pos < protected[i][1]:
            continue
        boundaries.append(pos)
    spans = []
    begin = 0
    for end in [*boundaries, len(text)]:
        span = _trim(text, begin, end)
        if span:
            spans.append(span)
        begin = end
    return spans


def _next_visible(text: str, pos: int) -> str | None:
    for ch in text[pos : pos + 8]:
        if not ch.isspace():
            return ch
    return None


def _abbreviation(text: str, dot: int) -> bool:
    begin = dot
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    word = text[begin:dot].lstrip("“\"‘'([")
    if not word:
        return True  # a lone "." is part of ". . ."
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    return word.lower() in ABBREVIATIONS


def _trim(text: str, begin: int, end: int) -> tuple[int, int] | None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return (begin, end) if begin < end else None
