"""Who is the subject of an attribution clause? Noun-phrase analysis, no ORM.

Given the words in front of "said" (or after it, in "…,” said X"), decide whether
they name a person ("Secretary of State Daniel Harrow" → "Daniel Harrow", role
"Secretary of State"), describe a speaker ("a rebel spokesman"), point back
("he", "the same official"), or name an outlet speaking in its own voice ("SANA",
"a 2019 report by Human Rights Watch").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.recognition import OutletMatch, OutletRegistry

# Finite verbs that introduce quoted words. Matched lower-case only, so a name
# such as "Ahmed Said" is not a verb.
SPEECH_VERBS = frozenset(
    """
    said says told tells added adds wrote writes explained explains warned warns insisted
    insists claimed claims declared declares noted notes argued argues stated tweeted
    tweets asked asks replied replies recalled recalls admitted admits acknowledged
    acknowledges concluded concludes observed observes reported reports announced
    announces conceded concedes complained complains suggested suggests called calls
    described describes dubbed labelled labeled promised promises vowed vows threatened
    urged urges pledged predicted predicts remarked responded countered cautioned stressed
    stresses emphasised emphasized confirmed confirms denied denies alleged alleges
    estimated estimates quipped maintained maintains continued repeated repeats boasted
    commented comments mused dismissed dismisses branded brands derided hailed condemned
    """.split()
)
# Verbs of publishing: with them, a speaker's employer counts as the outlet
# ("Jonah Pearce of the Institute for the Study of War writes that …").
WRITING_VERBS = frozenset(
    "wrote writes argued argues noted notes observed observes concluded concludes reported "
    "reports".split()
)
VERB_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r"|puts? it)\b"
)
MEDIA_KINDS = frozenset({"newspaper", "wire", "broadcaster", "magazine", "website"})

PRONOUNS = frozenset({"he", "she", "they"})
DETERMINERS = frozenset(
    "a an one the another its his her their some two three several many other others "
    "this that these those".split()
)
TITLE_WORDS = frozenset(
    """
    secretary state president vice minister ministry general gen colonel col lieutenant
    lt major maj captain capt sergeant sgt commander cmdr admiral adm dr doctor mr mrs ms
    miss prof professor sheikh shaykh imam ambassador amb senator sen representative rep
    congressman congresswoman governor gov mayor judge justice foreign defence defense
    prime deputy chief king queen prince princess emir crown sultan pope father rev envoy
    spokesman spokeswoman spokesperson information interior chairman director special
    senior former brigadier field marshal lord lady sir dame pm un us
    """.split()
)
_PARTICLE = re.compile(r"^(?:al|el|ul|bin|ibn|bint|abu|umm|de|van|von|der|da|di|la|le)(?:[-‐‑]|$)")
_PREPOSITIONS = frozenset("in of from at for near with to on by".split())
_CLAUSE_WORDS = re.compile(
    r"\b(?:that|and|but|while|whereas|because|although|though|when|after|before|as|since|if"
    r"|so|where)\b",
    re.IGNORECASE,
)
_ADVERBS = frozenset(
    """
    privately publicly later also then again once now too still already recently previously
    subsequently repeatedly frequently often bluntly flatly simply separately earlier
    famously reportedly openly candidly angrily quietly firmly proudly sharply memorably
    herself himself themselves itself yesterday today tonight last week
    """.split()
)
_DOCUMENT_NOUNS = frozenset(
    "report reports article study book statement paper analysis column piece op-ed tweet "
    "post letter testimony memo essay reporting account investigation editorial bulletin "
    "survey data figures tally".split()
)
_DOCUMENT = re.compile(r"^(?P<owner>.+?)['’]s\s+(?P<noun>[\w-]+)$")
_EDGE = " \t\u00a0,;:—–-"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker as written. ``kind``: "person", "descriptive", "pronoun", "same"
    ("the same official": ``text`` is the head noun), "possessive" ("Harrow's
    “…”": a person only if the name is known) or "outlet" (``outlet`` set, no
    speaker). ``span`` covers the whole phrase incl. appositives, in paragraph
    offsets; outlets inside it are the speaker's affiliation, not the outlet."""

    kind: str
    text: str
    span: tuple[int, int]
    role: str | None = None
    affiliation: OutletMatch | None = None
    outlet: OutletMatch | None = None
    document: bool = False  # "Pearce's report notes": the speaker is an author


def analyse_subject(region: str, base: int, outlets: OutletRegistry) -> Mention | None:
    """Find the speaker in ``region``, the words before a speech verb.

    ``base`` is the region's offset in the paragraph. Handles appositives ("Nadia
    Rahman, a Syria analyst at the Middle East Institute,"), clause openers ("The
    Times reported that Colonel Saqr") and subjects elided after "and" (the
    sentence's first noun phrase then speaks).
    """
    segments = _segments(region, base)
    if not segments:
        return None
    if region.rstrip(" \u00a0").endswith(",") and len(segments) >= 2:
        head, appositive = segments[-2], segments[-1]
        head = _after_clause_word(*head)
        if head[0].strip():
            return _with_appositive(head, appositive, outlets)
        return analyse_phrase(*appositive, outlets)
    last = _after_clause_word(*segments[-1])
    if not last[0].strip(_EDGE) or last[0].strip(_EDGE).lower() in ("and", "but"):
        # "Kerem Aydin, writing for Al Monitor, counted …, and reported that"
        last = _after_clause_word(*segments[0])
    return analyse_phrase(*last, outlets)


def analyse_inverted(region: str, base: int, outlets: OutletRegistry) -> Mention | None:
    """Find the speaker after an inverted verb: "…,” said Colonel Fadi Saqr, who …".

    The first comma-separated phrase is the speaker; the next one is an appositive
    only if it starts like one ("a schoolteacher …", "who …").
    """
    segments = _segments(region.rstrip(" .!?"), base)
    if not segments:
        return None
    if len(segments) >= 2:
        first_word = segments[1][0].split(" ", 1)[0].lower()
        if first_word in DETERMINERS or first_word in ("who", "whose", "which"):
            return _with_appositive(segments[0], segments[1], outlets)
    return analyse_phrase(*segments[0], outlets)


def leading_phrase(region: str, base: int, outlets: OutletRegistry) -> Mention | None:
    """The sentence's opening noun phrase, for lead-ins ending in a colon without a
    speech verb ("Rahman, for once, did not dispute it:")."""
    segments = _segments(region, base)
    if not segments:
        return None
    text, start = segments[0]
    words = list(_WORD.finditer(text))
    run_end = 0
    for word in words:
        if not _is_name_word(word.group()):
            break
        run_end = word.end()
    if 0 < run_end < len(text):
        text = text[:run_end]
    return analyse_phrase(text, start, outlets)


def analyse_phrase(text: str, start: int, outlets: OutletRegistry) -> Mention | None:
    """Classify one noun phrase (no commas) starting at paragraph offset ``start``."""
    text, start = _strip(text, start)
    text, start = _noun_phrase_only(text, start)
    text = _strip_trailing_adverbs(text)
    if not text or len(_WORD.findall(text)) > 12:
        return None
    span = (start, start + len(text))
    lowered = text.lower()
    if lowered in PRONOUNS:
        return Mention("pronoun", lowered, span)
    same = re.match(r"the same (\w+)", text, re.IGNORECASE)
    if same:
        return Mention("same", same.group(1).lower(), span)
    document = _DOCUMENT.match(text)
    if document and document.group("noun").lower() in _DOCUMENT_NOUNS:
        inner = analyse_phrase(document.group("owner"), start, outlets)
        if inner is not None and inner.kind in ("person", "outlet"):
            return Mention(
                inner.kind,
                inner.text,
                span,
                inner.role,
                inner.affiliation,
                inner.outlet,
                document=True,
            )
    found = outlets.find_outlets(text)
    if found:
        return _phrase_with_outlet(text, start, span, found[0], outlets)
    return _person_or_description(text, span)


def _phrase_with_outlet(
    text: str, start: int, span: tuple[int, int], match: OutletMatch, outlets: OutletRegistry
) -> Mention:
    shifted = OutletMatch(match.outlet, start + match.start, start + match.end, match.text)
    before, after = text[: match.start], text[match.end :]
    rest = [w.strip("'’.").lower() for w in _WORD.findall(before + " " + after)]
    if all(
        not w
        or w in DETERMINERS
        or w in _PREPOSITIONS
        or w in _DOCUMENT_NOUNS
        or w in ("s", "'s", "’s")
        or w.isdigit()
        for w in rest
    ):
        return Mention("outlet", match.outlet.name, span, outlet=shifted)
    if text.split(" ", 1)[0].lower() in DETERMINERS:
        return Mention("descriptive", _lower_determiner(text), span, affiliation=shifted)
    for piece in (after.lstrip("'’s "), before.rstrip()):
        piece = re.sub(r"\s+(?:of|at|from|for|with|and|the)$", "", piece, flags=re.IGNORECASE)
        piece = re.sub(r"\s+(?:of|at|from|for|with|and|the)$", "", piece, flags=re.IGNORECASE)
        person = _person_or_description(piece, span) if piece else None
        if person is not None and person.kind == "person":
            return Mention("person", person.text, span, person.role, shifted)
    return Mention("descriptive", _lower_determiner(text), span, affiliation=shifted)


def _person_or_description(text: str, span: tuple[int, int]) -> Mention | None:
    if _VERB.search(text):
        return None  # a clause, not a name or a description
    words = _WORD.findall(text)
    run: list[str] = []
    for word in reversed(words):
        bare = word.rstrip("'’s") if re.search(r"['’]s$", word) else word
        if bare.lower().rstrip(".") in TITLE_WORDS or not _is_name_word(bare):
            break
        run.insert(0, word)
    lead = words[: len(words) - len(run)]
    # "a medic in Khan Sheikhoun", "the ambassador to the United Nations": a place
    # or body after a preposition is not the speaker's name.
    head = [w for w in lead if w.lower() not in DETERMINERS]
    preceded_by_preposition = (
        bool(lead)
        and bool(head)
        and head[-1].lower() in _PREPOSITIONS
        and lead[-1].lower() in _PREPOSITIONS | DETERMINERS
    )
    acronym_only = len(run) == 1 and run[0].isupper()
    # "The Selwyn Ledger", "the Civic Monitoring Network": a capitalised run right after
    # "the" names an organisation; people's names do not take the article.
    if run and ((lead and lead[-1].lower() == "the") or run[0].lower() == "the"):
        return None
    if run and not preceded_by_preposition and not acronym_only:
        name = " ".join(run)
        name = re.sub(r"['’]s$", "", name)
        role = " ".join(w for i, w in enumerate(lead) if i or w.lower() not in DETERMINERS)
        return Mention("person", name, span, role=role or None)
    if words and (words[0].lower() in DETERMINERS or len(words) <= 8):
        return Mention("descriptive", _lower_determiner(text), span)
    return None


def _with_appositive(
    head: tuple[str, int], appositive: tuple[str, int], outlets: OutletRegistry
) -> Mention | None:
    first = analyse_phrase(*head, outlets)
    second = analyse_phrase(*appositive, outlets)
    span_start = first.span[0] if first else appositive[1]
    span_end = appositive[1] + len(appositive[0].rstrip(_EDGE))
    if (
        first is not None
        and first.kind == "descriptive"
        and second is not None
        and second.kind == "person"
    ):
        # "the UN's regional humanitarian coordinator, Sami Khoury": the name speaks.
        role = re.sub(r"^(?:the|a|an)\s+", "", first.text)
        return Mention(
            "person",
            second.text,
            (span_start, span_end),
            role,
            second.affiliation or first.affiliation,
        )
    if first is None:
        return second
    affiliation = first.affiliation or (
        second.affiliation or second.outlet if second is not None else None
    )
    role = first.role
    if second is not None and second.kind == "descriptive":
        role = role or second.text
    return Mention(
        first.kind,
        first.text,
        (span_start, span_end),
        role,
        affiliation,
        first.outlet,
        first.document,
    )


def _segments(region: str, base: int) -> list[tuple[str, int]]:
    out = []
    offset = 0
    for piece in region.split(","):
        text, start = _strip(piece, base + offset)
        if text:
            out.append((text, start))
        offset += len(piece) + 1
    return out


def last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``, or None."""
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - we want the last one
        pass
    return found


def _after_clause_word(text: str, start: int) -> tuple[str, int]:
    last = last_match(_CLAUSE_WORDS, text)
    if last is None:
        return text, start
    return _strip(text[last.end() :], start + last.end())


def _strip(text: str, start: int) -> tuple[str, int]:
    stripped = text.lstrip(_EDGE)
    start += len(text) - len(stripped)
    return stripped.rstrip(_EDGE), start


# Words that make a phrase a clause, not a speaker ("Levant Maritime Lines said it would
# resume", "of berth management is now a joke").
_VERB = re.compile(
    r"\b(?:said|says|say|replied|told|tells|wrote|writes|added|asked|explained|insisted|"
    r"is|are|was|were|be|been|being|had|has|have|would|will|could|should|did|does|do)\b",
    re.IGNORECASE,
)
# What follows the head of a phrase and is not part of the name: "Zu'bi when the figure was
# put to him", "a security guard interviewed by the site said…".
_CLAUSE_START = re.compile(
    r"\s+(?:when|who|whom|whose|which|while|after|before|because|as|interviewed|quoted|"
    r"speaking|writing)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_TRAILING_AUXILIARY = re.compile(
    r"(?:\s+(?:had|has|have|was|were|is|are|would|will|said|says|replied|told|wrote|added))+$",
    re.IGNORECASE,
)


def _noun_phrase_only(text: str, start: int) -> tuple[str, int]:
    """The phrase naming the speaker, without what a loose reading swept in: the last
    clause after a semicolon ("Alder Ridge said nothing publicly; its lawyer" → "its
    lawyer"), a trailing relative or temporal clause, trailing auxiliaries ("Lennox had")."""
    if ";" in text:
        cut = text.rindex(";") + 1
        text, start = _strip(text[cut:], start + cut)
    text = _CLAUSE_START.sub("", text)
    text = _TRAILING_AUXILIARY.sub("", text)
    return text.rstrip(_EDGE), start


def _strip_trailing_adverbs(text: str) -> str:
    words = text.split(" ")
    while len(words) > 1 and words[-1].lower() in _ADVERBS:
        words.pop()
    return " ".join(words)


def _is_name_word(word: str) -> bool:
    word = word.strip("“”\"‘'(")
    return bool(word) and (word[0].isupper() or bool(_PARTICLE.match(word)))


def _lower_determiner(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first.lower() in DETERMINERS:
        return first.lower() + (" " + rest if rest else "")
    return text
