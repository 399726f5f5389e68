"""Import accuracy: score the importer's parse of an essay against its answer key.

The keys and the rules are described in ``tests/fixtures/corpus/README.md``. This module
is pure (no database): ``run_importer`` calls the importer's parse through one small
adapter, ``score_essay`` compares a parse (the ``import_essay --dry-run --json`` shape)
with a key, and ``overall`` adds essays up. ``bench/import_accuracy.py`` prints the
figures; ``tests/importer/test_accuracy.py`` holds them above ``floors.json``.

A parse is read defensively: a field the importer does not produce yet (a per-quotation
``source``, ``speaker_kind``, essay ``tags``) scores as missing, never as a crash.
"""

from __future__ import annotations

import difflib
import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
FLOORS = CORPUS / "floors.json"

# The figures, in the order they are printed. Those marked "matched" are scored over the
# key quotations that the parse found.
FIGURES = (
    "structure",
    "paragraphs",
    "cruft",
    "metadata",
    "recall",
    "precision",
    "outlet",
    "speaker",
    "via",
    "links",
    "bibliography",
    "scare",
    "emphasis",
)
QUOTATION_FIELDS = ("outlet", "speaker", "via", "scare", "emphasis")

MATCH_RATIO = 0.75  # word similarity at which two quotations are the same quotation
CONTAINED_MIN_WORDS = 4  # the shorter of two nested quotations needs this many words…
CONTAINED_MIN_SHARE = 0.4  # …and at least this share of the longer one's words

MAX_SPEAKER_WORDS = 10  # longer, a "speaker" is a sentence fragment
ORGANISATION_KINDS = frozenset({"organisation", "organization", "org"})
DETERMINERS = frozenset("a an the one its his her their some another two three".split())
# A speaker string with one of these is a sentence fragment, not a name or a descriptor.
VERBS = frozenset(
    """said says say saying told tells tell telling wrote writes write writing reported
    reports reporting added adds noted notes argued argues claimed claims stated states
    explained explains asked asks replied replies insisted insists warned warns concluded
    concludes quoted quotes called calls described describes announced announces declared
    declares recalled recalls continued continues went goes became becomes had has have
    having was were is are been be being did does do will would could should may might can
    must according fighting seemed seems thought thinks believed believes""".split()
)
ADVERBS = frozenset(
    """also later then still too again once however meanwhile already soon since thus
    instead perhaps often never always even here there""".split()
)
NOT_ADVERBS = frozenset("family assembly ally rally supply italy july reply belly".split())

QUOTE_MARKS = "\"'`´‘’‚‛“”„‟«»‹›「」『』"


# --- folding ------------------------------------------------------------------------


def fold(text: str | None) -> str:
    """Lower-case, NFKC, no diacritics, NBSP and other spaces as one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def words(text: str | None) -> list[str]:
    """The words of a text, folded; quote marks, apostrophes and punctuation dropped
    (so "don’t" is "dont", ". . ." and "…" vanish, "[ISIS]" is "isis")."""
    text = fold(text)
    text = re.sub(f"[{re.escape(QUOTE_MARKS)}]", "", text)
    return re.findall(r"\w+", text)


def fold_name(name: str | None) -> str:
    """A name folded for comparison: case, diacritics, hyphens, punctuation and a leading
    "the" ignored ("The al-Jazeera" == "Al Jazeera")."""
    tokens = words((name or "").replace("-", " "))
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def fold_url(url: str | None) -> str:
    """A URL without scheme case, ``www.``, trailing slash or fragment."""
    if not url:
        return ""
    url = url.strip().strip("<>")
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")


class Aliases:
    """Canonical names and their accepted spellings, from a key's ``aliases``."""

    def __init__(self, table: Mapping[str, Iterable[str]] | None = None):
        self._variants: dict[str, set[str]] = {}
        for canonical, variants in (table or {}).items():
            self._variants[fold_name(canonical)] = {fold_name(v) for v in variants}

    def variants(self, canonical: str | None) -> set[str]:
        folded = fold_name(canonical)
        return {folded} | self._variants.get(folded, set()) if folded else set()

    def same(self, expected: str | None, got: str | None) -> bool:
        """True when ``got`` names ``expected`` (both empty counts as the same)."""
        if not expected:
            return not fold_name(got)
        return fold_name(got) in self.variants(expected)


# --- the parse, read defensively ------------------------------------------------------


@dataclass
class Parse:
    """The parts of a parse the scorer reads, whatever shape the importer gave them."""

    metadata: dict[str, Any]
    sections: list[tuple[str, list[str]]]
    quotations: list[dict[str, Any]]
    bibliography: list[str]


def _url_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        return value.get("url") or value.get("href") or None
    return None


def read_parse(data: Mapping[str, Any]) -> Parse:
    """Read the ``import_essay --dry-run --json`` shape (and any keys added to it later)."""
    sections = [
        (section.get("heading") or "", list(section.get("paragraphs") or []))
        for section in data.get("sections") or []
    ]
    quotations = []
    for section in data.get("sections") or []:
        for q in section.get("quotations") or []:
            source = q.get("source")
            quotations.append(
                {
                    "text": q.get("text") or "",
                    "speaker": q.get("speaker") or None,
                    "speaker_kind": q.get("speaker_kind") or None,
                    "speaker_description": q.get("speaker_description") or None,
                    "affiliation": q.get("affiliation") or q.get("speaker_affiliation") or None,
                    "outlet": q.get("outlet") or None,
                    "via": q.get("via") or None,
                    "source_url": _url_of(source) or q.get("source_url") or None,
                    "scare": bool(q.get("scare")),
                    "emphasis_added": bool(q.get("emphasis_added")),
                    "repeat": q.get("repeat_of") is not None or bool(q.get("repeat")),
                    "rule": q.get("rule"),
                    "confidence": q.get("confidence"),
                }
            )
    bibliography = []
    for key in ("bibliography", "sources"):
        bibliography += [u for u in map(_url_of, data.get(key) or []) if u]
    bibliography += [q["source_url"] for q in quotations if q["source_url"]]
    metadata = {
        "title": data.get("title"),
        "author": data.get("author"),
        "date": data.get("published_on") or data.get("date"),
        "canonical_url": data.get("canonical_url"),
        "tags": data.get("tags"),
    }
    return Parse(metadata, sections, quotations, bibliography)


# --- the importer, through one adapter ------------------------------------------------


def _importer():
    """The importer package: ``essays.importer`` once it is moved, else the old path."""
    try:
        import essays.importer as importer
    except ImportError:
        import essays.importing as importer
    return importer


def run_importer(data: bytes, *, filename: str, format: str) -> dict[str, Any]:
    """The importer's pure parse of ``data`` as the ``--dry-run --json`` dict."""
    _configure_django()
    importer = _importer()
    parsed = importer.parse_bytes(data, filename=filename, format=format)
    return parsed.to_json_dict()


def _configure_django() -> None:
    """Minimal settings when run outside Django: the parse reads no database."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True, COUNTERPOINT_IMPORT_MAX_BYTES=20 * 2**20)


# --- keys -----------------------------------------------------------------------------


def load_keys(folder: Path = CORPUS, essay: str | None = None) -> list[tuple[str, dict]]:
    """(name, key) for every ``*.key.json`` in ``folder``, sorted by name; ``essay``
    keeps only that one (by name or file name)."""
    keys = []
    for path in sorted(folder.glob("*.key.json")):
        name = path.name.removesuffix(".key.json")
        key = json.loads(path.read_text(encoding="utf-8"))
        if essay in (None, name, key.get("file")):
            keys.append((name, key))
    return keys


def essay_path(key: Mapping[str, Any], folder: Path = CORPUS) -> Path:
    return folder / key["file"]


REQUIRED_QUOTATION_FIELDS = (
    "n text speaker speaker_kind speaker_description affiliation outlet via "
    "source_url scare repeat".split()
)
SPEAKER_KINDS = frozenset({"person", "organisation", "descriptor", "none"})


def check_key(key: Mapping[str, Any], source: bytes) -> list[str]:
    """Problems with a key against its essay's bytes (an empty list when it is sound)."""
    problems = []
    for name in ("file", "style", "format", "metadata", "sections", "cruft", "quotations"):
        if name not in key:
            problems.append(f"missing top-level {name!r}")
    if problems:
        return problems
    text = _plain(source, key["format"])
    flat = " ".join(words(text))
    position = 0
    for i, q in enumerate(key["quotations"], 1):
        missing = [f for f in REQUIRED_QUOTATION_FIELDS if f not in q]
        if missing:
            problems.append(f"quotation {i}: missing {', '.join(missing)}")
            continue
        if q["n"] != i:
            problems.append(f"quotation {i}: n is {q['n']}")
        if q["speaker_kind"] not in SPEAKER_KINDS:
            problems.append(f"quotation {i}: speaker_kind {q['speaker_kind']!r}")
        if q["speaker_kind"] in ("person", "organisation") and not q["speaker"]:
            problems.append(f"quotation {i}: a {q['speaker_kind']} needs a speaker")
        if q["speaker_kind"] == "descriptor" and not q["speaker_description"]:
            problems.append(f"quotation {i}: a descriptor needs speaker_description")
        found = flat.find(" ".join(words(q["text"])), position)
        if found < 0:
            problems.append(f"quotation {i}: text not found in the essay after the previous one")
        else:
            position = found
        if q["source_url"] and q["source_url"] not in key.get("bibliography", []):
            problems.append(f"quotation {i}: source_url not in bibliography")
    raw = _raw(source, key["format"])
    spaced = " ".join(text.replace("\u00a0", " ").split())
    for cruft in key["cruft"]:
        if " ".join(cruft.split()) not in spaced:
            problems.append(f"cruft not in the essay: {cruft!r}")
    for url in key.get("bibliography", []):
        if url not in raw and html.escape(url) not in raw:
            problems.append(f"bibliography URL not in the essay: {url}")
    return problems


def _plain(source: bytes, fmt: str) -> str:
    """The essay's text for checking a key: tags dropped for HTML and .docx."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(source)) as docx:
            xml = docx.read("word/document.xml").decode("utf-8")
        xml = re.sub(r"</w:p>", "\n", xml)
        return html.unescape(re.sub(r"<[^>]+>", "", xml))
    text = source.decode("utf-8", errors="replace")
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def _raw(source: bytes, fmt: str) -> str:
    """The essay's source as text, where its URLs are (a .docx keeps them in its parts)."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(source)) as docx:
            return "\n".join(
                docx.read(name).decode("utf-8", errors="replace")
                for name in docx.namelist()
                if name.endswith((".xml", ".rels"))
            )
    return source.decode("utf-8", errors="replace")


# --- scoring --------------------------------------------------------------------------


@dataclass
class Figure:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.right += bool(ok)
        self.total += 1


@dataclass
class Miss:
    essay: str
    where: str  # "q12", "§3", "metadata", "cruft", "false positive"
    field: str
    expected: Any
    got: Any


@dataclass
class EssayScore:
    name: str
    figures: dict[str, Figure] = field(default_factory=lambda: {f: Figure() for f in FIGURES})
    misses: list[Miss] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)
    error: str | None = None
    key_quotations: int = 0
    parsed_quotations: int = 0
    words: int = 0

    def value(self, figure: str) -> float | None:
        return self.figures[figure].value

    def miss(self, where: str, name: str, expected: Any, got: Any) -> None:
        self.misses.append(Miss(self.name, where, name, expected, got))

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "essay": self.name,
            "error": self.error,
            "words": self.words,
            "key_quotations": self.key_quotations,
            "parsed_quotations": self.parsed_quotations,
            "figures": {
                name: {"value": f.value, "right": f.right, "total": f.total}
                for name, f in self.figures.items()
            },
            "junk_speakers": self.junk,
            "misses": [m.__dict__ for m in self.misses],
        }


def similarity(a: list[str], b: list[str]) -> float:
    """How alike two quotations' words are (0..1); 0 when they do not match at all."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if not set(a) & set(b):
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if ratio >= MATCH_RATIO:
        return ratio
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= CONTAINED_MIN_WORDS and len(short) / len(long_) >= CONTAINED_MIN_SHARE:
        if f" {' '.join(short)} " in f" {' '.join(long_)} ":
            return MATCH_RATIO
    return 0.0


def align(key_texts: list[str], parsed_texts: list[str]) -> dict[int, int]:
    """key index → parsed index: the best in-order pairing, then leftovers out of order."""
    a = [words(t) for t in key_texts]
    b = [words(t) for t in parsed_texts]
    n, m = len(a), len(b)
    sim = [[similarity(a[i], b[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] else 0.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    pairs: dict[int, int] = {}
    i = j = 0
    while i < n and j < m:
        if sim[i][j] and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    used = set(pairs.values())
    leftovers = sorted(
        ((sim[i][j], i, j) for i in range(n) if i not in pairs for j in range(m) if j not in used),
        reverse=True,
    )
    for s, i, j in leftovers:
        if s and i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def _outlet_names(key: Mapping[str, Any]) -> list[str]:
    """Every outlet and via the key names, with their aliases: a speaker naming one is junk."""
    names = set()
    for q in key["quotations"]:
        for value in (q.get("outlet"), q.get("via")):
            if value:
                names |= {value, *key.get("aliases", {}).get(value, [])}
    return sorted(names)


def junk_reason(speaker: str, outlets: Iterable[str], allowed: str = "") -> str | None:
    """Why a parsed speaker string is not a name or a plain descriptor, or None.

    ``allowed`` is the expected speaker or description: an outlet it names itself ("a
    Reuters photographer") does not make the string junk.
    """
    tokens = words(speaker)
    if len(tokens) > MAX_SPEAKER_WORDS and tokens != words(allowed):
        return f"more than {MAX_SPEAKER_WORDS} words"
    raw = re.findall(r"[\w'’-]+", speaker)
    for token in raw:
        low = token.casefold()
        if token != low:
            continue  # capitalised: part of a name ("Said Haddad", "Theresa May")
        if low in VERBS:
            return f"verb {token!r}"
        if low in ADVERBS or (low.endswith("ly") and len(low) > 4 and low not in NOT_ADVERBS):
            return f"adverb {token!r}"
    folded = f" {fold_name(speaker)} "
    allowed_folded = f" {fold_name(allowed)} "
    for outlet in outlets:
        if len(outlet) <= 4 and outlet.isupper():
            hit = outlet in raw and outlet not in re.findall(r"[\w'’-]+", allowed)
        else:
            name = f" {fold_name(outlet)} "
            hit = name.strip() and name in folded and name not in allowed_folded
        if hit:
            return f"outlet {outlet!r}"
    return None


def _descriptor_core(text: str | None) -> list[str]:
    tokens = words(text)
    while tokens and tokens[0] in DETERMINERS:
        tokens = tokens[1:]
    return tokens


def descriptor_matches(expected: str, got: str | None) -> bool:
    """A parsed descriptor is right when, determiners dropped, it equals the expected
    one, or one contains the other ("rebel spokesman" for "a rebel spokesman")."""
    want, have = _descriptor_core(expected), _descriptor_core(got)
    if not want or not have:
        return False
    w, h = f" {' '.join(want)} ", f" {' '.join(have)} "
    return w == h or w in h or h in w


def judge_speaker(kq: Mapping[str, Any], pq: Mapping[str, Any], aliases: Aliases) -> bool:
    """Whether the parse names the key quotation's speaker right (junk is judged apart)."""
    kind, got, got_kind = kq["speaker_kind"], pq["speaker"], pq["speaker_kind"]
    if kind == "person":
        return bool(got) and aliases.same(kq["speaker"], got) and got_kind not in ORGANISATION_KINDS
    if kind == "organisation":
        if got_kind not in ORGANISATION_KINDS:
            return False
        return aliases.same(kq["speaker"], got) or aliases.same(kq["speaker"], pq["affiliation"])
    if kind == "descriptor":
        if got_kind == "person":
            return False
        candidates = [got, pq["speaker_description"]]
        wanted = [kq["speaker_description"], *aliases.variants(kq["speaker_description"])]
        return any(descriptor_matches(w, c) for w in wanted for c in candidates if c)
    return not got


def score_essay(
    name: str,
    key: Mapping[str, Any],
    parsed: Mapping[str, Any] | None,
    *,
    error: str | None = None,
) -> EssayScore:
    """Score one parse (``None`` when the importer failed, with ``error``) against a key."""
    result = EssayScore(name=name, error=error, key_quotations=len(key["quotations"]))
    aliases = Aliases(key.get("aliases"))
    parse = read_parse(parsed or {})
    result.parsed_quotations = len(parse.quotations)
    if error:
        result.miss("essay", "parse", "a parse", error)
    _score_structure(result, key, parse)
    _score_cruft(result, key, parse)
    _score_metadata(result, key, parse, aliases)
    _score_quotations(result, key, parse, aliases)
    _score_bibliography(result, key, parse)
    return result


def _score_structure(result: EssayScore, key: Mapping[str, Any], parse: Parse) -> None:
    figures = result.figures
    wanted = key["sections"]
    got = parse.sections
    start = 0
    paragraphs_right = 0
    for number, section in enumerate(wanted, 1):
        heading = fold_name(section["heading"])
        at = next(
            (i for i in range(start, len(got)) if fold_name(got[i][0]) == heading),
            None,
        )
        where = f"§{number} {section['heading'] or '(introduction)'}"
        if at is None:
            result.miss(where, "section", section["heading"] or "(introduction)", "not found")
            continue
        start = at + 1
        paragraphs = got[at][1]
        count_ok = len(paragraphs) == section["paragraphs"]
        first = words(paragraphs[0]) if paragraphs else []
        prefix = words(section["first_words"])
        first_ok = first[: len(prefix)] == prefix
        paragraphs_right += min(len(paragraphs), section["paragraphs"])
        if count_ok and first_ok:
            figures["structure"].right += 1
        if not count_ok:
            result.miss(where, "paragraphs", section["paragraphs"], len(paragraphs))
        if not first_ok:
            result.miss(where, "first_words", section["first_words"], " ".join(first[:6]))
    extra = [
        h or "(introduction)"
        for h, _ in got
        if fold_name(h) not in {fold_name(s["heading"]) for s in wanted}
    ]
    for heading in extra:
        result.miss("structure", "extra section", "—", heading)
    figures["structure"].total = max(len(wanted), len(got))
    figures["paragraphs"].right = paragraphs_right
    figures["paragraphs"].total = max(
        sum(s["paragraphs"] for s in wanted), sum(len(p) for _, p in got)
    )


def _score_cruft(result: EssayScore, key: Mapping[str, Any], parse: Parse) -> None:
    body = [" ".join(h.replace("\u00a0", " ").split()) for h, _ in parse.sections]
    body += [" ".join(p.replace("\u00a0", " ").split()) for _, ps in parse.sections for p in ps]
    for cruft in key["cruft"]:
        text = " ".join(cruft.replace("\u00a0", " ").split())
        pattern = re.escape(text)
        if text[:1].isalnum():
            pattern = r"(?<!\w)" + pattern
        if text[-1:].isalnum():
            pattern += r"(?!\w)"
        hit = next((b for b in body if re.search(pattern, b)), None)
        # A failed parse kept nothing, but dropped nothing either: it scores 0.
        result.figures["cruft"].add(hit is None and result.error is None)
        if hit is not None:
            result.miss("cruft", "survived", cruft, hit[:80])


def _score_metadata(
    result: EssayScore, key: Mapping[str, Any], parse: Parse, aliases: Aliases
) -> None:
    got = parse.metadata
    for name, expected in key["metadata"].items():
        if expected is None:
            continue
        value = got.get(name)
        if name == "title":
            ok = words(value) == words(expected)
        elif name == "author":
            ok = aliases.same(expected, value)
        elif name == "date":
            ok = str(value or "")[:10] == expected
        elif name == "canonical_url":
            ok = fold_url(value) == fold_url(expected)
        elif name == "tags":
            ok = {fold(t) for t in value or []} == {fold(t) for t in expected}
        else:
            continue
        result.figures["metadata"].add(ok)
        if not ok:
            result.miss("metadata", name, expected, value)


def _score_quotations(
    result: EssayScore, key: Mapping[str, Any], parse: Parse, aliases: Aliases
) -> None:
    figures = result.figures
    wanted = key["quotations"]
    got = parse.quotations
    pairs = align([q["text"] for q in wanted], [q["text"] for q in got])
    figures["recall"] = Figure(len(pairs), len(wanted))
    figures["precision"] = Figure(len(pairs), len(got))
    outlets = _outlet_names(key)
    for i, kq in enumerate(wanted):
        where = f"q{kq['n']}"
        url = fold_url(kq.get("source_url"))
        if i not in pairs:
            result.miss(where, "found", kq["text"][:80], "—")
            if url:
                figures["links"].add(False)
            continue
        pq = got[pairs[i]]
        allowed = kq.get("speaker") or kq.get("speaker_description") or ""
        reason = (
            junk_reason(pq["speaker"], outlets + [pq["outlet"] or ""], allowed)
            if pq["speaker"]
            else None
        )
        if reason:
            result.junk.append(f"{pq['speaker']} ({reason})")
        speaker_ok = not reason and judge_speaker(kq, pq, aliases)
        figures["speaker"].add(speaker_ok)
        if not speaker_ok:
            expected = kq["speaker"] or kq.get("speaker_description") or None
            label = "junk speaker" if reason else "speaker"
            result.miss(
                where,
                label,
                f"{expected} ({kq['speaker_kind']})",
                f"{pq['speaker']} ({pq['speaker_kind'] or 'no kind'})",
            )
        for name, ok, expected, value in (
            ("outlet", aliases.same(kq["outlet"], pq["outlet"]), kq["outlet"], pq["outlet"]),
            ("via", aliases.same(kq["via"], pq["via"]), kq["via"], pq["via"]),
            ("scare", kq["scare"] == pq["scare"], kq["scare"], pq["scare"]),
            (
                "emphasis",
                kq.get("emphasis_added", False) == pq["emphasis_added"],
                kq.get("emphasis_added", False),
                pq["emphasis_added"],
            ),
        ):
            figures[name].add(ok)
            if not ok and name in ("outlet", "via"):
                result.miss(where, name, expected, value)
        got_url = fold_url(pq["source_url"])
        if url or got_url:
            figures["links"].add(url == got_url)
            if url != got_url:
                result.miss(where, "source_url", kq.get("source_url"), pq["source_url"])
    matched = set(pairs.values())
    for j, pq in enumerate(got):
        if j in matched:
            continue
        result.miss(f"p{j + 1}", "false positive", "—", pq["text"][:80])
        if pq["speaker"]:
            reason = junk_reason(pq["speaker"], outlets + [pq["outlet"] or ""])
            if reason:
                result.junk.append(f"{pq['speaker']} ({reason})")


def _score_bibliography(result: EssayScore, key: Mapping[str, Any], parse: Parse) -> None:
    have = {fold_url(u) for u in parse.bibliography}
    for url in key.get("bibliography", []):
        ok = fold_url(url) in have
        result.figures["bibliography"].add(ok)
        if not ok:
            result.miss("bibliography", "url", url, "—")


def score_corpus(folder: Path = CORPUS, essay: str | None = None) -> list[EssayScore]:
    """Parse and score every keyed essay in ``folder`` (or the one named ``essay``)."""
    scores = []
    for name, key in load_keys(folder, essay):
        path = essay_path(key, folder)
        data = path.read_bytes()
        try:
            parsed, error = run_importer(data, filename=path.name, format=key["format"]), None
        except Exception as exc:  # a crash is a figure, not an abort
            parsed, error = None, f"{type(exc).__name__}: {exc}"
        score = score_essay(name, key, parsed, error=error)
        score.words = len(_plain(data, key["format"]).split())
        scores.append(score)
    return scores


def overall(scores: Iterable[EssayScore]) -> EssayScore:
    """All essays added up (every right and every total), as one score."""
    total = EssayScore(name="overall")
    for score in scores:
        for name, figure in score.figures.items():
            total.figures[name].right += figure.right
            total.figures[name].total += figure.total
        total.misses += score.misses
        total.junk += score.junk
        total.key_quotations += score.key_quotations
        total.parsed_quotations += score.parsed_quotations
        total.words += score.words
    return total


def figures_of(score: EssayScore) -> dict[str, float | None]:
    return {name: score.value(name) for name in FIGURES}


def load_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


JUNK_CEILING = "max_junk_speakers"


def raised_floors(
    floors: Mapping[str, Mapping[str, float]], scores: Iterable[EssayScore]
) -> dict[str, dict[str, float]]:
    """Floors raised to today's figures (rounded down to 0.001), never lowered; the junk
    speaker count is a ceiling, lowered to today's count and never raised."""
    new = {name: dict(values) for name, values in floors.items()}
    for score in scores:
        current = new.setdefault(score.name, {})
        for name, value in figures_of(score).items():
            today = int((value or 0.0) * 1000) / 1000
            current[name] = max(current.get(name, 0.0), today)
        current[JUNK_CEILING] = min(current.get(JUNK_CEILING, len(score.junk)), len(score.junk))
    return new


def below_floors(score: EssayScore, floors: Mapping[str, float]) -> dict[str, tuple[Any, Any]]:
    """figure → (today, floor) for every figure below its floor (junk above its ceiling)."""
    failing: dict[str, tuple[Any, Any]] = {}
    for name, floor in floors.items():
        if name == JUNK_CEILING:
            if len(score.junk) > floor:
                failing[name] = (len(score.junk), floor)
        elif (score.value(name) or 0.0) < floor:
            failing[name] = (score.value(name), floor)
    return failing
