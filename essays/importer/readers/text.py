"""Plain text: lines into blocks, and the heading heuristics for bare heading lines."""

from __future__ import annotations

import re

from ..blocks import Block

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TERMINAL = tuple(".!?:;,…")
_CLOSERS = "”\"’')]"
# Words that stay lower case in a title ("The Road to Raqqa", "Maarat al-Numan").
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to vs via with al el".split()
)
_WORD = re.compile(r"[^\s]+")


def read_text(text: str) -> list[Block]:
    """Split plain text into blocks of type "line".

    Paragraphs are separated by blank lines or by line breaks; a run of lines that
    looks hard-wrapped (similar widths, 40-100 characters, not every line a whole
    sentence) is joined into one paragraph with spaces, remembering where each
    source line starts.
    """
    lines = _LINE_BREAK.split(text)
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped and not blocks and not run:
            # The first line is the title: never joined with what follows.
            blocks.append(Block("line", stripped, number))
        elif stripped:
            run.append((number, stripped))
        elif run:
            blocks.extend(_run_to_blocks(run))
            run = []
    if run:
        blocks.extend(_run_to_blocks(run))
    return blocks


def _run_to_blocks(run: list[tuple[int, str]]) -> list[Block]:
    if _looks_hard_wrapped([t for _, t in run]):
        parts, starts, offset = [], [], 0
        for number, line in run:
            starts.append((offset, number))
            parts.append(line)
            offset += len(line) + 1
        return [Block("line", " ".join(parts), run[0][0], line_starts=tuple(starts))]
    blocks = []
    for i, (number, line) in enumerate(run):
        blocks.append(Block("line", line, number, blank_before=i == 0))
    return blocks


def _looks_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    body = [len(t) for t in lines[:-1]]
    if min(body) < 40 or max(body) > 100 or max(body) - min(body) > 30:
        return False
    return not all(t.rstrip(_CLOSERS).endswith((".", "!", "?", ":")) for t in lines[:-1])


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends like the end of a sentence or a lead-in (".", "?", ":")."""
    return text.rstrip(_CLOSERS).endswith((".", "!", "?", ":", "…"))


def is_title_like(text: str) -> bool:
    """True if ``text`` reads like a heading: short, no terminal punctuation, and
    either three words or fewer or mostly capitalised ("What the Numbers Say")."""
    if len(text) > 80 or text.rstrip(_CLOSERS).endswith(_TERMINAL):
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
