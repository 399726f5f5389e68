"""How much markup an article spends per claim, beyond the words it shows (used by the
page-weight test and by bench/article_bench.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# What a claim adds to the page: its words' <mark>, its verdict marker, its evidence card.
_CLAIM_MARKUP = re.compile(
    r'<mark class="claim-text.*?</a>|<aside class="evidence.*?</aside>', re.S
)


class _TextBytes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text = 0

    def handle_data(self, data: str) -> None:
        self.text += len(data.encode())

    def handle_entityref(self, name: str) -> None:
        self.text += len(name) + 2  # &name;

    def handle_charref(self, name: str) -> None:
        self.text += len(name) + 3  # &#name;


def markup_bytes(html: str) -> int:
    """Bytes of tags, attributes and whitespace between tags: everything but the text."""
    parser = _TextBytes()
    parser.feed(html)
    parser.close()
    whitespace_only = sum(len(m) for m in re.findall(r">(\s+)<", html))
    return len(html.encode()) - parser.text + whitespace_only


def claim_markup_per_claim(page: str) -> float:
    """Average markup bytes per claim in the claims' marks, markers and evidence cards."""
    claims = page.count("data-evidence-for=")
    return sum(markup_bytes(m) for m in _CLAIM_MARKUP.findall(page)) / claims
