"""The essay importer's pure half: text/Markdown/HTML in, ``ParsedEssay`` out.

No database and no Django here; ``essays.services`` saves the result.
"""

from .claims import DEFAULT_THRESHOLD, claim_candidates, score_sentence
from .decoding import DEFAULT_MAX_BYTES, decode_bytes
from .errors import EssayImportError
from .model import ParsedClaim, ParsedEssay, ParsedQuotation, ParsedSection
from .parser import FORMATS, detect_format, parse, parse_bytes, read_file
from .quotations import find_quotations, normalise_quotation
from .sentences import split_sentences

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_THRESHOLD",
    "FORMATS",
    "EssayImportError",
    "ParsedClaim",
    "ParsedEssay",
    "ParsedQuotation",
    "ParsedSection",
    "claim_candidates",
    "decode_bytes",
    "detect_format",
    "find_quotations",
    "normalise_quotation",
    "parse",
    "parse_bytes",
    "read_file",
    "score_sentence",
    "split_sentences",
]
