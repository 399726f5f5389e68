"""Statements like this one, already reviewed: "checked before".

Two steps, the same on both databases. The index finds every reviewed claim that shares
any content word with the statement (an OR query, stems matched by the engine); then each
candidate is scored by the words it shares, each word weighted by how rare it is among
reviewed claims (its inverse document frequency, counted in that same candidate set,
which holds every reviewed claim containing the word). Rare shared words (names, places,
weapons, numbers) decide; common ones ("said", "forces") barely count. Word forms are
compared by their Snowball stems, so "supplied"/"supplies" and "missile"/"missiles" meet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from search import index
from search.index import STAFF
from search.models import Entry
from search.query import STOP_WORDS, Query, Term

CANDIDATES = 400  # reviewed claims read per lookup, best-ranked by the engine first
MIN_SCORE = 0.2
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def content_words(text: str) -> list[str]:
    """The words that carry meaning, lower-cased, in order, each once."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word not in STOP_WORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def stems(text: str) -> set[str]:
    return {_stem(word) for word in content_words(text)}


@dataclass(frozen=True)
class Similar:
    claim_id: int
    essay_id: int | None
    statement: str
    verdict: str
    score: float  # 0..1


def similar_reviewed(
    statement: str, *, exclude_essay_id: int | None = None, limit: int = 5
) -> list[Similar]:
    """Reviewed claims (an approved verdict) of other essays most like `statement`."""
    words = content_words(statement)[:32]
    if not words:
        return []
    query = Query(tuple(Term((word,)) for word in words), any_term=True)
    candidates = index.search(
        STAFF,
        query,
        kinds=["claim"],
        reviewed_only=True,
        exclude_essay_id=exclude_essay_id,
        limit=CANDIDATES,
        snippets=False,
        count=False,
    ).hits
    if not candidates:
        return []
    wanted = stems(statement)
    stems_of = {hit.object_id: stems(hit.title) for hit in candidates}
    reviewed = Entry.objects.filter(scope=STAFF, kind="claim").exclude(verdict="").count()
    frequency = {s: sum(s in found for found in stems_of.values()) for s in wanted}
    weight = {s: math.log(1 + reviewed / (1 + frequency[s])) for s in wanted}
    total = sum(weight.values()) or 1.0
    scored = []
    for hit in candidates:
        theirs = stems_of[hit.object_id]
        shared = wanted & theirs
        if not shared:
            continue
        # How much of this statement's meaning the candidate covers, and how much of the
        # candidate is about it (a long claim that merely mentions the names ranks lower).
        covered = sum(weight[s] for s in shared) / total
        focus = len(shared) / len(theirs)
        score = 0.75 * covered + 0.25 * focus
        if score >= MIN_SCORE:
            scored.append(Similar(hit.object_id, hit.essay_id, hit.title, hit.verdict, score))
    scored.sort(key=lambda s: (-s.score, s.claim_id))
    return scored[:limit]
