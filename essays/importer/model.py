"""What the importer produces: plain, immutable data, independent of the ORM.

``ParsedEssay.to_json_dict()`` is a published interface (``import_essay --dry-run
--json`` prints it and other tools read it): change its shape only deliberately.
Fields not in the JSON (line numbers, roles, attribution spans, claim features) are
there for the saving service and for editors' diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .blocks import Note, Reference

__all__ = [
    "Note",
    "ParsedClaim",
    "ParsedEssay",
    "ParsedQuotation",
    "ParsedSection",
    "ParsedSource",
    "Reference",
]


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """A document the essay cites: a link or a note's URL, its title when the link or
    note gives one, the outlet that published it when known."""

    url: str
    title: str = ""
    outlet: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {"url": self.url, "title": self.title, "outlet": self.outlet}


@dataclass(frozen=True, slots=True)
class ParsedQuotation:
    """A quoted span of one paragraph: ``paragraphs[paragraph][start:end] == text``.

    ``text`` excludes the quotation marks and keeps insertions ("[ISIS]"), ellipses
    (". . .") and emphasis notes verbatim. ``index`` is its position among all the
    essay's quotations; ``repeat_of`` is the index of the first occurrence of the same
    words. ``rule`` names the attribution rule that produced speaker/outlet (see
    docs/importer.md), for editors who want to know why.
    """

    text: str
    paragraph: int
    start: int
    end: int
    index: int
    line: int | None = None
    speaker: str | None = None
    speaker_kind: str | None = None  # "person", "descriptive" or None
    speaker_role: str | None = None
    speaker_affiliation: str | None = None
    outlet: str | None = None
    via: str | None = None
    emphasis_added: bool = False
    scare: bool = False
    repeat_of: int | None = None
    unterminated: bool = False
    attribution_span: tuple[int, int] | None = None
    rule: str | None = None
    confidence: str | None = None  # "high", "medium", "low"
    source: ParsedSource | None = None  # the document the words are cited from

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "via": self.via,
            "emphasis_added": self.emphasis_added,
            "scare": self.scare,
            "repeat_of": self.repeat_of,
            "speaker_kind": self.speaker_kind,
            "affiliation": self.speaker_affiliation,
            "rule": self.rule,
            "confidence": self.confidence,
            "source": self.source.to_json_dict() if self.source else None,
        }


@dataclass(frozen=True, slots=True)
class ParsedClaim:
    """A check-worthy sentence: ``paragraphs[paragraph][start:end] == text``.

    ``features`` lists the (feature, weight) pairs that make up ``score`` so a
    reviewer can see why the sentence was proposed.
    """

    text: str
    paragraph: int
    start: int
    end: int
    score: float
    features: tuple[tuple[str, float], ...] = ()
    line: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class ParsedSection:
    """A heading (None for the untitled introduction) and its paragraphs."""

    heading: str | None
    paragraphs: tuple[str, ...]
    quotations: tuple[ParsedQuotation, ...] = ()
    claims: tuple[ParsedClaim, ...] = ()
    heading_line: int | None = None
    paragraph_lines: tuple[int | None, ...] = ()
    blockquotes: tuple[bool, ...] = ()  # per paragraph: was it a block quotation?
    # Per paragraph, offsets in the paragraph's text: its links and note references,
    # and its italic/emphasised spans (an outlet's name in italics is a signal).
    references: tuple[tuple[Reference, ...], ...] = ()
    emphasis: tuple[tuple[tuple[int, int], ...], ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "paragraphs": list(self.paragraphs),
            "quotations": [q.to_json_dict() for q in self.quotations],
            "claims": [c.to_json_dict() for c in self.claims],
        }


@dataclass(frozen=True, slots=True)
class ParsedEssay:
    """A whole parsed essay. ``published_on`` is ISO "YYYY-MM-DD" or None."""

    title: str
    author: str | None
    canonical_url: str | None
    published_on: str | None
    sections: tuple[ParsedSection, ...]
    dropped_lines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    format: str = "text"
    encoding: str | None = None
    filename: str | None = None
    links: tuple[tuple[str, str], ...] = field(default=())  # (link text, href)
    tags: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()  # the essay's footnotes/endnotes, in order
    sources: tuple[ParsedSource, ...] = ()  # the essay's bibliography

    @property
    def quotations(self) -> list[ParsedQuotation]:
        """All quotations in document order (their ``index`` order)."""
        return [q for s in self.sections for q in s.quotations]

    @property
    def claims(self) -> list[ParsedClaim]:
        return [c for s in self.sections for c in s.claims]

    def to_json_dict(self) -> dict[str, Any]:
        """The published JSON shape (see module docstring)."""
        return {
            "title": self.title,
            "author": self.author,
            "canonical_url": self.canonical_url,
            "published_on": self.published_on,
            "sections": [s.to_json_dict() for s in self.sections],
            "dropped_lines": list(self.dropped_lines),
            "warnings": list(self.warnings),
            "tags": list(self.tags),
            "notes": [n.to_json_dict() for n in self.notes],
            "sources": [s.to_json_dict() for s in self.sources],
        }
