"""The essay importer: a file (text, Markdown, HTML) in, rows of an essay out.

Two halves in one package. The pure half (readers/, parser, blocks, cruft, decoding,
errors, model, quotations, sentences, speakers, attribution, claims) turns bytes into a
``ParsedEssay`` with no database and no Django: fast to test exhaustively, importable
without settings. The save half (layout, bibliography, reanchoring, result, save) is
where that parse meets the database: ``save_import`` writes it in one transaction, and
``import_preview`` says what a save would do. See docs/importer.md.

The save half's names are loaded on first use (PEP 562 ``__getattr__``), so importing
the parser never imports the models: ``bench/import_bench.py`` and any script may parse
without a configured Django.
"""

from importlib import import_module

from .claims import DEFAULT_THRESHOLD, claim_candidates, score_sentence
from .decoding import DEFAULT_MAX_BYTES, decode_bytes
from .errors import EssayImportError
from .model import ParsedClaim, ParsedEssay, ParsedQuotation, ParsedSection
from .parser import FORMATS, detect_format, parse, parse_bytes, read_file
from .quotations import find_quotations, normalise_quotation
from .sentences import split_sentences

# The save half: name → the module of this package that defines it.
_SAVE_HALF = {
    "PARAGRAPH_SEPARATOR": "layout",
    "SectionLayout": "layout",
    "layout": "layout",
    "parse_for_import": "layout",
    "plan_reanchoring": "reanchoring",
    "ImportResult": "result",
    "save_import": "save",
    "import_preview": "preview",
}


def __getattr__(name: str):
    if name in _SAVE_HALF:
        return getattr(import_module(f".{_SAVE_HALF[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_THRESHOLD",
    "FORMATS",
    "PARAGRAPH_SEPARATOR",
    "EssayImportError",
    "ImportResult",
    "ParsedClaim",
    "ParsedEssay",
    "ParsedQuotation",
    "ParsedSection",
    "SectionLayout",
    "claim_candidates",
    "decode_bytes",
    "detect_format",
    "find_quotations",
    "import_preview",
    "layout",
    "normalise_quotation",
    "parse",
    "parse_bytes",
    "parse_for_import",
    "plan_reanchoring",
    "read_file",
    "save_import",
    "score_sentence",
    "split_sentences",
]
