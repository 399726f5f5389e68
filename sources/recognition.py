"""Recognise outlets and people in arbitrary text. Pure: no database, no Django.

Outlets come from a registry built from plain dicts, so the same matcher serves the
shipped list (``data/outlets.json``) and, later, editor-added ``Outlet`` rows.
People are resolved within one document: full names are registered as they appear
and later short references ("Kerry", "al-Hamawi") fold back onto them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tld import get_fld

OUTLET_KINDS = frozenset(
    {
        "newspaper",
        "wire",
        "broadcaster",
        "magazine",
        "website",
        "think_tank",
        "ngo",
        "government",
        "other",
    }
)
SHIPPED_OUTLETS_PATH = Path(__file__).with_name("data") / "outlets.json"

# A word, with internal apostrophes kept so "Times's" and "O'Brien" stay one token.
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ]")
_POSSESSIVE = re.compile(r"['’ʼ][sS]$")

# Outlet names made only of everyday words ("The National", "Foreign Policy") would
# fire on ordinary prose if matched case-insensitively, so such aliases must appear
# capitalised; one-word ones must also not run into a longer proper noun ("the
# National Coalition") and, when the alias starts with "The", follow a "the".
COMMON_WORDS = frozenset(
    """
    affairs amnesty atlantic crisis daily department direct economist express foreign
    global group guardian helmets hill independent intercept mirror monitor nation
    national new news observatory observer policy post sky star state sun telegraph
    time times white world
    """.split()
)
_FUNCTION_WORDS = frozenset({"the", "of", "for", "and", "on", "in", "to"})


def fold(text: str) -> str:
    """Return ``text`` case-folded with diacritics and apostrophes removed.

    "Hürriyet" and "hurriyet" fold alike; the result is only for comparing, never
    for display.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _APOSTROPHES.sub("", stripped).casefold()


@dataclass(frozen=True, slots=True)
class _Token:
    key: str
    start: int
    end: int
    capitalised: bool
    upper: bool
    possessive: bool


def _tokens(text: str) -> list[_Token]:
    """Split ``text`` into folded word tokens with spans; a possessive 's is cut off."""
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        possessive = bool(_POSSESSIVE.search(word)) and len(word) > 2
        if possessive:
            word, end = word[:-2], end - 2
        out.append(
            _Token(
                key=fold(word),
                start=start,
                end=end,
                capitalised=word[:1].isupper() or word[:1].isdigit(),
                upper=word.isupper(),
                possessive=possessive,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Outlet:
    """A publisher as the registry knows it (mirrors the ``Outlet`` model's fields)."""

    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    homepage: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class OutletMatch:
    """One occurrence of an outlet in a text: ``text[start:end]`` is the words matched."""

    outlet: Outlet
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _Alias:
    outlet: Outlet
    acronym: bool  # "AP", "RT": must be upper case in the text
    guarded: bool  # made of common words: must be capitalised (see COMMON_WORDS)
    needs_the: bool


class OutletRegistry:
    """Finds outlets in text by their names and aliases.

    Matching ignores case, hyphens, apostrophes, diacritics, a leading "the" and the
    kind of whitespace (NBSP included), and at each position the longest alias wins.
    Two deliberate exceptions keep it from firing on ordinary words: acronyms of up
    to five letters must be written in capitals ("AP", not "ap"), and aliases made
    only of common English words must be capitalised (see ``COMMON_WORDS``).
    """

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self._aliases: dict[tuple[str, ...], _Alias] = {}
        self._longest_from: dict[str, int] = {}
        self._by_name: dict[str, Outlet] = {}
        for outlet in self.outlets:
            self._by_name[fold(outlet.name)] = outlet
            for alias in (outlet.name, *outlet.aliases):
                self._add_alias(outlet, alias)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> OutletRegistry:
        """Build a registry from dicts shaped like ``outlets.json`` entries.

        Unknown kinds are refused with ``ValueError`` so a typo in data is caught
        where it is loaded, not where it silently fails to match.
        """
        outlets = []
        for record in records:
            kind = record.get("kind") or "other"
            if kind not in OUTLET_KINDS:
                raise ValueError(f"outlet {record.get('name')!r}: unknown kind {kind!r}")
            outlets.append(
                Outlet(
                    name=record["name"],
                    kind=kind,
                    aliases=tuple(record.get("aliases") or ()),
                    homepage=record.get("homepage"),
                    country=record.get("country"),
                )
            )
        return cls(outlets)

    def _add_alias(self, outlet: Outlet, alias: str) -> None:
        stripped = alias.strip()
        acronym = stripped.isupper() and stripped.isalpha() and len(stripped) <= 5
        # "al-Jazeera" and "alJazeera" are the same name: register both spellings.
        for variant in {stripped, stripped.replace("-", "")}:
            keys = [t.key for t in _tokens(variant)]
            needs_the = bool(keys) and keys[0] == "the"
            if needs_the:
                keys = keys[1:]
            if not keys:
                continue
            guarded = all(k in COMMON_WORDS or k in _FUNCTION_WORDS for k in keys)
            key = tuple(keys)
            if key in self._aliases:  # first registration wins; names precede aliases
                continue
            self._aliases[key] = _Alias(outlet, acronym, guarded, needs_the and len(keys) == 1)
            self._longest_from[key[0]] = max(self._longest_from.get(key[0], 0), len(key))

    def get(self, name: str) -> Outlet | None:
        """Return the outlet whose canonical name or alias is exactly ``name``, if any."""
        keys = [t.key for t in _tokens(name)]
        if keys and keys[0] == "the":
            keys = keys[1:]
        alias = self._aliases.get(tuple(keys))
        return alias.outlet if alias else self._by_name.get(fold(name))

    def find_outlets(self, text: str) -> list[OutletMatch]:
        """Return every outlet mention in ``text``, left to right, non-overlapping.

        Linear in the length of the text: each position tries at most as many
        lengths as the longest alias starting with that word.
        """
        tokens = _tokens(text)
        matches: list[OutletMatch] = []
        i = 0
        while i < len(tokens):
            longest = self._longest_from.get(tokens[i].key, 0)
            found = None
            for n in range(min(longest, len(tokens) - i), 0, -1):
                alias = self._aliases.get(tuple(t.key for t in tokens[i : i + n]))
                if alias and self._acceptable(alias, tokens, i, n):
                    found = (alias, n)
                    break
            if found is None:
                i += 1
                continue
            alias, n = found
            start, end = tokens[i].start, tokens[i + n - 1].end
            matches.append(OutletMatch(alias.outlet, start, end, text[start:end]))
            i += n
        return matches

    @staticmethod
    def _acceptable(alias: _Alias, tokens: list[_Token], i: int, n: int) -> bool:
        span = tokens[i : i + n]
        if alias.acronym and not all(t.upper for t in span):
            return False
        if not alias.guarded:
            return True
        if not all(t.capitalised for t in span if t.key not in _FUNCTION_WORDS):
            return False
        if n == 1:
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following and following.capitalised and not span[0].possessive:
                return False
            if alias.needs_the and (i == 0 or tokens[i - 1].key != "the"):
                return False
        return True


@lru_cache(maxsize=1)
def load_shipped_outlets(path: Path = SHIPPED_OUTLETS_PATH) -> OutletRegistry:
    """Return the registry of outlets shipped in ``sources/data/outlets.json`` (cached)."""
    with open(path, encoding="utf-8") as fh:
        return OutletRegistry.from_records(json.load(fh))


# --- people -------------------------------------------------------------------

# Arabic article and similar particles: "al-Assad", "Assad" and "el Assad" are one name.
NAME_PARTICLES = frozenset({"al", "el", "ul", "ash", "as", "ad", "ar", "az", "at", "an"})
_VOWELS = frozenset("aeiouy")


def name_tokens(name: str) -> tuple[str, ...]:
    """Fold a person's name to comparable tokens: case, diacritics, apostrophes,
    hyphen/space variants and Arabic article particles all disappear."""
    words = [fold(w) for w in re.split(r"[\s\-‐‑–]+", name) if w]
    words = [re.sub(r"[^\w]", "", w) for w in words]
    return tuple(w for w in words if w and w not in NAME_PARTICLES)


def skeleton(token: str) -> str:
    """Consonant skeleton of a folded token, for transliteration variants.

    Keeps the first letter, drops later vowels and doubled letters, so
    Mohammad/Mohammed/Muhammad, Jolani/Julani and Hamwi/Hamawi coincide.
    """
    out = token[:1]
    for ch in token[1:]:
        if ch in _VOWELS or ch == out[-1:]:
            continue
        out += ch
    return out


@dataclass(slots=True)
class Person:
    """A speaker: canonical name plus what the text told us about them."""

    name: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None


class PersonRegistry:
    """Names seen in one document, resolvable from short or variant references.

    ``resolve("Kerry")`` finds "John Kerry"; ``resolve("Abu Mohammed al-Julani")``
    finds "Abu Mohammad al-Jolani". When two people share a surname the one
    registered last wins, because essays refer back to the nearest mention.
    """

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._full: dict[tuple[str, ...], Person] = {}
        self._full_skeleton: dict[tuple[str, ...], Person] = {}
        self._surname: dict[str, Person] = {}
        self._surname_skeleton: dict[str, Person] = {}

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> PersonRegistry:
        """Build a registry from dicts with "name" and optional "aliases", "role",
        "affiliation" (e.g. rows of the ``Person`` model)."""
        registry = cls()
        for record in records:
            person = registry.add(
                record["name"], role=record.get("role"), affiliation=record.get("affiliation")
            )
            for alias in record.get("aliases") or ():
                registry.add_alias(person, alias)
        return registry

    def add(self, name: str, *, role: str | None = None, affiliation: str | None = None) -> Person:
        """Register ``name`` (or merge it into the person it already resolves to).

        A multi-word name that matches an existing person exactly or by skeleton is
        recorded as that person's alias; the first spelling stays canonical.
        """
        tokens = name_tokens(name)
        existing = self._lookup_full(tokens) if len(tokens) > 1 else None
        if existing is not None:
            self.add_alias(existing, name)
            existing.role = existing.role or role
            existing.affiliation = existing.affiliation or affiliation
            return existing
        person = Person(name=name, role=role, affiliation=affiliation)
        self.people.append(person)
        self._index(person, name)
        return person

    def add_alias(self, person: Person, alias: str) -> None:
        """Make ``alias`` resolve to ``person``."""
        if alias != person.name and alias not in person.aliases:
            person.aliases.append(alias)
        self._index(person, alias)

    def _index(self, person: Person, name: str) -> None:
        tokens = name_tokens(name)
        if not tokens:
            return
        self._full.setdefault(tokens, person)
        self._full_skeleton.setdefault(tuple(skeleton(t) for t in tokens), person)
        if len(tokens) > 1:
            self._surname[tokens[-1]] = person
            self._surname_skeleton[skeleton(tokens[-1])] = person

    def _lookup_full(self, tokens: tuple[str, ...]) -> Person | None:
        return self._full.get(tokens) or self._full_skeleton.get(tuple(skeleton(t) for t in tokens))

    def resolve(self, mention: str) -> Person | None:
        """Return the person ``mention`` refers to, or None.

        Tries the whole name, then its consonant skeleton, then (for one-word
        mentions) the surnames of registered full names.
        """
        tokens = name_tokens(mention)
        if not tokens:
            return None
        person = self._lookup_full(tokens)
        if person is None and len(tokens) == 1:
            person = self._surname.get(tokens[0]) or self._surname_skeleton.get(skeleton(tokens[0]))
        return person


def registrable_domain(url: str) -> str | None:
    """The domain a web address is registered under, lower case ("news.bbc.co.uk/…" →
    "bbc.co.uk"), from the public suffix list bundled with `tld`; None for no web address."""
    found = get_fld(url.strip(), fail_silently=True) if url else None
    return found.lower() if found else None
