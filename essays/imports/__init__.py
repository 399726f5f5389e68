"""Saving a parsed essay: ``save_import`` turns a ``ParsedEssay`` into rows, in one transaction.

The parser (``essays.importing``) is pure; this package is where its output meets the
database. It creates or updates the Essay, its Sections, Quotations and
ClaimCandidates, links speakers to ``Person`` rows and outlets to ``Outlet`` rows
(reusing existing rows by name and alias), and, when the essay already exists (same
canonical URL), keeps every existing Claim and re-anchors it in the new text.
See docs/importer.md, "Saving".
"""

from essays.imports.layout import PARAGRAPH_SEPARATOR, SectionLayout, layout, parse_for_import
from essays.imports.reanchoring import plan_reanchoring
from essays.imports.result import ImportResult
from essays.imports.save import save_import

__all__ = [
    "PARAGRAPH_SEPARATOR",
    "ImportResult",
    "SectionLayout",
    "layout",
    "parse_for_import",
    "plan_reanchoring",
    "save_import",
]
