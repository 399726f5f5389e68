"""Anchor a quoted span in text that may have changed, as W3C TextQuoteSelector does.

A span is remembered by its words (``exact``) and a little text on either side
(``prefix``, ``suffix``). To find it again in new text: look for ``exact``; when it
occurs several times, the occurrence whose surroundings agree most with prefix and
suffix wins. Pure functions over strings, no ORM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from os.path import commonprefix

CONTEXT_CHARS = 32
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Selector:
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a selector lands: ``bodies[section][start:end]``.

    ``found`` is False when ``exact`` no longer occurs anywhere; the span is then the
    closest match in the most likely section, for a person to check.
    """

    section: int
    start: int
    end: int
    found: bool


def selector_for(body: str, start: int, end: int, *, context: int = CONTEXT_CHARS) -> Selector:
    """The selector of ``body[start:end]``, with ``context`` characters either side."""
    return Selector(
        exact=body[start:end],
        prefix=body[max(0, start - context) : start],
        suffix=body[end : end + context],
    )


def _context_agreement(body: str, start: int, end: int, prefix: str, suffix: str) -> int:
    before = body[max(0, start - len(prefix)) : start]
    after = body[end : end + len(suffix)]
    return len(commonprefix([before[::-1], prefix[::-1]])) + len(commonprefix([after, suffix]))


def _occurrences(body: str, exact: str) -> list[int]:
    found, at = [], body.find(exact)
    while at >= 0:
        found.append(at)
        at = body.find(exact, at + 1)
    return found


def anchor(
    bodies: Sequence[str],
    selector: Selector,
    *,
    hint: int | None = None,
) -> Anchor | None:
    """Find ``selector`` in ``bodies`` (the sections' texts, in order).

    Among all occurrences of ``selector.exact`` the one whose prefix/suffix agree most
    wins; ties go to section ``hint`` (where the span was before), then to the
    earliest. When ``exact`` occurs nowhere, returns the closest match (``found`` is
    False) in section ``hint`` if given, else in the section sharing most words with
    ``exact``. Returns None only when every body is empty or ``exact`` is empty.
    """
    exact = selector.exact
    if not exact or not any(bodies):
        return None
    best: tuple[tuple[int, int, int], Anchor] | None = None
    for i, body in enumerate(bodies):
        for start in _occurrences(body, exact):
            end = start + len(exact)
            key = (
                _context_agreement(body, start, end, selector.prefix, selector.suffix),
                1 if i == hint else 0,
                -(i * 10**9 + start),
            )
            if best is None or key > best[0]:
                best = (key, Anchor(i, start, end, True))
    if best is not None:
        return best[1]
    return _closest(bodies, exact, hint)


def _closest(bodies: Sequence[str], exact: str, hint: int | None) -> Anchor:
    if hint is not None and 0 <= hint < len(bodies) and bodies[hint]:
        section = hint
    else:
        words = set(_WORD.findall(exact.casefold()))
        section = max(
            (i for i, body in enumerate(bodies) if body),
            key=lambda i: len(words & set(_WORD.findall(bodies[i].casefold()))),
        )
    body = bodies[section]
    match = SequenceMatcher(None, body, exact, autojunk=False).find_longest_match(
        0, len(body), 0, len(exact)
    )
    start = min(max(0, match.a - match.b), len(body) - 1)
    end = min(len(body), start + len(exact))
    return Anchor(section, start, max(end, start + 1), False)
