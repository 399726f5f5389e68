"""Where paragraphs land: a parsed section's stored body and its offsets (pure), and
the parse every import interface uses."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from essays.importer.model import ParsedEssay
from essays.importer.parser import parse_bytes
from sources.selectors import outlet_registry, person_registry

# A section's body is its paragraphs joined by a blank line.
PARAGRAPH_SEPARATOR = "\n\n"

# --- layout: paragraphs → section bodies (pure) -------------------------------------


@dataclass(frozen=True, slots=True)
class SectionLayout:
    """One parsed section as it will be stored: its body and where each paragraph starts."""

    heading: str
    body: str
    paragraph_starts: tuple[int, ...]

    def span(self, paragraph: int, start: int, end: int) -> tuple[int, int]:
        """Translate paragraph offsets into offsets in ``body``."""
        base = self.paragraph_starts[paragraph]
        return base + start, base + end


def layout(parsed: ParsedEssay) -> list[SectionLayout]:
    """The stored body of every parsed section (paragraphs joined by a blank line)."""
    out = []
    for section in parsed.sections:
        starts, at = [], 0
        for paragraph in section.paragraphs:
            starts.append(at)
            at += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        out.append(
            SectionLayout(
                heading=section.heading or "",
                body=PARAGRAPH_SEPARATOR.join(section.paragraphs),
                paragraph_starts=tuple(starts),
            )
        )
    return out


def _checked_span(body: str, paragraph_span: tuple[int, int], text: str) -> tuple[int, int]:
    start, end = paragraph_span
    if body[start:end] != text:  # a bug in the layout, never the editor's input
        raise AssertionError(f"span {start}:{end} does not slice back to {text[:40]!r}")
    return start, end


def parse_for_import(
    data: bytes, *, filename: str | None, format: str = "auto", author: str | None = None
) -> ParsedEssay:
    """Decode and parse an upload the way every import interface does.

    Outlets and people are recognised from the database (so editors' additions count),
    and the size limit is ``settings.COUNTERPOINT_IMPORT_MAX_BYTES``. Raises
    ``EssayImportError``; reads the database, writes nothing.
    """
    return parse_bytes(
        data,
        filename=filename,
        format=format,
        author=author or None,
        max_bytes=settings.COUNTERPOINT_IMPORT_MAX_BYTES,
        outlets=outlet_registry(),
        people=person_registry(),
    )
