"""Find quotations in a paragraph: spans between double quotation marks.

Only double quotes (curly “ ” or straight ") delimit quotations; single quotes
inside them (‘ ’ or ') are the quoted person quoting someone and stay part of the
text, as do bracketed insertions ("[ISIS]"), ". . ." ellipses and emphasis notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING_MARKS = '“"'
_EMPHASIS = re.compile(
    r"[\[(]\s*(?:emphasis\s+(?:mine|added|ours)|my\s+emphasis|italics\s+(?:mine|added))\s*[\])]",
    re.IGNORECASE,
)
_OPENS_AFTER = frozenset("([{—–-/‘'")
_FOLD_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})
_EDGE_PUNCT = " \t\"'.,;:!?…-–—"


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Where a quotation sits in its paragraph. ``start``/``end`` exclude the marks;
    ``close`` is the index of the closing mark, or None if the paragraph ended first."""

    start: int
    end: int
    open: int
    close: int | None
    emphasis_added: bool

    @property
    def outer_end(self) -> int:
        """Index just past the closing mark (or the paragraph end)."""
        return self.close + 1 if self.close is not None else self.end


@dataclass(frozen=True, slots=True)
class QuoteIssue:
    """A problem with quotation marks, at ``offset`` in the paragraph."""

    offset: int
    message: str


def normalise_quotation(text: str) -> str:
    """Fold quote styles, whitespace and case, and trim edge punctuation, so the same
    words quoted twice ("…concession," and "…concession.") compare equal."""
    folded = " ".join(text.translate(_FOLD_QUOTES).split()).casefold()
    return folded.strip(_EDGE_PUNCT)


def starts_with_quotation(paragraph: str) -> bool:
    """True if the paragraph opens with a double quotation mark."""
    return paragraph.lstrip()[:1] in OPENING_MARKS


def find_quotations(
    paragraph: str, *, continues: bool = False
) -> tuple[list[QuoteSpan], list[QuoteIssue]]:
    """Return the paragraph's quotations in order, plus any quote-mark problems.

    Curly quotes nest (“…“…”…” is one quotation); a straight quote opens after a
    space or opening punctuation and closes before one. A quotation still open at
    the end of the paragraph runs to its end; that is reported as an issue unless
    ``continues`` is true (the next paragraph opens with a quotation mark, the usual
    way of quoting several paragraphs). Linear in the paragraph's length.
    """
    spans: list[QuoteSpan] = []
    issues: list[QuoteIssue] = []
    n = len(paragraph)
    i = 0
    while i < n:
        ch = paragraph[i]
        if ch == "“" or (ch == '"' and _straight_opens(paragraph, i)):
            close = _closing(paragraph, i)
            if close is None and not continues:
                issues.append(QuoteIssue(i, f"unbalanced quotation mark: {ch} is never closed"))
            span = _span(paragraph, i, close)
            if span is not None:
                spans.append(span)
            i = (close if close is not None else n) + 1
            continue
        if ch in '”"':
            issues.append(QuoteIssue(i, f"unbalanced quotation mark: stray closing {ch}"))
        i += 1
    return spans, issues


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPENS_AFTER) and not after.isspace()


def _closing(text: str, open_at: int) -> int | None:
    if text[open_at] == "“":
        depth = 0
        for j in range(open_at, len(text)):
            if text[j] == "“":
                depth += 1
            elif text[j] == "”":
                depth -= 1
                if depth == 0:
                    return j
        return None
    fallback = None
    j = text.find('"', open_at + 1)
    while j != -1:
        if not _straight_opens(text, j):
            return j
        fallback = j if fallback is None else fallback
        j = text.find('"', j + 1)
    return fallback


def _span(text: str, open_at: int, close: int | None) -> QuoteSpan | None:
    start, end = open_at + 1, close if close is not None else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    inside = _EMPHASIS.search(text, start, end) is not None
    after = close is not None and _EMPHASIS.match(text, close + 1 + _spaces(text, close + 1))
    return QuoteSpan(start, end, open_at, close, bool(inside or after))


def _spaces(text: str, pos: int) -> int:
    count = 0
    while pos + count < len(text) and text[pos + count] in " \u00a0" and count < 3:
        count += 1
    return count
