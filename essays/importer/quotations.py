"""Find quotations in a paragraph: spans between quotation marks.

The quote-mark conventions are the tables below (``PAIRS``). In every essay, double
quotes (curly “ ” or straight "), «guillemets» (also »reversed«) and „German“ (or
„Polish”) quotes delimit quotations. In an essay in the British single-quote style
(``quote_style`` decides, for the whole essay), single quotes ‘ ’ (or straight ')
delimit them too, and an apostrophe (it’s, the Producers’ board) does not close one.
Marks nested inside a quotation (single inside double, double inside British single,
‹ › inside « ») are the quoted person quoting someone and stay part of the text, as
do bracketed insertions ("[ISIS]"), ". . ." ellipses and emphasis notes.

Typewriter quotes (``…'') are made curly by the text reader before this runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING_MARKS = '“"«„'
# Opening mark → the marks that close it. A mark that is its own closer (") is
# handled apart (it opens after a space and closes before one).
PAIRS: dict[str, str] = {"“": "”", "«": "»", "„": "“”", "‘": "’"}
# »Reversed« guillemets (German, Danish, Swedish books): » opens and « closes.
REVERSED_GUILLEMETS: dict[str, str] = {"»": "«"}
# Marks that open a quotation in the single-quote style only.
SINGLE_OPENING_MARKS = "‘'"
_WORD_CHAR = re.compile(r"\w")
_EMPHASIS = re.compile(
    r"[\[(]\s*(?:emphasis\s+(?:mine|added|ours)|my\s+emphasis|italics\s+(?:mine|added))\s*[\])]",
    re.IGNORECASE,
)
_OPENS_AFTER = frozenset("([{—–-/‘'")
_FOLD_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‹": "'",
        "›": "'",
        "‚": "'",
        "‘": "'",
        "’": "'",
        "\u00a0": " ",
    }
)
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


def quote_style(paragraphs: list[str]) -> str:
    """ "single" when the essay quotes with single marks (British style: ‘…’ or '…',
    doubles only nested inside), else "double". Decided for the whole essay by
    counting the marks that open a quotation: after a space or an opening bracket
    or dash, before a letter or digit."""
    singles = doubles = 0
    for text in paragraphs:
        for i, ch in enumerate(text):
            if ch in "‘'“\"" and _opens_word(text, i):
                if ch in "‘'":
                    singles += 1
                else:
                    doubles += 1
    return "single" if singles >= 3 and singles > doubles else "double"


def _opens_word(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPENS_AFTER) and bool(_WORD_CHAR.match(after))


def starts_with_quotation(paragraph: str, style: str = "double") -> bool:
    """True if the paragraph opens with a quotation mark (of ``style``)."""
    first = paragraph.lstrip()[:1]
    if style == "single" and first in SINGLE_OPENING_MARKS:
        return True
    return bool(first) and (first in OPENING_MARKS or first in REVERSED_GUILLEMETS)


def find_quotations(
    paragraph: str, *, continues: bool = False, style: str = "double"
) -> tuple[list[QuoteSpan], list[QuoteIssue]]:
    """Return the paragraph's quotations in order, plus any quote-mark problems.

    Curly quotes and guillemets nest (“…“…”…” is one quotation); a straight quote
    opens after a space or opening punctuation and closes before one. In the
    "single" ``style`` single quotes open quotations too (see ``quote_style``). A
    quotation still open at the end of the paragraph runs to its end; that is
    reported as an issue unless ``continues`` is true (the next paragraph opens with
    a quotation mark, the usual way of quoting several paragraphs). Linear in the
    paragraph's length.
    """
    spans: list[QuoteSpan] = []
    issues: list[QuoteIssue] = []
    n = len(paragraph)
    reversed_guillemets = _reversed_guillemets(paragraph)
    i = 0
    while i < n:
        ch = paragraph[i]
        if _opens(paragraph, i, style, reversed_guillemets):
            close = _closing(paragraph, i, reversed_guillemets)
            if close is None and not continues:
                issues.append(QuoteIssue(i, f"unbalanced quotation mark: {ch} is never closed"))
            span = _span(paragraph, i, close)
            if span is not None:
                spans.append(span)
            i = (close if close is not None else n) + 1
            continue
        if ch in '”"' or (ch == "»" and not reversed_guillemets):
            issues.append(QuoteIssue(i, f"unbalanced quotation mark: stray closing {ch}"))
        i += 1
    return spans, issues


def _reversed_guillemets(paragraph: str) -> bool:
    """»Reversed« when the paragraph's first guillemet is » and a « follows it."""
    first = next((j for j, c in enumerate(paragraph) if c in "«»"), None)
    return first is not None and paragraph[first] == "»" and "«" in paragraph[first:]


def _opens(text: str, i: int, style: str, reversed_guillemets: bool) -> bool:
    ch = text[i]
    if ch in ("“", "„"):
        return True
    if ch == '"':
        return _straight_opens(text, i)
    if ch == "«":
        return not reversed_guillemets
    if ch == "»":
        return reversed_guillemets
    if style == "single" and ch in SINGLE_OPENING_MARKS:
        return _opens_word(text, i) or (ch == "‘" and not _WORD_CHAR.match(text[i - 1 : i] or " "))
    return False


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _OPENS_AFTER) and not after.isspace()


def _closing(text: str, open_at: int, reversed_guillemets: bool = False) -> int | None:
    mark = text[open_at]
    if mark in ("“", "«") or (mark == "»" and reversed_guillemets):
        closer = (PAIRS | REVERSED_GUILLEMETS)[mark] if mark != "»" else "«"
        depth = 0
        for j in range(open_at, len(text)):
            if text[j] == mark:
                depth += 1
            elif text[j] == closer:
                depth -= 1
                if depth == 0:
                    return j
        return None
    if mark == "„":
        return next((j for j in range(open_at + 1, len(text)) if text[j] in "“”"), None)
    if mark in SINGLE_OPENING_MARKS:
        return _single_closing(text, open_at)
    fallback = None
    j = text.find('"', open_at + 1)
    while j != -1:
        if not _straight_opens(text, j):
            return j
        fallback = j if fallback is None else fallback
        j = text.find('"', j + 1)
    return fallback


def _single_closing(text: str, open_at: int) -> int | None:
    """The mark closing a single-quoted quotation: the first ’ (or ') that is not an
    apostrophe. Inside a word (it’s, Fishermen’s) it is one; after an "s" and before
    a lower-case word (the Producers’ board) it is one when a later mark can close
    the quotation before the next one opens. Nested double quotes are skipped."""
    marks = "’" if text[open_at] == "‘" else "'"
    n = len(text)
    j = open_at + 1
    possessive: int | None = None
    while j < n:
        c = text[j]
        if c == "“":
            inner = _closing(text, j)
            j = (inner if inner is not None else j) + 1
            continue
        if c == "‘" and text[open_at] == "‘" and _opens_word(text, j):
            break  # the next quotation opens: this one never closed
        if c in marks:
            before = text[j - 1] if j else " "
            after = text[j + 1] if j + 1 < n else " "
            if before.isalnum() and after.isalnum():
                j += 1
                continue  # it’s, Zu'bi
            if before in "sS" and after == " " and text[j + 2 : j + 3].islower():
                possessive = possessive if possessive is not None else j
                j += 1
                continue
            if not before.isspace():
                return j
        j += 1
    return possessive


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
