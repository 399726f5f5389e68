"""What a page built from hostile input must look like, checked the way a browser parses it.

`assert_inert` parses with html5lib (the HTML5 parsing algorithm browsers use) and fails if
anything from the input became active: a script that is not a JSON data block or a static
file, an event-handler attribute, a `javascript:`-style address, an embedded frame or
object. `assert_bidi_contained` fails if a right-to-left override (or any explicit bidi
embedding or isolate) in a text node is left open where it could reorder page text that is
not part of the same input.
"""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

# Explicit directional formatting characters (Unicode Bidirectional Algorithm, UAX #9).
EMBEDDINGS = {"\u202a", "\u202b", "\u202d", "\u202e"}  # LRE RLE LRO RLO, closed by PDF
ISOLATES = {"\u2066", "\u2067", "\u2068"}  # LRI RLI FSI, closed by PDI
PDF, PDI = "\u202c", "\u2069"
BIDI_CONTROLS = EMBEDDINGS | ISOLATES | {PDF, PDI}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet", "style"}
# Browsers drop these from a URL before reading its scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav",
    "ol", "p", "pre", "section", "td", "th", "ul", "body", "html",
}  # fmt: skip


def parse(html: str | bytes) -> BeautifulSoup:
    """Every page Counterpoint serves is UTF-8 (DEFAULT_CHARSET). Admin pages say so only in
    the Content-Type header, so bytes are decoded as UTF-8 here rather than guessed at."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    return BeautifulSoup(html, "html5lib")


def assert_inert(html: str | bytes, *, where: str = "") -> BeautifulSoup:
    """Fail if the page holds any active content other than our own same-origin scripts."""
    soup = parse(html)
    for script in soup.find_all("script"):
        if script.get("src"):
            src = script["src"]
            assert src.startswith("/") and not src.startswith("//"), (where, script)
            continue
        kind = (script.get("type") or "").lower()
        assert kind.endswith("json"), f"{where}: inline script {str(script)[:200]!r}"
        json.loads(script.string or "null")  # a data block that is still valid JSON
    for element in soup.find_all(True):
        assert element.name not in FORBIDDEN_TAGS, f"{where}: <{element.name}> {element}"[:300]
        if element.name == "img":
            src = element.get("src", "")
            assert src.startswith("/") and not src.startswith("//"), f"{where}: {element}"[:300]
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"{where}: {name}= on <{element.name}>"
            if name.lower() in URL_ATTRIBUTES:
                url = _URL_NOISE.sub("", value if isinstance(value, str) else " ".join(value))
                assert not url.lower().startswith(_ACTIVE_SCHEMES), f"{where}: {name}={value!r}"
        if element.name == "meta" and element.get("http-equiv"):
            assert element["http-equiv"].lower() not in {"refresh", "set-cookie"}, where
    return soup


def open_controls(text: str) -> list[str]:
    """The explicit embeddings and isolates `text` leaves open at its end (UAX #9 X1–X8)."""
    stack: list[str] = []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            stack.append(char)
        elif char == PDF:
            if stack and stack[-1] in EMBEDDINGS:
                stack.pop()
        elif char == PDI and any(c in ISOLATES for c in stack):
            # A PDI closes the innermost isolate and every embedding opened inside it.
            while stack and stack.pop() not in ISOLATES:
                pass
    return stack


def _contained_by_parent(node: NavigableString) -> bool:
    """The text node fills an element that ends the override's reach: the element is
    isolated (<bdi> or a dir attribute) or is a block (a bidi paragraph ends with it)."""
    parent = node.parent
    if parent is None or len(parent.contents) != 1:
        return False
    return parent.name == "bdi" or parent.has_attr("dir") or parent.name in BLOCKS


def assert_bidi_contained(soup: BeautifulSoup, *, where: str = "") -> None:
    """Fail if an open bidi override could reorder text around it (title included)."""
    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or not (set(node) & BIDI_CONTROLS):
            continue
        if isinstance(node.parent, Tag) and node.parent.name in {"script", "style"}:
            continue
        if not open_controls(node) or _contained_by_parent(node):
            continue
        raise AssertionError(
            f"{where}: a bidi control is left open in <{node.parent.name}>: {str(node)[:120]!r}"
        )
