"""Plain text: lines into blocks, and the heading heuristics for bare heading lines."""

from __future__ import annotations

import re

from ..blocks import Block, Document
from .notes import attach_markers, split_notes_list

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TERMINAL = tuple(".!?:;,…")
_CLOSERS = "”\"’')]"
# Words that stay lower case in a title ("The Road to Raqqa", "Maarat al-Numan").
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to vs via with al el".split()
)
_WORD = re.compile(r"[^\s]+")
# A section number before a heading's words: Roman or Arabic, "1.2", or a letter.
_ENUMERATOR = re.compile(r"^(?:[IVXLC]{1,7}|\d{1,2}(?:\.\d{1,2})*|[A-Z])[.):]\s+(?=\S)")


def read_text(text: str) -> Document:
    """Split plain text into blocks of type "line", and read its notes.

    The first non-blank line is the title. Typewriter quotes (``like this'') become
    curly ones. Two layouts are told apart for the whole document:

    - one paragraph per line (text copied from a web page or a word processor):
      paragraphs are separated by blank lines or line breaks; a run of lines that
      looks hard-wrapped (similar widths, not every line a sentence) is joined;
    - hard-wrapped text (an archive, an e-mail): lines are joined into paragraphs,
      and a paragraph ends at a blank line, at an indented line (a first-line
      indent), or after a short line that ends a sentence; a run of two or more
      indented lines is a block quotation, one paragraph. An ALL-CAPS line is a
      block of its own (a subhead).

    A notes list at the end ("Notes", "Sources", "References"… followed by entries) is
    read as notes, and the markers in the text that point at them ("[3]", "³") become
    references (see ``readers.notes``).
    """
    raw_lines = _LINE_BREAK.split(text)
    if _uses_typewriter_quotes(text):
        raw_lines = [_curl_typewriter(line) for line in raw_lines]
    lines = [(number, line.expandtabs(4).rstrip()) for number, line in enumerate(raw_lines, 1)]
    notes_at, notes, note_headings = split_notes_list(lines)
    body = lines[:notes_at]
    title_at = next((i for i, (_, t) in enumerate(body) if t.strip()), None)
    if title_at is None:
        return Document([], notes=tuple(notes), dropped=note_headings)
    number, title = body[title_at]
    blocks = [Block("line", title.strip(), number)]
    rest = body[title_at + 1 :]
    if _is_hard_wrapped_document([t for _, t in rest]):
        blocks.extend(_wrapped_blocks(rest))
    else:
        blocks.extend(_line_blocks(rest))
    by_label = {n.label: n for n in notes if n.label}
    blocks = [attach_markers(b, by_label) for b in blocks]
    return Document(blocks, notes=tuple(notes), dropped=note_headings)


def _line_blocks(lines: list[tuple[int, str]]) -> list[Block]:
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    for number, raw in lines:
        stripped = raw.strip()
        if stripped:
            run.append((number, stripped))
        elif run:
            blocks.extend(_run_to_blocks(run))
            run = []
    if run:
        blocks.extend(_run_to_blocks(run))
    return blocks


def _run_to_blocks(run: list[tuple[int, str]]) -> list[Block]:
    if _looks_hard_wrapped([t for _, t in run]):
        return [_joined(run)]
    blocks = []
    for i, (number, line) in enumerate(run):
        blocks.append(Block("line", line, number, blank_before=i == 0))
    return blocks


def _joined(run: list[tuple[int, str]], *, blockquote: bool = False) -> Block:
    """One block from several source lines, joined with spaces (a word broken at a
    hyphen, "twenty-" + "three", is joined without one), remembering line starts."""
    if len(run) == 1:
        return Block("line", run[0][1], run[0][0], blockquote=blockquote)
    text, starts = "", []
    for number, line in run:
        if text and not (text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower()):
            text += " "
        starts.append((len(text), number))
        text += line
    return Block("line", text, run[0][0], line_starts=tuple(starts), blockquote=blockquote)


def _looks_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    body = [len(t) for t in lines[:-1]]
    if min(body) < 40 or max(body) > 100 or max(body) - min(body) > 30:
        return False
    return not all(t.rstrip(_CLOSERS).endswith((".", "!", "?", ":")) for t in lines[:-1])


def _is_hard_wrapped_document(lines: list[str]) -> bool:
    """True when the text's paragraphs are broken into lines of a fixed width: nearly
    every line is at most 100 characters and many long lines run on into the next line
    mid-sentence."""
    lengths = sorted(len(t.strip()) for t in lines if t.strip())
    if len(lengths) < 6 or lengths[int(len(lengths) * 0.9)] > 100:
        return False
    runs_on = 0
    for a, b in zip(lines, lines[1:], strict=False):
        a, b = a.strip(), b.strip()
        if len(a) >= 35 and b and not ends_sentence(a):
            runs_on += 1
    return runs_on >= 3


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _wrapped_blocks(lines: list[tuple[int, str]]) -> list[Block]:
    """Hard-wrapped text into paragraphs (see ``read_text``)."""
    widths = sorted(len(t.strip()) for _, t in lines if len(t.strip()) >= 30)
    width = widths[int(len(widths) * 0.9)] if widths else 72
    short = width * 0.8
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    quote = False
    blank_before = True

    def flush() -> None:
        nonlocal run, quote, blank_before
        if run:
            block = _joined(run, blockquote=quote)
            block.blank_before = blank_before
            blocks.append(block)
            blank_before = False
        run, quote = [], False

    for i, (number, raw) in enumerate(lines):
        text = raw.strip()
        if not text:
            flush()
            blank_before = True
            continue
        indent = _indent(raw)
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        prev = lines[i - 1][1] if i else ""
        in_quote_run = indent > 0 and (
            (nxt.strip() and _indent(nxt) == indent) or (prev.strip() and _indent(prev) == indent)
        )
        if in_quote_run:
            if not quote:
                flush()
                quote = True
            run.append((number, text))
            continue
        if quote:
            flush()
        if _stands_alone(text) or indent > 0:
            flush()
        elif run:
            last = run[-1][1]
            if (ends_sentence(last) and len(last) < short) or _stands_alone(last):
                flush()
        run.append((number, text))
        if _stands_alone(text):
            flush()
    flush()
    return blocks


def _stands_alone(text: str) -> bool:
    """An ALL-CAPS line (a subhead, a running header) is never part of a paragraph."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and len(text) <= 80


def _uses_typewriter_quotes(text: str) -> bool:
    return "``" in text and "''" in text


_SINGLE_CLOSE = re.compile(r"(?<=[^\s`])'(?![A-Za-z])")


def _curl_typewriter(line: str) -> str:
    """``double'' and `single' typewriter quotes as curly quotes; apostrophes stay."""
    line = line.replace("``", "“").replace("''", "”")
    if "`" not in line:
        return line
    out, open_single = [], False
    for i, ch in enumerate(line):
        if ch == "`":
            out.append("‘")
            open_single = True
        elif ch == "'" and open_single and _SINGLE_CLOSE.match(line, i):
            out.append("’")
            open_single = False
        else:
            out.append(ch)
    return "".join(out)


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends like the end of a sentence or a lead-in (".", "?", ":")."""
    return text.rstrip(_CLOSERS).endswith((".", "!", "?", ":", "…"))


def is_title_like(text: str) -> bool:
    """True if ``text`` reads like a heading: short, no terminal punctuation, and
    either three words or fewer or mostly capitalised ("What the Numbers Say")."""
    text = _ENUMERATOR.sub("", text, count=1)  # "III. The Missed Payment", "2.1 Method"
    if not text or len(text) > 80:
        return False
    if text.endswith("?") and not text[:-1].rstrip(_CLOSERS).endswith(_TERMINAL):
        # A question is a heading only in title case ("Whose Fish?", "Who Pays the Bill?").
        words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]
        return 2 <= len(words) <= 8 and all(w[0].isupper() for w in words)
    if text.rstrip(_CLOSERS).endswith(_TERMINAL):
        return False
    words = _WORD.findall(text)
    if not words or len(words) > 10 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if re.search(r"[.!?]\s+\S", text):  # two sentences are a paragraph
        return False
    significant = [w for w in words if w.lower().split("-")[0] not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper() or w[0].isdigit() or w[0] in "“\"'‘")
    return len(words) <= 3 or capitalised / len(significant) >= 0.6


def is_heading_line(block: Block, previous: Block | None, following: Block | None) -> bool:
    """Decide whether a bare text line is a heading, from its shape and neighbours.

    A heading is title-like (see ``is_title_like``), starts after a paragraph
    boundary (blank line, start of body, or a previous block ending a sentence) and
    is followed by a block that reads as prose (a sentence end, or eight words or
    more). A line at the very end is never a heading.
    """
    if block.line_starts or not is_title_like(block.text) or following is None:
        return False
    after_boundary = (
        previous is None
        or block.blank_before
        or previous.kind == "heading"
        or ends_sentence(previous.text)
    )
    prose_follows = ends_sentence(following.text) or len(_WORD.findall(following.text)) >= 8
    return after_boundary and prose_follows
