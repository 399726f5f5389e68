"""What a reader or an editor typed, as a query both full-text engines run alike.

Words are ANDed; "a quoted phrase" must appear as written; -word excludes. English stop
words are left out on both engines (PostgreSQL's english configuration drops them from
documents, FTS5 keeps them), so one query finds the same rows on either. Nothing the user
types reaches an engine's query syntax unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The Snowball English stop list, as PostgreSQL's english configuration uses it.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()
)

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\W_][\w’\'-]*)', re.UNICODE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words in order
    negated: bool = False
    text: str = ""  # as typed (lower-cased): PostgreSQL's parser splits it as it did the text

    def as_typed(self) -> str:
        return self.text or " ".join(self.words)


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    prefix: bool = False  # the last word may be the start of a word (as-you-type search)
    any_term: bool = False  # OR rather than AND ("checked before" finds near matches)

    def __bool__(self) -> bool:
        return any(not term.negated for term in self.terms)

    def words(self) -> list[str]:
        return [word for term in self.terms if not term.negated for word in term.words]


def parse(text: str, *, prefix: bool = False, any_term: bool = False) -> Query:
    """`text` as terms: at most 32, each word lower-cased and cut to 60 characters."""
    terms: list[Term] = []
    for match in _TOKEN.finditer(text or ""):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        words = tuple(w.lower()[:60] for w in _WORD.findall(_POSSESSIVE.sub("", raw)))
        words = tuple(w for w in words if w not in STOP_WORDS) if len(words) == 1 else words
        if words:
            terms.append(Term(words, negated, " ".join(raw.lower().split())[:200]))
    # A phrase of stop words only, or a word that is one, is dropped: it matches nothing.
    terms = [t for t in terms if any(w not in STOP_WORDS for w in t.words)][:32]
    ends_in_word = bool(text) and text.rstrip() == text and not text.endswith('"')
    return Query(tuple(terms), prefix=prefix and ends_in_word, any_term=any_term)


def _last_positive(query: Query) -> int:
    return max((i for i, t in enumerate(query.terms) if not t.negated), default=-1)


def to_tsquery(query: Query) -> str:
    """The query in PostgreSQL's to_tsquery syntax (each word a quoted lexeme)."""

    def lexeme(text: str) -> str:
        # A quoted string: PostgreSQL parses it (several words become a phrase, "al-Sham"
        # its compound and parts) exactly as it parsed the documents.
        return "'" + text.replace("\\", "").replace("'", "''") + "'"

    last = _last_positive(query)
    positive, negative = [], []
    for i, term in enumerate(query.terms):
        part = lexeme(_POSSESSIVE.sub("", term.as_typed()))
        if query.prefix and i == last and len(term.words) == 1:
            part = lexeme(term.words[0]) + ":*"
        (negative if term.negated else positive).append(part)
    joined = (" | " if query.any_term else " & ").join(positive)
    if negative:
        joined = f"({joined}) & " + " & ".join(f"!{part}" for part in negative)
    return joined


def to_fts5(query: Query) -> str:
    """The query in SQLite FTS5's syntax (each word or phrase a quoted string)."""

    def string(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words).replace('"', '""') + '"'

    last = _last_positive(query)
    positive, negative = [], []
    for i, term in enumerate(query.terms):
        part = string(term.words)
        if query.prefix and i == last and len(term.words) == 1:
            part += "*"
        (negative if term.negated else positive).append(part)
    joined = (" OR " if query.any_term else " AND ").join(positive)
    if negative:
        joined = f"({joined}) NOT (" + " OR ".join(negative) + ")"
    return joined
