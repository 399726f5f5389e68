"""Keeping editors' right-to-left overrides inside the text they were typed in.

Used by every place that prints text from the database next to markup of our own: the
public pages (markup, templates' `bidi_contained` filter) and the spreadsheet import
preview. A plain module below every app, so any of them may use it.
"""

import re

# Explicit directional formatting characters (UAX #9): embeddings and overrides are closed
# by PDF, isolates by PDI.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def contain_bidi(text: str) -> str:
    """`text` with every bidi embedding, override and isolate it opens closed at its end,
    and closers that match nothing in it dropped: its direction changes stay inside it.

    Balanced text is returned unchanged, so legitimate uses survive.
    """
    if not _BIDI_CONTROL.search(text):
        return text
    out: list[str] = []
    stack: list[str] = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append(char)
        elif char == _PDF:
            if not stack or stack[-1] not in _EMBEDDINGS:
                continue  # closes nothing opened here
            stack.pop()
        elif char == _PDI:
            if not any(c in _ISOLATES for c in stack):
                continue
            while stack.pop() not in _ISOLATES:  # PDI also ends the embeddings inside
                pass
        out.append(char)
    out.extend(_PDI if c in _ISOLATES else _PDF for c in reversed(stack))
    return "".join(out)
