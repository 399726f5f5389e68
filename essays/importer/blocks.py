"""The common shape every reader produces, before the essay is assembled."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

# kind: "heading" (decided by markup), "paragraph", "line" (plain text: heading or
# paragraph is decided later from shape and neighbours), "chrome" (page furniture
# such as <nav>/<footer>: always dropped).


@dataclass(slots=True)
class Block:
    """One block of the source: its text, where it came from, what the markup said."""

    kind: str
    text: str
    line: int | None
    level: int | None = None  # heading level when markup gave one
    blockquote: bool = False
    blank_before: bool = True
    # (offset in text, source line) for each source line joined into ``text``.
    line_starts: tuple[tuple[int, int], ...] = ()
    links: tuple[tuple[int, int, str], ...] = ()  # (start, end, href)

    def line_at(self, offset: int) -> int | None:
        """Source line of character ``offset`` of ``text`` (best effort)."""
        if not self.line_starts:
            return self.line
        i = bisect_right([o for o, _ in self.line_starts], offset) - 1
        return self.line_starts[max(i, 0)][1]
