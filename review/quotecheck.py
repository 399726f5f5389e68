"""Find a quotation's words in its source document and say how faithfully they were quoted.

Pure functions over text, no database. ``align(quotation, document)`` returns a
``QuoteAlignment``:

- ``verbatim``: the words are in the document, in that order, once typography is set
  aside: quotation marks and other punctuation, dashes, spaces (NBSP included), case,
  accents, hyphens inside words and hyphens at line ends ("interna-\\ntional").
- ``edited``: the same, with marked edits: an ellipsis (". . .", "…", "...", "[…]") is a
  gap, so the parts must appear in order and close together; a bracketed insertion
  ("[ISIS]") stands for a few original words or none; notes such as "[emphasis added]"
  or "[sic]" are ignored.
- ``altered``: most of the words are in one passage of the document but some differ;
  ``changes`` lists them word by word (``{"quoted": ..., "original": ...}``, one side empty
  for an added or dropped word).
- ``not_found``: no passage is close enough; no offsets are given, so a quotation is
  never pinned to an unrelated passage.
- ``no_text``: there is no document text to check against.

``start``/``end`` are character offsets [start, end) of the matched passage in the
document text. Matching works on words: each distinct normalised word becomes one
character, so rapidfuzz's fast string alignment runs on sequences of words. Exact
(normalised) matches are found first with a plain substring search; only quotations
that are not there verbatim go through the fuzzy alignment.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

VERBATIM = "verbatim"
EDITED = "edited"
ALTERED = "altered"
NOT_FOUND = "not_found"
NO_TEXT = "no_text"
STATUSES = (VERBATIM, EDITED, ALTERED, NOT_FOUND, NO_TEXT)

# An ellipsis may leave out this many words of the original; a bracketed insertion may
# stand for up to this many.
MAX_ELLIPSIS_GAP = 250
MAX_BRACKET_WORDS = 8
# A passage counts as the quotation's, altered, when at least this share of the
# quotation's own words appear in it in order (calibrated on tests/quotecheck/fixtures:
# altered quotations keep ≥ 0.73 of their words, invented ones from the same document's
# vocabulary reach ≤ 0.5), and at least this many words.
ALTERED_MIN_SHARE = 0.6
ALTERED_MIN_WORDS = 4
# ... of which at least this many are neither English function words nor among the
# document's most frequent words, so that "the", "that", "of" in the right order never
# make a match on their own. A word is frequent when it makes up this share of the
# document's words (and occurs ≥ 5 times): that covers other languages' function words.
ALTERED_MIN_DISTINCT_WORDS = 2
FREQUENT_WORD_SHARE = 0.02
FUNCTION_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves shall may might must also said says say told""".split()
)
# A part of an elided quotation (between two ellipses) whose best passage keeps less
# than this share of its words is reported as added, not paired with unrelated words.
PART_MIN_SHARE = 0.5

# Letters, digits and the marks and invisible characters that sit inside words (one
# character class, for speed; "_" is let in and dropped by word_key like punctuation).
_W = (
    r"[\w\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u00ad\u200b-\u200d\u2060\ufeff]"
)
# What may join two pieces of one word: apostrophes, hyphens (not dashes), a dot or comma
# inside a number or an abbreviation, and a hyphen at a line end.
_JOIN = (
    r"(?:['\u2019\u2018\u02bc\u02bb\u02bf\u02be\-\u2010\u2011.,\u00b7]"
    r"|-[ \t]*\r?\n[ \t]*|-[ \t]+(?=[^\W\d_]))"  # "interna-\ntional", "interna- tional"
)
_DOC_WORD = re.compile(rf"{_W}+(?:{_JOIN}{_W}+)*")
_DOC_SPLIT = re.compile(rf"({_W}+(?:{_JOIN}{_W}+)*)")
_UNIT = rf"(?:{_W}|\[[^\[\]\s]*\])"
_QUOTE_TOKEN = re.compile(
    r"(?P<note>[\[(][^\[\]()]*\b(?:emphasis|italics?|underlining|underlined|bold)\b"
    r"[^\[\]()]*[\])]|\[\s*sic\s*!?\s*\])"
    r"|(?P<ellipsis>\[\s*(?:\u2026|\.\s*\.\s*\.)\s*\]|\(\s*(?:\u2026|\.\s*\.\s*\.)\s*\)"
    r"|\u2026|\.(?:\s*\.){2,})"
    r"|(?P<bracket>(?<![^\W_])\[[^\[\]]*\](?![^\W_]))"
    rf"|(?P<word>{_UNIT}+(?:{_JOIN}{_UNIT}+)*)",
    re.IGNORECASE,
)
_PLACEHOLDER = "\ue000"  # a bracketed insertion: equal to no word
_FIRST_WORD_CHAR = 0x10000  # word characters live above the BMP, clear of _PLACEHOLDER


@dataclass(frozen=True)
class Change:
    quoted: str
    original: str

    def as_dict(self) -> dict[str, str]:
        return {"quoted": self.quoted, "original": self.original}


@dataclass(frozen=True)
class QuoteAlignment:
    status: str
    start: int | None = None
    end: int | None = None
    changes: tuple[Change, ...] = ()
    score: float | None = None  # share of the quotation's words found in the passage


@functools.lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """A word as matching sees it: no accents, case, apostrophes, hyphens or brackets."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


@dataclass
class DocumentIndex:
    """A document's words, each as one character of ``chars``, with their offsets in ``text``.

    Build it once per document and align every quotation from that document against it.
    """

    text: str
    chars: str = field(init=False)
    starts: list[int] = field(init=False)
    ends: list[int] = field(init=False)
    vocabulary: dict[str, str] = field(init=False)
    frequent: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        # re.split with a group alternates separators and words; their running lengths are
        # the words' offsets. Everything per word runs in C: this is the hot loop.
        parts = _DOC_SPLIT.split(self.text)
        offsets = list(accumulate(map(len, parts), initial=0))
        keys = list(map(word_key, parts[1::2]))
        starts, ends = offsets[1:-1:2], offsets[2::2]
        if "" in keys:  # words made only of marks or "_": not words after all
            kept = [i for i, key in enumerate(keys) if key]
            keys = [keys[i] for i in kept]
            starts, ends = [starts[i] for i in kept], [ends[i] for i in kept]
        vocabulary = {key: chr(_FIRST_WORD_CHAR + n) for n, key in enumerate(dict.fromkeys(keys))}
        self.chars = "".join(map(vocabulary.__getitem__, keys))
        self.starts, self.ends, self.vocabulary = starts, ends, vocabulary
        floor = max(5, FREQUENT_WORD_SHARE * len(keys))
        common = {vocabulary[w] for w in FUNCTION_WORDS if w in vocabulary}
        self.frequent = frozenset(c for c, n in Counter(self.chars).items() if n >= floor) | common

    def passage(self, first: int, last: int) -> str:
        """The document text from word ``first`` to word ``last - 1``, as written."""
        if first >= last:
            return ""
        return self.text[self.starts[first] : self.ends[last - 1]]


@dataclass
class _Part:
    """The words of a quotation between two ellipses."""

    chars: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # offsets in the quotation

    @property
    def words(self) -> int:
        return len(self.chars) - self.chars.count(_PLACEHOLDER)


@dataclass
class _ParsedQuote:
    text: str
    parts: list[_Part]
    marked: bool  # has an ellipsis, a bracket or an editorial note


def _parse_quote(text: str, vocabulary: dict[str, str]) -> _ParsedQuote:
    unknown: dict[str, str] = {}
    parts = [_Part()]
    marked = False
    for match in _QUOTE_TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "note":
            marked = True
        elif kind == "ellipsis":
            marked = True
            if parts[-1].chars:
                parts.append(_Part())
        elif kind == "bracket" or (kind == "word" and re.fullmatch(r"(?:\[[^\[\]]*\])+", match[0])):
            marked = True
            if not parts[-1].chars.endswith(_PLACEHOLDER):
                parts[-1].chars += _PLACEHOLDER
                parts[-1].spans.append(match.span())
            else:
                parts[-1].spans[-1] = (parts[-1].spans[-1][0], match.end())
        else:
            word = match.group()
            if "[" in word:
                marked = True
            key = word_key(word)
            if not key:
                continue
            char = vocabulary.get(key) or unknown.setdefault(
                key, chr(_FIRST_WORD_CHAR + len(vocabulary) + len(unknown))
            )
            parts[-1].chars += char
            parts[-1].spans.append(match.span())
    parts = [p for p in parts if p.words]
    return _ParsedQuote(text=text, parts=parts, marked=marked)


def align(quotation: str, document: DocumentIndex | str | None) -> QuoteAlignment:
    """Classify ``quotation`` against ``document`` (its text, or a prebuilt ``DocumentIndex``)."""
    if document is None or (isinstance(document, str) and not document.strip()):
        return QuoteAlignment(NO_TEXT)
    index = document if isinstance(document, DocumentIndex) else DocumentIndex(document)
    if not index.chars:
        return QuoteAlignment(NO_TEXT)
    quote = _parse_quote(unicodedata.normalize("NFC", quotation), index.vocabulary)
    if not quote.parts:
        return QuoteAlignment(NOT_FOUND, score=0.0)
    found = _exact(quote, index)
    if found is not None:
        first, last = found
        return QuoteAlignment(
            EDITED if quote.marked else VERBATIM,
            start=index.starts[first],
            end=index.ends[last - 1],
            score=1.0,
        )
    return _fuzzy(quote, index)


# --- exact: every run of words in order, gaps only where the quotation marks them -----------


def _exact(quote: _ParsedQuote, index: DocumentIndex) -> tuple[int, int] | None:
    """Word range [first, last) holding the quotation exactly, marked gaps allowed."""
    runs: list[tuple[str, int]] = []  # (words, how many words may precede this run)
    for n, part in enumerate(quote.parts):
        first_of_part = True
        for i, run in enumerate(part.chars.split(_PLACEHOLDER)):
            if not run:
                continue
            gap = 0
            if runs and first_of_part and n > 0:
                gap += MAX_ELLIPSIS_GAP
            if runs and i > 0:  # a bracketed insertion stands before this run
                gap += MAX_BRACKET_WORDS
            runs.append((run, gap))
            first_of_part = False
    chars = index.chars

    def place(k: int, after: int) -> int | None:
        """End of run k placed within its allowed gap after word ``after``; None if it cannot."""
        run, gap = runs[k]
        position = chars.find(run, after, after + gap + len(run))
        while position != -1:
            end = position + len(run)
            last = end if k + 1 == len(runs) else place(k + 1, end)
            if last is not None:
                return last
            position = chars.find(run, position + 1, after + gap + len(run))
        return None

    first_run = runs[0][0]
    position = chars.find(first_run)
    while position != -1:
        end = position + len(first_run)
        last = end if len(runs) == 1 else place(1, end)
        if last is not None:
            return position, last
        position = chars.find(first_run, position + 1)
    return None


# --- fuzzy: the best passage, word by word ----------------------------------------------------


def _window(chars: str, doc: str, lo: int, hi: int) -> tuple[int, int]:
    """The word range within doc[lo:hi] that best matches ``chars``.

    rapidfuzz finds the best window of the quotation's length. Its edges then move, one
    word at a time, while that keeps more of the quotation's words for fewer other words
    (``_kept_words``), so a dropped clause is taken in whole when the words after it
    are the quotation's. Last, if some of the
    quotation's words are still unmatched, each edge may take in up to that many more
    original words where they pair best with them (Levenshtein; on a tie, the longer
    passage), so a word replaced or swapped near an edge is shown beside the original
    word rather than as an addition.
    """
    if hi - lo <= len(chars):
        start, end = lo, hi
    else:
        found = fuzz.partial_ratio_alignment(chars, doc[lo:hi])
        start, end = lo + found.dest_start, lo + found.dest_end
    start, end = _ascend(chars, doc, lo, hi, start, end, _kept_words,
                         reach=max(8, 2 * len(chars)))  # fmt: skip
    unmatched = sum(op.src_end - op.src_start for op in Indel.opcodes(chars, doc[start:end])
                    if op.tag == "delete")  # fmt: skip
    if unmatched:
        start, end = _ascend(chars, doc, max(lo, start - unmatched), min(hi, end + unmatched),
                             start, end, _paired_words, reach=None)  # fmt: skip
    return start, end


def _kept_words(chars: str, passage: str) -> tuple[float, int]:
    """Quotation words found in order, less half a point per other word of the passage;
    on a tie, the shorter passage."""
    common = (len(chars) + len(passage) - Indel.distance(chars, passage)) / 2
    return common - 0.5 * (len(passage) - common), -len(passage)


def _paired_words(chars: str, passage: str) -> tuple[float, int]:
    """Normalised Levenshtein similarity; on a tie, the longer passage."""
    return Levenshtein.normalized_similarity(chars, passage), len(passage)


def _ascend(chars, doc, lo, hi, start, end, score, *, reach) -> tuple[int, int]:
    """Move ``start``/``end`` within [lo, hi] (and ``reach`` words, if given; else only
    outwards) while that raises ``score(chars, passage)``."""
    best = score(chars, doc[start:end])
    for _ in range(4):
        moved = False
        e_lo, e_hi = (end - reach, end + reach) if reach else (end, hi)
        for e in range(max(start + 1, e_lo), min(hi, e_hi) + 1):
            candidate = score(chars, doc[start:e])
            if candidate > best:
                best, end, moved = candidate, e, True
        s_lo, s_hi = (start - reach, start + reach) if reach else (lo, start + 1)
        for s in range(max(lo, s_lo), min(end, s_hi)):
            candidate = score(chars, doc[s:end])
            if candidate > best:
                best, start, moved = candidate, s, True
        if not moved:
            break
    return start, end


@dataclass
class _PartResult:
    first: int
    last: int
    matched: int
    distinct: int  # matched words that are not frequent in the document
    changes: list[tuple[int, int, int, int]]  # quote words [a, b) against document [c, d)


def _compare(part: _Part, index: DocumentIndex, first: int, last: int) -> _PartResult:
    ops = Levenshtein.opcodes(part.chars, index.chars[first:last])
    matched = distinct = 0
    changes: list[tuple[int, int, int, int]] = []
    for op in ops:
        if op.tag == "equal":
            matched += op.src_end - op.src_start
            distinct += sum(c not in index.frequent for c in part.chars[op.src_start : op.src_end])
            continue
        a, b, c, d = op.src_start, op.src_end, first + op.dest_start, first + op.dest_end
        if changes and changes[-1][1] == a and changes[-1][3] == c:
            changes[-1] = (changes[-1][0], b, changes[-1][2], d)  # merge neighbours
        else:
            changes.append((a, b, c, d))
    # A bracketed insertion standing for a few original words is a marked edit, not a change.
    changes = [
        (a, b, c, d)
        for a, b, c, d in changes
        if not (set(part.chars[a:b]) == {_PLACEHOLDER} and d - c <= MAX_BRACKET_WORDS)
    ]
    # Placeholders do not count as words, matched or not.
    return _PartResult(first=first, last=last, matched=matched, distinct=distinct, changes=changes)


def _fuzzy(quote: _ParsedQuote, index: DocumentIndex) -> QuoteAlignment:
    words = sum(part.words for part in quote.parts)
    if words < ALTERED_MIN_WORDS:
        return QuoteAlignment(NOT_FOUND, score=0.0)
    doc = index.chars
    anchor = max(range(len(quote.parts)), key=lambda n: quote.parts[n].words)
    results: dict[int, _PartResult | None] = {}
    s, e = _window(quote.parts[anchor].chars, doc, 0, len(doc))
    results[anchor] = _compare(quote.parts[anchor], index, s, e)
    if results[anchor].matched < PART_MIN_SHARE * quote.parts[anchor].words:
        return QuoteAlignment(NOT_FOUND, score=results[anchor].matched / words)
    # The other parts are looked for next to the anchor, where their ellipses put them.
    after = results[anchor].last
    for n in range(anchor + 1, len(quote.parts)):
        part = quote.parts[n]
        hi = min(len(doc), after + MAX_ELLIPSIS_GAP + 2 * len(part.chars))
        results[n] = _part_near(part, index, after, hi)
        after = results[n].last if results[n] else after
    before = results[anchor].first
    for n in range(anchor - 1, -1, -1):
        part = quote.parts[n]
        lo = max(0, before - MAX_ELLIPSIS_GAP - 2 * len(part.chars))
        results[n] = _part_near(part, index, lo, before)
        before = results[n].first if results[n] else before
    matched = sum(r.matched for r in results.values() if r)
    share = matched / words
    distinct = sum(r.distinct for r in results.values() if r)
    if share < ALTERED_MIN_SHARE or distinct < ALTERED_MIN_DISTINCT_WORDS:
        return QuoteAlignment(NOT_FOUND, score=share)
    changes: list[Change] = []
    for n, part in enumerate(quote.parts):
        result = results[n]
        if result is None:
            changes.append(Change(quoted=_quoted(quote, part, 0, len(part.chars)), original=""))
            continue
        for a, b, c, d in result.changes:
            changes.append(
                Change(quoted=_quoted(quote, part, a, b), original=_one_line(index.passage(c, d)))
            )
    found = [r for r in results.values() if r]
    start = index.starts[min(r.first for r in found)]
    end = index.ends[max(r.last for r in found) - 1]
    if not changes:
        return QuoteAlignment(EDITED if quote.marked else VERBATIM, start, end, score=share)
    return QuoteAlignment(ALTERED, start, end, changes=tuple(changes), score=share)


def _part_near(part: _Part, index: DocumentIndex, lo: int, hi: int) -> _PartResult | None:
    if hi <= lo:
        return None
    s, e = _window(part.chars, index.chars, lo, hi)
    result = _compare(part, index, s, e)
    return result if result.matched >= PART_MIN_SHARE * part.words else None


def _quoted(quote: _ParsedQuote, part: _Part, a: int, b: int) -> str:
    if a >= b:
        return ""
    return _one_line(quote.text[part.spans[a][0] : part.spans[b - 1][1]])


def _one_line(text: str) -> str:
    return " ".join(text.split())
