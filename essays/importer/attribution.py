"""Attribute quotations: who said it (speaker), where it appeared (outlet), and
through whom it reached that outlet (via). Pure functions over paragraph strings.

Rules, in the order they are tried for each quotation (docs/importer.md has the
editor-facing version):

1. ``post``: a speech verb right after the quotation in the same sentence
   ("…,” a rebel spokesman said." / "…,” said Omar Haidar, a schoolteacher …").
2. ``pre``: before it in the same sentence: "according to X", "in the words of X",
   "quoted X as saying", "X's “…”" (known people only), else the subject of the
   last speech verb ("Robert Worth of the New York Times writes that “…”"), else,
   for a lead-in ending in a colon, the sentence's first noun phrase.
3. ``lead-in``: a paragraph that opens with a quotation after a paragraph ending
   in a colon ("In a statement, Colonel Saqr wrote:").
4. short unattributed quotations (1-3 words, not a sentence) are scare quotes.
5. ``continuation``: otherwise the previous quotation's speaker in the paragraph
   (or the paragraph before, when a quotation runs over several paragraphs).
6. ``repeat``: otherwise the attribution of the first occurrence of the same words.

Outlet: an outlet named in the attribution clause, other than the speaker's own
affiliation and other than what follows "citing"/"via"/"relayed by" (that is
``via``); the nearest to the quotation wins. Failing that, "the site"/"the paper"
refers to the paragraph's last outlet; failing that, the speaker's affiliation if
it is a news organisation or the verb is one of publishing ("writes").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sources.recognition import OutletMatch, OutletRegistry, PersonRegistry, name_tokens

from .quotations import QuoteSpan, normalise_quotation
from .sentences import split_sentences
from .speakers import (
    DETERMINERS,
    MEDIA_KINDS,
    VERB_PATTERN,
    WRITING_VERBS,
    Mention,
    analyse_inverted,
    analyse_phrase,
    analyse_subject,
    last_match,
    leading_phrase,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """The attribution of one quotation (see module docstring for the rules)."""

    speaker: str | None = None
    speaker_kind: str | None = None  # "person" or "descriptive"
    role: str | None = None
    affiliation: str | None = None
    outlet: str | None = None
    via: str | None = None
    scare: bool = False
    repeat_of: int | None = None
    span: tuple[int, int] | None = None
    rule: str | None = None


@dataclass(slots=True)
class _Work:
    """One quotation while it is being attributed."""

    flat: int  # index of its paragraph in the document's paragraph list
    span: QuoteSpan
    text: str
    mention: Mention | None = None
    verb: str | None = None
    rule: str | None = None
    outlet: str | None = None
    via: str | None = None
    inherit: int | None = None  # earlier quotation to continue from
    local_span: bool = True  # mention.span is in this quotation's paragraph


_VIA = re.compile(r"\b(?:citing|via|relayed by)\s+([^,;.“”\"]+)", re.IGNORECASE)
_ANAPHOR = re.compile(
    r"\bthe (?:site|paper|newspaper|channel|agency|broadcaster|magazine|outlet|network|station)\b"
)
_ACCORDING = re.compile(r"\b(?:according to|in the words of)\s+([^,;:]+?)[\s,:]*$", re.I)
_QUOTED_AS = re.compile(r"\bquoted\s+(.+?)\s+as\s+saying\b")
_POSSESSIVE = re.compile(r"([A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*)['’]s\s*$")
_THAT = re.compile(r"\bthat\b")
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'\-]+|al-[\w\-]+)(?:\s+(?:[A-Z][\w’'\-]+|al-[\w\-]+))*")
_LEADING_JUNK = re.compile(r"^[\s,;:—–\-]*(?:[\[(][^\])]{0,30}[\])])?[\s,;:—–\-]*")
_MAX_POST_WORDS = 14
_LOOKBACK = 50  # how many earlier quotations "they"/"the same official" may reach back
# Words between a quotation and a later verb that show the verb belongs to another
# clause ("“…” failed, while Lister called it …").
_NOT_A_SUBJECT = re.compile(
    r"[.;!?]|\b(?:that|which|while|and|but|when|because|although|whereas|where)\b"
)
_SENTENCE_OPENERS = frozenset(
    "In The When After As But For On At By From A An If While Then Later Since".split()
)
_NOUN_FOLLOWERS = frozenset({"of", "from", "about", "by"})
_NOUN_PRECEDERS = DETERMINERS | {"such", "many", "numerous", "media", "news", "press", "these"}


def attribute(
    paragraphs: Sequence[str],
    quotes: Sequence[Sequence[QuoteSpan]],
    *,
    outlets: OutletRegistry,
    people: PersonRegistry | None = None,
    section_starts: frozenset[int] = frozenset(),
    continued: frozenset[int] = frozenset(),
) -> list[Attribution]:
    """Attribute every quotation of the document, in document order.

    ``paragraphs`` is every paragraph of the essay in order and ``quotes[i]`` the
    quotation spans of ``paragraphs[i]``; ``section_starts`` holds the indexes of
    paragraphs that open a section (a lead-in never crosses a heading) and
    ``continued`` those whose first quotation continues the previous paragraph's
    last one (a quotation over several paragraphs, or consecutive block quotes).
    ``people`` may carry known people (e.g. from the database); names met in the
    essay are added to it. Linear in the size of the text: lookups are dict-based.
    """
    works: list[_Work] = []
    for flat, (paragraph, spans) in enumerate(zip(paragraphs, quotes, strict=True)):
        previous = None if flat in section_starts or flat == 0 else flat - 1
        _first_pass(paragraph, spans, flat, previous, flat in continued, paragraphs, works, outlets)
    return _second_pass(works, paragraphs, outlets, people or PersonRegistry())


def _first_pass(
    paragraph: str,
    spans: Sequence[QuoteSpan],
    flat: int,
    previous: int | None,
    continues: bool,
    paragraphs: Sequence[str],
    works: list[_Work],
    outlets: OutletRegistry,
) -> None:
    protected = [(q.open, q.outer_end) for q in spans]
    sentences = split_sentences(paragraph, protected)
    starts = [s for s, _ in sentences]
    first_index = len(works)
    for k, q in enumerate(spans):
        s_start, s_end = sentences[max(bisect_right(starts, q.open) - 1, 0)]
        same_before = k > 0 and spans[k - 1].open >= s_start
        same_after = k + 1 < len(spans) and spans[k + 1].open < s_end
        pre_start = spans[k - 1].outer_end if same_before else s_start
        post_end = spans[k + 1].open if same_after else s_end
        work = _Work(flat, q, paragraph[q.start : q.end])
        found = _from_post(paragraph, q.outer_end, post_end, outlets)
        if found is not None:
            work.mention, work.verb = found
            work.rule = "post"
            _choose_outlet(work, paragraph, q.outer_end, post_end, protected, outlets, last=False)
        else:
            found = _from_pre(paragraph, pre_start, s_start, q.open, outlets)
            if found is not None:
                work.mention, work.verb, verb_end = found
                work.rule = "pre"
                window_end = _truncate_at_that(paragraph, verb_end, q.open)
                _choose_outlet(work, paragraph, s_start, window_end, protected, outlets, last=True)
        if work.mention is None and k == 0 and not paragraph[: q.open].strip():
            _from_previous_paragraph(work, previous, continues, paragraphs, works, outlets)
        if work.mention is None and k > 0:
            work.inherit = first_index + k - 1
        works.append(work)


def _from_previous_paragraph(
    work: _Work,
    previous: int | None,
    continues: bool,
    paragraphs: Sequence[str],
    works: list[_Work],
    outlets: OutletRegistry,
) -> None:
    """Lead-in colon or multi-paragraph quotation continuing from the paragraph before."""
    if previous is None:
        return
    before = paragraphs[previous]
    if continues and works and works[-1].flat == previous:
        work.inherit = len(works) - 1
        return
    if not before.rstrip().endswith(":"):
        return
    sentences = split_sentences(before)
    if not sentences:
        return
    s_start, s_end = sentences[-1]
    found = _from_pre(before, s_start, s_start, s_end, outlets)
    if found is not None:
        work.mention, work.verb, verb_end = found
        work.rule, work.local_span = "lead-in", False
        window_end = _truncate_at_that(before, verb_end, s_end)
        _choose_outlet(work, before, s_start, window_end, [], outlets, last=True)


def _from_post(
    paragraph: str, start: int, end: int, outlets: OutletRegistry
) -> tuple[Mention, str] | None:
    text = paragraph[start:end]
    skip = _LEADING_JUNK.match(text)
    offset = skip.end() if skip else 0
    verb = VERB_PATTERN.search(text, offset)
    if verb is None or len(text[offset : verb.start()].split()) > _MAX_POST_WORDS:
        return None
    if verb.start() == offset:
        mention = analyse_inverted(text[verb.end() :], start + verb.end(), outlets)
    else:
        region = text[offset : verb.start()]
        if _NOT_A_SUBJECT.search(region) or region[:1].isspace():
            return None
        mention = analyse_subject(region, start + offset, outlets)
    return (mention, verb.group()) if mention is not None else None


def _from_pre(
    paragraph: str, start: int, sentence_start: int, end: int, outlets: OutletRegistry
) -> tuple[Mention, str | None, int] | None:
    text = paragraph[start:end]
    according = _ACCORDING.search(text)
    if according:
        mention = analyse_phrase(according.group(1), start + according.start(1), outlets)
        if mention is not None:
            return mention, None, start + according.end()
    quoted = last_match(_QUOTED_AS, text)
    if quoted is not None:
        mention = analyse_phrase(quoted.group(1), start + quoted.start(1), outlets)
        if mention is not None:
            return mention, "quoted", start + quoted.end()
    possessive = _POSSESSIVE.search(text)
    if possessive:
        name = possessive.group(1)
        p_start = start + possessive.start(1)
        return Mention("possessive", name, (p_start, p_start + len(name))), None, end
    for verb in reversed(list(VERB_PATTERN.finditer(text))):
        if _used_as_noun(text, verb):
            continue
        mention = analyse_subject(text[: verb.start()], start, outlets)
        if mention is not None:
            return mention, verb.group(), start + verb.end()
    if text.rstrip().endswith(":"):
        mention = leading_phrase(paragraph[sentence_start:end], sentence_start, outlets)
        if mention is not None:
            return mention, None, end
    return None


def _used_as_noun(text: str, verb: re.Match[str]) -> bool:
    """ "reports of looting", "such claims": an -s form that is a plural noun."""
    if not verb.group().endswith("s"):
        return False
    after = text[verb.end() :].split(None, 1)
    before = text[: verb.start()].split()
    return (bool(after) and after[0].lower() in _NOUN_FOLLOWERS) or (
        bool(before) and before[-1].lower() in _NOUN_PRECEDERS
    )


def _truncate_at_that(paragraph: str, verb_end: int, end: int) -> int:
    """The attribution clause stops at the "that" after its verb: outlets in the
    reported clause ("told the BBC that the Observatory relied on") don't count."""
    that = _THAT.search(paragraph, verb_end, end)
    return that.start() if that else end


def _outlets_in(
    paragraph: str,
    start: int,
    end: int,
    protected: Sequence[tuple[int, int]],
    outlets: OutletRegistry,
) -> list[OutletMatch]:
    found = []
    for m in outlets.find_outlets(paragraph[start:end]):
        a, b = start + m.start, start + m.end
        if not any(p <= a < q for p, q in protected):
            found.append(OutletMatch(m.outlet, a, b, m.text))
    return found


def _choose_outlet(
    work: _Work,
    paragraph: str,
    start: int,
    end: int,
    protected: Sequence[tuple[int, int]],
    outlets: OutletRegistry,
    *,
    last: bool,
) -> None:
    mention = work.mention
    assert mention is not None
    found = _outlets_in(paragraph, start, end, protected, outlets)
    via_spans = []
    for via in _VIA.finditer(paragraph, start, end):
        via_spans.append(via.span(1))
        inside = [m for m in found if via.start(1) <= m.start < via.end(1)]
        phrase = via.group(1).strip()
        work.via = (
            inside[0].outlet.name if inside else (phrase if len(phrase.split()) <= 8 else None)
        )
    mention_span = mention.span if work.local_span else (0, 0)
    candidates = [
        m
        for m in found
        if not any(a <= m.start < b for a, b in via_spans)
        and not mention_span[0] <= m.start < mention_span[1]
    ]
    if mention.kind == "outlet" and mention.outlet is not None:
        work.outlet = mention.outlet.outlet.name
    elif candidates:
        work.outlet = (candidates[-1] if last else candidates[0]).outlet.name
    elif _ANAPHOR.search(paragraph, start, end):
        earlier = _outlets_in(paragraph, 0, start, protected, outlets)
        work.outlet = earlier[-1].outlet.name if earlier else None
    elif mention.affiliation is not None and (
        mention.affiliation.outlet.kind in MEDIA_KINDS or work.verb in WRITING_VERBS
    ):
        work.outlet = mention.affiliation.outlet.name


def _second_pass(
    works: list[_Work],
    paragraphs: Sequence[str],
    outlets: OutletRegistry,
    people: PersonRegistry,
) -> list[Attribution]:
    for work in works:  # register full names first so short references resolve
        m = work.mention
        if m is not None and m.kind == "person" and len(name_tokens(m.text)) > 1:
            people.add(
                m.text,
                role=m.role,
                affiliation=m.affiliation.outlet.name if m.affiliation else None,
            )
    results: list[Attribution] = []
    first_seen: dict[str, int] = {}
    last_person: Attribution | None = None
    for i, work in enumerate(works):
        key = normalise_quotation(work.text)
        first = first_seen.setdefault(key, i)
        repeat_of = first if first != i else None
        result = _resolve(work, i, works, results, paragraphs, people, outlets, last_person)
        if result.speaker is None and result.outlet is None:
            if _is_scare(work.text):
                result = Attribution(scare=True, rule="scare")
            elif work.inherit is not None:
                result = _copy(_speaking(results, works, work.inherit), "continuation")
            elif repeat_of is not None:
                result = _copy(results[repeat_of], "repeat")
        result = _with(result, repeat_of=repeat_of)
        if result.speaker_kind == "person":
            last_person = result
        results.append(result)
    return results


def _resolve(
    work: _Work,
    i: int,
    works: list[_Work],
    results: list[Attribution],
    paragraphs: Sequence[str],
    people: PersonRegistry,
    outlets: OutletRegistry,
    last_person: Attribution | None,
) -> Attribution:
    m = work.mention
    span = m.span if m is not None and work.local_span else None
    base = Attribution(outlet=work.outlet, via=work.via, span=span, rule=work.rule)
    if m is None or m.kind == "outlet":
        return base
    affiliation = m.affiliation.outlet.name if m.affiliation else None
    previous = results[-1] if i and works[i - 1].flat == work.flat else None
    if m.kind in ("person", "possessive"):
        person = people.resolve(m.text)
        if person is None and m.kind == "possessive":
            return Attribution()
        name = person.name if person else m.text
        outlet = work.outlet
        if outlet is None and m.document and person and person.affiliation:
            known = outlets.get(person.affiliation)
            outlet = known.name if known else None
        resolved = _with(
            base,
            speaker=name,
            speaker_kind="person",
            outlet=outlet,
            role=m.role or (person.role if person else None),
            affiliation=affiliation or (person.affiliation if person else None),
        )
    elif m.kind == "pronoun":
        antecedent = _pronoun_antecedent(work, paragraphs, people, last_person, results, m.text)
        if antecedent is None:
            return base
        resolved = _with(
            base,
            speaker=antecedent.speaker,
            speaker_kind=antecedent.speaker_kind,
            role=antecedent.role,
            affiliation=antecedent.affiliation,
        )
    elif m.kind == "same":
        earlier = next(
            (
                r
                for r in reversed(results[-_LOOKBACK:])
                if r.speaker_kind == "descriptive" and m.text in (r.speaker or "")
            ),
            None,
        )
        if earlier is None:
            return base
        resolved = _with(
            base,
            speaker=earlier.speaker,
            speaker_kind="descriptive",
            affiliation=earlier.affiliation,
        )
    else:
        resolved = _with(
            base, speaker=m.text, speaker_kind="descriptive", role=m.role, affiliation=affiliation
        )
    if resolved.outlet is None and previous is not None and previous.speaker == resolved.speaker:
        # Same speaker again in the same paragraph: the same interview.
        resolved = _with(resolved, outlet=previous.outlet, via=resolved.via or previous.via)
    return resolved


def _pronoun_antecedent(
    work: _Work,
    paragraphs: Sequence[str],
    people: PersonRegistry,
    last_person: Attribution | None,
    results: list[Attribution],
    pronoun: str,
) -> Attribution | None:
    if pronoun == "they":
        return next((r for r in reversed(results[-_LOOKBACK:]) if r.speaker), None)
    before = paragraphs[work.flat][: work.span.open]
    named = None
    for run in _NAME_RUN.finditer(before):
        text = re.sub(r"['’]s$", "", run.group())
        person = people.resolve(text) or people.resolve(text.split()[-1])
        if person is not None:
            named = person
    if named is not None:
        return Attribution(
            speaker=named.name,
            speaker_kind="person",
            role=named.role,
            affiliation=named.affiliation,
        )
    # Nobody known: the last full name in the paragraph ("Leila Darwish counted …
    # “…,” she said"), which then becomes known.
    runs = [r.group() for r in _NAME_RUN.finditer(before)]
    names = [
        r.split(" ", 1)[1] if " " in r and r.split(" ", 1)[0] in _SENTENCE_OPENERS else r
        for r in runs
    ]
    names = [re.sub(r"['’]s$", "", n) for n in names if len(n.split()) > 1]
    if names:
        return Attribution(speaker=people.add(names[-1]).name, speaker_kind="person")
    return last_person


def _is_scare(text: str) -> bool:
    """One to three words that are not a sentence of their own: “moderate”, but
    not “We stopped counting.”"""
    sentence = text[:1].isupper() and text.rstrip("”\"’')").endswith((".", "!", "?"))
    return len(text.split()) <= 3 and not sentence


def _speaking(results: list[Attribution], works: list[_Work], index: int) -> Attribution:
    """The nearest quotation at or before ``index`` in the same paragraph run that
    has a speaker or outlet (a scare quote in between does not break a speech)."""
    for j in range(index, -1, -1):
        if results[j].speaker or results[j].outlet:
            return results[j]
        if works[j].inherit is None:
            break
    return results[index]


def _copy(source: Attribution, rule: str) -> Attribution:
    return Attribution(
        source.speaker,
        source.speaker_kind,
        source.role,
        source.affiliation,
        source.outlet,
        source.via,
        rule=rule,
    )


def _with(a: Attribution, **changes: Any) -> Attribution:
    return replace(a, **changes)
